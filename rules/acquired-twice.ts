/**
 * acquired-twice: the commit makes a function take the same object twice on one path (a subregion added twice,
 * a notifier registered twice, a mutex initialised twice) with nothing between that gives it back. The second
 * take is the classic copy-paste of the block before, with the object name left unedited: the object the block
 * was written for is never taken, and the one it names is taken again (an assertion, a corrupted list).
 */
import type { CCall, CFunction } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { PrimitiveMatch } from '../src/pairs/table.js';
import type { ChangedFile, FunctionChange } from '../src/rule/model.js';

const MESSAGES = {
  twice:
    '{{fn}}() now calls {{acquire}}() on `{{object}}` a second time on the same path (first at {{file}}:{{firstLine}}), ' +
    'with no {{release}}() between: the second {{acquire}}() takes again what is already taken (a region added twice, ' +
    'a notifier on the list twice). If this call was copied from the first, make it take the object it was written for; ' +
    'otherwise drop one of the two.',
  twiceLeftOut:
    '{{fn}}() now calls {{acquire}}() on `{{object}}` a second time on the same path (first at {{file}}:{{firstLine}}), ' +
    'with no {{release}}() between, while `{{leftOut}}`, set up just before with {{setUp}}() ({{file}}:{{setUpLine}}), ' +
    'is never handed on: the call looks copied from the first one with its object left unedited. Make it take ' +
    '`{{leftOut}}`, or drop it.',
  // related locations
  first: 'the first {{acquire}}() of `{{object}}`, on the same path',
  setUpHere: '`{{leftOut}}` is set up here and never used again',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

/** A count or a reference: taking it twice is two holds, released twice (`object_ref`, `*_get`, `*_inc`). */
const COUNTED = /(^|_)(un)?ref(_|$)|(^|_)(get|inc|hold|pin|lock|begin|start|enable)(_|$)/;

/** An argument as the object it names (`&s->sci` → `s->sci`), or null for a constant or an expression (`0x100`, `FX_BASE + 4`). */
function objectArg(arg: string): string | null {
  const t = arg.replace(/\s+/g, '').replace(/^\(\w+\*?\)/, '').replace(/^&/, '');
  return /^[a-z_]\w*((->|\.)\w+|\[[^\]]*\])*$/.test(t) ? t.replace(/\./g, '->') : null;
}

/** The field chains among a call's arguments (`&s->sci` → `s->sci`), in order: the objects it works on by name. */
function chainArgs(call: CCall): string[] {
  return call.args.map(objectArg).filter((t): t is string => t !== null && t.includes('->'));
}

/**
 * The objects a call works on, by position (`fx_region_add(sysmem, FX_BASE, &s->a)` → `sysmem,,s->a`):
 * two calls with the same objects at every position, whatever their constants (an offset), take the same thing.
 */
const objectsKey = (call: CCall): string => call.args.map((a) => objectArg(a) ?? '').join(',');

interface Twice {
  first: CCall;
  second: CCall;
  match: PrimitiveMatch;
  /** the object both take: the field chain the second names */
  object: string;
}

/** Does a field chain appear in any argument or store of `fn` from `from` on (the object handed on)? */
function usedFrom(fn: CFunction, chain: string, from: number, except: CCall): boolean {
  const names = (t: string) => t.replace(/\s+/g, '').replace(/\./g, '->').includes(chain);
  return fn.calls.some((c) => c !== except && c.line >= from && c.args.some(names)) || fn.stores.some((st) => st.line >= from && (names(st.value) || names(st.target)));
}

/**
 * The same acquire (a pair primitive that makes no value of its own, not a count or a reference) twice on one path
 * of `fn`, with the same objects at every argument (a field chain among them; constants may differ): the second runs whenever the first ran, nothing between
 * leaves, releases that object, stores into it, or calls a function that stops; not in a loop.
 */
function acquiredTwice(ctx: Ctx, fn: CFunction): Twice[] {
  const out: Twice[] = [];
  const takes: { call: CCall; match: PrimitiveMatch; chains: string; objects: string }[] = [];
  for (const call of fn.calls) {
    if (call.inLoop || call.result !== undefined || call.autoReleased) continue;
    const match = ctx.pairs.anyPrimitive(call.callee);
    if (match?.role !== 'acquire' || match.pair.onlyWithList || COUNTED.test(call.callee)) continue;
    const chains = chainArgs(call);
    if (chains.length === 0) continue;
    takes.push({ call, match, chains: chains.join(','), objects: objectsKey(call) });
  }
  for (let i = 0; i < takes.length; i++) {
    const a = takes[i]!;
    const b = takes.slice(i + 1).find((t) => t.call.callee === a.call.callee && t.objects === a.objects);
    if (!b || !ctx.model.guardsCover(b.call.guards, a.call.guards) || !ctx.model.guardsCover(a.call.guards, b.call.guards)) continue;
    const between = (line: number) => line > a.call.endLine && line < b.call.line;
    if (fn.exits.some((e) => between(e.line)) || fn.labels.some((l) => between(l.line))) continue;
    const objects = a.chains.split(',');
    const names = (t: string) => objects.some((o) => t.replace(/\s+/g, '').replace(/\./g, '->').replace(/^&/, '') === o);
    if (fn.calls.some((c) => between(c.line) && a.match.counterparts.includes(c.callee) && c.args.some(names))) continue;
    if (fn.stores.some((st) => between(st.line) && names(st.target))) continue;
    out.push({ first: a.call, second: b.call, match: a.match, object: objects[objects.length - 1] as string });
  }
  return out;
}

/**
 * The object the second take was probably written for: a field chain a call between the two takes sets up (its
 * first argument, `fx_init_alias(&s->b, ...)`) that nothing after that call names, in this function or another of
 * the file. The nearest one before the second take.
 */
function leftOut(file: ChangedFile, fn: CFunction, t: Twice): { chain: string; call: CCall } | null {
  const candidates = fn.calls
    .filter((c) => c.line > t.first.endLine && c.line < t.second.line && c.args[0] !== undefined)
    .sort((x, y) => y.line - x.line);
  for (const c of candidates) {
    const chain = chainArgs({ ...c, args: [c.args[0] as string] })[0];
    if (chain === undefined || chain === t.object) continue;
    if (usedFrom(fn, chain, c.line + 1, c)) continue;
    const elsewhere = (file.post?.functions ?? []).some((f) => f !== fn && usedFrom(f, chain, 0, c));
    if (!elsewhere) return { chain, call: c };
  }
  return null;
}

function check(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  // "introduced" is decided by the model: the same call on the same objects taken twice in the pre-image is not new
  const found = summary.introduced(fn, file, (f) => acquiredTwice(ctx, f), (t, rename) => [`${rename(t.first.callee)}|${chainArgs(t.second).join(',')}`]);
  for (const t of found) {
    if (!file.addedIn(t.second.line, t.second.endLine) && !file.addedIn(t.first.line, t.first.endLine)) continue;
    const release = t.match.counterparts[0] ?? 'release';
    const data = { fn: fn.name, acquire: t.second.callee, object: t.object, file: file.path, firstLine: t.first.line, release };
    const left = leftOut(file, fn, t);
    ctx.report({
      at: { file: file.path, line: t.second.line, endLine: t.second.endLine, function: fn.name },
      ...(left
        ? { messageId: 'twiceLeftOut', data: { ...data, leftOut: left.chain, setUp: left.call.callee, setUpLine: left.call.line } }
        : { messageId: 'twice', data }),
      related: [
        { file: file.path, line: t.first.line, function: fn.name, messageId: 'first', data: { acquire: t.first.callee, object: t.object } },
        ...(left ? [{ file: file.path, line: left.call.line, function: fn.name, messageId: 'setUpHere' as const, data: { leftOut: left.chain } }] : []),
      ],
      key: `acquired-twice|${fn.name}|${t.second.callee}|${t.object}`,
      repair: { callees: [t.second.callee], functions: [fn.name] },
    });
  }
}

export const acquiredTwiceRule: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'acquired-twice',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'The commit makes a function take the same object twice on one path (a subregion added twice, a notifier registered twice) with nothing between that gives it back',
    docs: {
      what:
        'In one function, an acquire of the pair table or of the code base\'s learned pairs that makes no value of its ' +
        'own (it works on objects it is handed: `fx_region_add(sysmem, addr, &s->a)`, ' +
        '`notifier_list_add(&l, &s->n)`) is called twice with the same objects at every argument (a field chain among ' +
        'them; constants such as an offset may differ: two regions put into one container are two objects), on one path ' +
        '(each runs whenever the other does; not in a loop), with nothing between that leaves, releases that object ' +
        'with a counterpart, or stores into it; and the commit adds one of the two calls. Counts and references ' +
        '(`*_ref`, `*_get`, `*_inc`, locks, `*_start`, `*_enable`) are left alone: two holds are a balance. When a ' +
        'call between the two sets up a field of its own (its first argument) that nothing after it names, in this ' +
        'function or another of the file, the message names it as the object the second call was probably written for.',
      why:
        'Blocks of board and device setup are written by copying the block before and renaming: the one name left ' +
        'unedited takes the first object a second time (a region added twice asserts, a notifier list ' +
        'loops) and the object the block set up is never mapped or registered. A reviewer reads the renamed lines and ' +
        'misses the one that was not.',
      fix: 'Make the second call take the object its block set up, or drop it.',
      bad: [
        'static void fx_board_init(FxBoard *s, MemoryRegion *sysmem)',
        '{',
        '    fx_alias_init(&s->uart0_alias, "uart0-alias", s->uart0, 0x100);',
        '    fx_region_add(sysmem, FX_ALIAS_BASE, &s->uart0_alias);',
        '+   fx_alias_init(&s->uart1_alias, "uart1-alias", s->uart1, 0x100);',
        '+   fx_region_add(sysmem, FX_ALIAS_BASE + 0x100, &s->uart0_alias);',
        '}',
      ].join('\n'),
      good: ['+   fx_alias_init(&s->uart1_alias, "uart1-alias", s->uart1, 0x100);', '+   fx_region_add(sysmem, FX_ALIAS_BASE + 0x100, &s->uart1_alias);'].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (file.post) check(context, file, change);
      },
    };
  },
};
