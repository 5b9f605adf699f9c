/**
 * released-borrowed: a variable of the function that holds what an acquire
 * made on one path and what a field holds on another (`if (x) { name =
 * g_strdup_printf(...); } else { name = dev->name; }`), released after the
 * paths meet whichever way they went: on the path that borrowed, the release
 * gives back what the field still points to. Read off one function's calls
 * and the values its variables are given; only what the commit introduces.
 */
import type { CAssignment, CCall, CExit, CFunction, CGuard } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, FunctionChange } from '../src/rule/model.js';

const MESSAGES = {
  borrowed:
    '{{fn}}() releases `{{variable}}` with {{release}}() here whichever path led to it, but on the path through ' +
    '{{file}}:{{borrowLine}} `{{variable}}` holds `{{source}}`, which {{fn}}() does not own: only the path through ' +
    '{{acquire}}() at {{file}}:{{acquireLine}} gives it a value of its own. On the other path this releases what ' +
    '`{{source}}` still points to: its next reader uses freed memory, and its owner releases it a second time. ' +
    'Release `{{variable}}` only where {{acquire}}() made it, or give the other path a copy of its own.',
  // related locations
  borrowedHere: '`{{variable}}` is given `{{source}}` here, which {{fn}}() does not own',
  acquiredHere: '{{acquire}}() gives `{{variable}}` a value of its own here, on the other path',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

interface Borrowed {
  variable: string;
  acquire: CCall;
  borrow: CAssignment;
  /** the field chain borrowed, as written (`dev->name`) */
  source: string;
  release: CCall;
}

const squeeze = (t: string) => t.replace(/\s+/g, '');

/** Is `outer` the start of `inner`: does code under `inner` run only where code under `outer` does? */
const prefixOf = (outer: readonly CGuard[], inner: readonly CGuard[]) =>
  outer.length <= inner.length && outer.every((g, i) => g.condition === inner[i]?.condition && g.negated === inner[i]?.negated);

/** A field chain read as it is (`dev->name`, `s->cfg.path`): no call, no address, no arithmetic, no index. */
function fieldSource(value: string): string | null {
  const v = value.trim();
  return /^\w+(\s*(->|\.)\s*\w+)+$/.test(v) && v.includes('->') ? v : null;
}

/**
 * Does a statement at `line` (under `guards`) run on every path from a value given at `from` (under
 * `fromGuards`) to `to`? Only when it stands between them in a block the value's own block is inside of.
 */
const onEveryPathAfter = (line: number, guards: readonly CGuard[], from: number, fromGuards: readonly CGuard[], to: number) =>
  line > from && line < to && prefixOf(guards, fromGuards);

/**
 * The releases of a variable of the function that on one path holds what an acquire of the release's pair
 * made into it and on another what a field holds, where neither value replaces the other on the way (they are
 * given in two branches, or the field's value first and the acquire under a test), no exit leaves between the
 * field's value and the release, and the release stands outside the branches the two values are given in and
 * under no test of its own. Not when the function takes the value out of the field or gives the field another
 * (`old = s->buf; s->buf = fresh; g_free(old);` hands the old value over).
 */
function borrowedReleases(ctx: Ctx, fn: CFunction): Borrowed[] {
  const out: Borrowed[] = [];
  const assigned = fn.assignments ?? [];
  const params = new Set(fn.params ?? []);
  for (const release of fn.calls) {
    const m = ctx.pairs.anyPrimitive(release.callee);
    if (m?.role !== 'release' || release.args.length === 0) continue;
    const variable = ctx.model.withoutCasts(release.args[0] as string);
    if (!/^\w+$/.test(variable) || params.has(variable)) continue;
    const acquire = fn.calls.find((c) => {
      if (c.line >= release.line || c.resultLocal !== true || c.result?.trim() !== variable || c.autoReleased) return false;
      const a = ctx.pairs.anyPrimitive(c.callee);
      // (a heap allocation the table knows, freed by a heap free: `g_build_filename()` and g_free())
      return (a?.role === 'acquire' && a.counterparts.includes(release.callee)) || (ctx.model.isHeapAllocation(c.callee) && ctx.model.isHeapRelease(release.callee));
    });
    if (!acquire) continue;
    for (const borrow of assigned) {
      if (borrow.target !== variable || borrow.operator !== undefined || borrow.line >= release.line || borrow.inLoop) continue;
      const source = fieldSource(ctx.model.withoutCasts(borrow.value));
      if (source === null) continue;
      // the two values meet at the release: neither replaces the other, and the release is under neither's test
      if (onEveryPathAfter(acquire.line, acquire.guards, borrow.line, borrow.guards, release.line)) continue;
      if (onEveryPathAfter(borrow.line, borrow.guards, acquire.line, acquire.guards, release.line)) continue;
      if (!prefixOf(release.guards, borrow.guards) || !prefixOf(release.guards, acquire.guards)) continue;
      if (prefixOf(borrow.guards, acquire.guards) && borrow.line > acquire.line) continue;
      // nothing else gives the variable a value on the way, and no exit leaves between
      const givenAgain = (line: number, guards: readonly CGuard[]) => onEveryPathAfter(line, guards, borrow.line, borrow.guards, release.line);
      if (assigned.some((a) => a !== borrow && a.target === variable && givenAgain(a.line, a.guards))) continue;
      if (fn.calls.some((c) => c !== acquire && c.result?.trim() === variable && givenAgain(c.line, c.guards))) continue;
      if (fn.exits.some((e: CExit) => (e.kind === 'return' || e.kind === 'goto') && givenAgain(e.line, e.guards))) continue;
      // the field handed over: given another value, cleared, or stolen (`g_steal_pointer(&s->buf)`)
      const field = squeeze(source);
      if (fn.stores.some((st) => st.line > borrow.line && squeeze(st.target) === field)) continue;
      if (fn.calls.some((c) => c.line > borrow.line && c.args.some((a) => squeeze(a) === `&${field}`))) continue;
      out.push({ variable, acquire, borrow, source, release });
      break;
    }
  }
  return out;
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const found = ctx.model.summary().introduced(
    fn,
    file,
    (f) => borrowedReleases(ctx, f),
    (b, rename) => [`${rename(b.release.callee)}|${b.variable}|${squeeze(b.source)}|${rename(b.acquire.callee)}`],
  );
  for (const b of found) {
    const data = { fn: fn.name, variable: b.variable, source: b.source, acquire: b.acquire.callee, release: b.release.callee };
    ctx.report({
      at: { file: file.path, line: b.release.line, endLine: b.release.endLine, function: fn.name },
      messageId: 'borrowed',
      data: { ...data, file: file.path, borrowLine: b.borrow.line, acquireLine: b.acquire.line },
      related: [
        { file: file.path, line: b.borrow.line, function: fn.name, messageId: 'borrowedHere', data },
        { file: file.path, line: b.acquire.line, function: fn.name, messageId: 'acquiredHere', data },
      ],
      key: `borrowed|${fn.name}|${b.release.callee}|${b.variable}|${squeeze(b.source)}`,
      repair: { callees: [b.release.callee, b.acquire.callee], functions: [fn.name] },
    });
  }
}

export const releasedBorrowed: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'released-borrowed',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A release of a variable that holds its own value on one path and a field\'s value on another',
    docs: {
      what:
        'In one function, a variable given what an acquire made on one path (`name = g_strdup_printf(...)`) and the ' +
        'value of a field on another (`name = dev->name`), and then released with the acquire\'s counterpart ' +
        '(`g_free(name)`) where the two paths have met, under no test of its own. The two values are given in two ' +
        'branches, or the field\'s value first and the acquire under a test; nothing gives the variable another value ' +
        'and no exit leaves between the field\'s value and the release. Not when the function hands the field\'s value ' +
        'over: gives the field another value or clears it, or steals it (`g_steal_pointer(&dev->name)`). Only what the ' +
        'commit introduces.',
      why:
        'The field still points to what the release gives back: the next reader of the field uses freed memory, and ' +
        'whatever owns the field (finalize, a reset) releases it a second time. The path that borrows is often the ' +
        'common one (no property set), so the other path, tested by the author, works.',
      fix: 'Release the variable only on the path that made it (under the same test), or give the other path a copy of its own (`g_strdup(dev->name)`), or use a second variable for the value the function owns.',
      bad: [
        'static void fx_dev_realize(FxDevice *dev, Error **errp)',
        '{',
        '+   char *name;',
        '+',
        '+   if (dev->token) {',
        '+       name = g_strdup_printf("%s token=%s", dev->name, dev->token);',
        '+   } else {',
        '+       name = dev->name;',
        '+   }',
        '+   fx_open(dev, name, errp);',
        '+   g_free(name);',
        '}',
      ].join('\n'),
      good: [
        'static void fx_dev_realize(FxDevice *dev, Error **errp)',
        '{',
        '+   g_autofree char *name = NULL;',
        '+',
        '+   if (dev->token) {',
        '+       name = g_strdup_printf("%s token=%s", dev->name, dev->token);',
        '+   } else {',
        '+       name = g_strdup(dev->name);',
        '+   }',
        '+   fx_open(dev, name, errp);',
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
