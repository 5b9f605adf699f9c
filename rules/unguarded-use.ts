/**
 * unguarded-use: a new call on a field the file fills with an acquire only under a condition (a timer made only
 * for one policy, a region made only when a property is set), where every other call on the field runs only
 * under that condition (or a test of the field itself, or in the object's own callback): when the condition
 * does not hold, the new call is handed a field that was never filled. Read off the post-image's functions and
 * their callers in the file; only what the commit introduces.
 */
import type { CCall, CCondition, CFunction, CGuard } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, FunctionChange } from '../src/rule/model.js';

const MESSAGES = {
  unguarded:
    '{{fn}}() now calls {{callee}}() on `{{object}}` whatever `{{condition}}` says, but {{makerFn}}() fills ' +
    '`{{object}}` with {{maker}}() only {{when}} ({{file}}:{{makerLine}}), and every other call on it in this file ' +
    'runs only under that test ({{uses}}, {{useFn}}() at {{file}}:{{useLine}} among them): when the test does not ' +
    'hold, {{callee}}() is handed a `{{object}}` that was never made. Test the same condition, or `{{object}}` ' +
    'itself, before the call.',
  // related locations
  madeHere: '{{makerFn}}() fills `{{object}}` here, only {{when}}',
  guardedHere: '{{useFn}}() calls {{useCallee}}() on `{{object}}` here, under that test',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

const squeeze = (t: string) => t.replace(/\s+/g, '');

/** A call's argument that is a pointer field as it is (`s->timer`, `d->cfg.mr`): its chain without the base. */
function pointerField(ctx: Ctx, arg: string): string | null {
  const a = ctx.model.withoutCasts(arg).trim();
  if (!/^\w+(\s*(->|\.)\s*\w+)+$/.test(a) || !a.includes('->')) return null;
  return ctx.model.fieldChain(a)?.join('.') ?? null;
}

/** The names a condition tests, without the bases fields are read through (`s->policy` → `policy`). */
function predicateNames(cond: CCondition): string[] {
  const bases = new Set([...cond.text.matchAll(/(\w+)\s*(->|\.)/g)].map((m) => m[1] as string));
  return cond.names.filter((n) => !bases.has(n) || cond.callees.includes(n));
}

interface Maker {
  fn: CFunction;
  call: CCall;
  guard: CGuard;
}

/** Does a guard ask for the predicate (one of its names), or for the field itself (`if (s->timer)`)? */
const asks = (g: CGuard, names: readonly string[], field: string) =>
  g.condition.kind !== 'for' && g.condition.kind !== 'while' && g.condition.names.some((n) => names.includes(n) || n === field);

interface Guarded {
  yes: boolean;
  /** the call on the field, or the caller's call, that the test covers */
  at?: { fn: CFunction; call: CCall };
}

/**
 * Does a call on the field run only under the predicate: under a test of it or of the field in its own function
 * (an early return counts), in the function the maker hands as a callback (a timer's own handler), or in a
 * function whose every call in the file runs so (two callers deep)? A function the file takes as a value anywhere
 * else (a slot, a handler) or calls from nowhere is not known to be guarded.
 */
function guarded(fns: readonly CFunction[], fn: CFunction, call: CCall, makers: readonly Maker[], names: readonly string[], field: string, depth: number): boolean {
  if (call.guards.some((g) => asks(g, names, field))) return true;
  // (`if (s->policy != FX_SLOW) { return; }` before it)
  const early = (e: CFunction['exits'][number]) => e.kind === 'return' && e.line < call.line && (e.guards.at(-1)?.condition.stmtEndLine ?? Infinity) < call.line;
  if (fn.exits.some((e) => early(e) && e.guards.some((g) => asks(g, names, field)))) return true;
  if (makers.some((m) => m.call.args.some((a) => a.trim() === fn.name))) return true;
  if (depth === 0) return false;
  const callers = fns.flatMap((f) => f.calls.filter((c) => c.callee === fn.name).map((c) => ({ f, c })));
  if (callers.length === 0) return false;
  const asValue = fns.some((f) => f.calls.some((c) => c.callee !== fn.name && c.args.some((a) => a.trim() === fn.name)));
  if (asValue) return false;
  return callers.every(({ f, c }) => f !== fn && guarded(fns, f, c, makers, names, field, depth - 1));
}

interface Finding {
  call: CCall;
  field: string;
  object: string;
  maker: Maker;
  uses: { fn: CFunction; call: CCall }[];
}

function unguardedUses(ctx: Ctx, file: ChangedFile, fn: CFunction): Finding[] {
  const post = file.post;
  if (!post) return [];
  const fns = post.functions.filter((f) => !f.hasErrors);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const call of fn.calls) {
    // what the commit wrote: a new call, or one it took out of its test (the line kept, the `if` gone)
    if (ctx.pairs.isSafeRelease(call.callee) || ctx.model.isHeapRelease(call.callee)) continue;
    for (const arg of call.args) {
      const field = pointerField(ctx, arg);
      if (field === null || seen.has(`${call.callee}|${field}`)) continue;
      const last = field.split('.').at(-1) as string;
      // every fill of the field by a call is an acquire's, each under a test that is no loop and does not ask for
      // the field itself (a lazy `if (!s->t) s->t = timer_new(...)` makes it whenever it is missing)
      const fills = fns.flatMap((f) => f.calls.filter((c) => c.result !== undefined && pointerField(ctx, c.result) === field).map((c) => ({ f, c })));
      if (fills.length === 0) continue;
      const makers: Maker[] = [];
      for (const { f, c } of fills) {
        const m = ctx.pairs.anyPrimitive(c.callee);
        if (!(m?.role === 'acquire' || ctx.model.isHeapAllocation(c.callee))) break;
        const guard = [...c.guards].reverse().find((g) => g.condition.kind === 'if' || g.condition.kind === 'switch');
        if (!guard || c.inLoop || guard.condition.names.includes(last) || ctx.model.onErrorBranch(f, c)) break;
        makers.push({ fn: f, call: c, guard });
      }
      if (makers.length !== fills.length) continue;
      // no other store gives the field a value (a plain assignment of a pointer handed in)
      if (fns.some((f) => f.stores.some((st) => pointerField(ctx, st.target) === field && !/^\s*NULL\s*$/.test(st.value) && !fills.some((x) => x.c.line >= st.line && x.c.line <= x.c.endLine && ctx.model.withoutCasts(st.value).startsWith(`${x.c.callee}(`))))) continue;
      const names = [...new Set(makers.flatMap((m) => predicateNames(m.guard.condition)))];
      if (names.length === 0) continue;
      // every other call on the field that needs it made (not a release that checks for itself) runs under the test
      const others = fns.flatMap((f) =>
        f.calls
          .filter((c) => c !== call && !fills.some((x) => x.c === c) && !ctx.pairs.isSafeRelease(c.callee) && !ctx.model.isHeapRelease(c.callee) && c.args.some((a) => pointerField(ctx, a) === field))
          .map((c) => ({ fn: f, call: c })),
      );
      const otherUses = others.filter((u) => !(u.fn === fn && file.added.has(u.call.line)));
      if (otherUses.length < 2 || !otherUses.every((u) => guarded(fns, u.fn, u.call, makers, names, last, 2))) continue;
      if (guarded(fns, fn, call, makers, names, last, 2)) continue;
      // introduced: a new call, or the pre-image's same call ran under such a test
      if (!file.added.has(call.line)) {
        const preLine = file.postToPre(call.line);
        const old = preLine === null ? undefined : file.pre?.functionByName(fn.name)?.calls.find((c) => c.line === preLine && c.callee === call.callee);
        if (!old || !old.guards.some((g) => asks(g, names, last))) continue;
      }
      seen.add(`${call.callee}|${field}`);
      out.push({ call, field, object: squeeze(ctx.model.withoutCasts(arg)), maker: makers[0] as Maker, uses: otherUses });
    }
  }
  return out;
}

function whenOf(g: CGuard): string {
  const text = g.condition.normalized.trim();
  if (g.condition.kind === 'switch') {
    const cases = (g.caseValues ?? []).filter((v) => v !== 'default');
    return cases.length > 0 ? `when \`${text}\` is ${cases.join(' or ')}` : `in one case of \`switch (${text})\``;
  }
  return g.negated ? `when \`${text}\` does not hold` : `when \`${text}\` holds`;
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  for (const u of unguardedUses(ctx, file, fn)) {
    const use = u.uses[0] as { fn: CFunction; call: CCall };
    const when = whenOf(u.maker.guard);
    const data = { fn: fn.name, object: u.object, makerFn: u.maker.fn.name, maker: u.maker.call.callee, when, useFn: use.fn.name, useCallee: use.call.callee };
    ctx.report({
      at: { file: file.path, line: u.call.line, endLine: u.call.endLine, function: fn.name },
      messageId: 'unguarded',
      data: {
        ...data,
        callee: u.call.callee,
        condition: u.maker.guard.condition.normalized.trim(),
        file: file.path,
        makerLine: u.maker.call.line,
        uses: u.uses.length === 1 ? 'one call' : `${u.uses.length} calls`,
        useLine: use.call.line,
      },
      related: [
        { file: file.path, line: u.maker.call.line, function: u.maker.fn.name, messageId: 'madeHere', data },
        { file: file.path, line: use.call.line, function: use.fn.name, messageId: 'guardedHere', data },
      ],
      key: `unguarded-use|${fn.name}|${u.call.callee}|${u.field}`,
      repair: { callees: [u.call.callee], functions: [fn.name] },
    });
  }
}

export const unguardedUse: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'unguarded-use',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A new call on a field the code makes only under a condition that every other call on it tests',
    docs: {
      what:
        'A call the commit writes (or takes out of its test) on a pointer field (`timer_del(s->slow_timer)`) that ' +
        'the file fills with an acquire only under a condition (`if (s->slow_mode) { s->slow_timer = ' +
        'timer_new_ns(...); }`, or one case of a `switch`), where every other call on that field in the file runs ' +
        'only under a test of the same thing or of the field itself, in the field\'s own callback, or in a function ' +
        'whose every caller in the file does. Calls of releases that check for themselves (`g_free`, and functions ' +
        'the code base writes to return on NULL) are neither counted nor reported; a field also filled without a ' +
        'test, or made lazily when missing, is not asked about. Only what the commit introduces.',
      why:
        'When the condition does not hold the field is NULL (or stale), and the new call dereferences it: a crash in ' +
        'the configuration the author did not test. The rest of the file shows the convention the new call missed.',
      fix: 'Test the same condition before the call (or the field itself: `if (s->slow_timer)`), or make the object whatever the condition.',
      bad: [
        'static void fx_tick_update(FxClockState *s, int period)',
        '{',
        '    s->period = period;',
        '    if (!period) {',
        '        s->pending = 0;',
        '        timer_del(s->tick_timer);',
        '+       timer_del(s->slow_timer);',
        '        return;',
        '    }',
        '    ...',
        '}',
        '...',
        'static void fx_clock_realize(DeviceState *dev, Error **errp)',
        '{',
        '    ...',
        '    if (s->slow_mode) {',
        '        s->slow_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, fx_slow_tick, s);',
        '    }',
        '}',
      ].join('\n'),
      good: [
        'static void fx_tick_update(FxClockState *s, int period)',
        '{',
        '    s->period = period;',
        '    if (!period) {',
        '        s->pending = 0;',
        '        timer_del(s->tick_timer);',
        '+       if (s->slow_mode) {',
        '+           timer_del(s->slow_timer);',
        '+       }',
        '        return;',
        '    }',
        '    ...',
        '}',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (file.post) checkFunction(context, file, change);
      },
    };
  },
};
