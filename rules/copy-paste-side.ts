/**
 * copy-paste-side: the release side of a pair, written by copying the acquire
 * side, still uses the acquire side's words where it must use its own: it
 * calls the acquire side's call (the add helper in del), calls through the
 * acquire slot (`->region_add` in an unregister), removes an element from a
 * list the acquire side never put it on (another head, another link), or
 * loops over an array with the bound the acquire side uses for another array.
 * Only what the commit adds to the release side, and only when the acquire
 * side has the very same call, slot, insert or bound. Also a release that
 * names one acquire's object with another acquire's argument.
 */
import type { CCall, CFunction } from '../src/cmodel/types.js';
import type { MessageData, NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, ModelService } from '../src/rule/model.js';
import type { SidePair } from '../src/pairs/sides.js';

const MESSAGES = {
  copied:
    '{{fn}}() (the release side of {{pair}}) {{what}}, as {{twin}}() on the acquire side does at ' +
    '{{path}}:{{line}}: copied from the acquire side, so the release side redoes or misses what it must undo. {{fix}}',
  // what the release side does ({{what}} above) and what to do instead ({{fix}})
  call: 'now calls {{callee}}({{args}}), the acquire of {{callee}}/{{counterpart}}',
  callFix: 'Call {{counterparts}}() here instead.',
  slot: 'now calls .{{slot}} ({{callee}}()), the acquire slot of .{{acquireSlot}}/.{{releaseSlot}}',
  slotFix: 'Call .{{releaseSlot}} here instead.',
  listHead: 'now removes from `{{head}}`, a list nothing inserts into, while the acquire side inserts into `{{twinHead}}`',
  listHeadFix: 'Remove from `{{twinHead}}`, the list the element is on.',
  listLink: 'now unlinks `{{elm}}` through `{{link}}`, a link no insert uses, while the acquire side links it through `{{twinLink}}`',
  listLinkFix: 'Unlink it through `{{twinLink}}`.',
  bound: 'now releases `{{array}}[{{index}}]` for `{{cond}}`, the bound the acquire side uses for `{{otherArray}}`, not `{{ownBound}}` with which it fills `{{array}}`',
  boundFix: 'Loop to `{{ownBound}}`, as the acquire side does for `{{array}}`.',
  crossed:
    '{{fn}}() (the release side of {{pair}}) now calls {{callee}}() on `{{object}}` with `{{arg}}`, which the acquire ' +
    'of another object, `{{otherObject}}`, took ({{path}}:{{otherLine}}), while the acquire of `{{object}}` took ' +
    '`{{ownArg}}` ({{path}}:{{ownLine}}): the release was copied from the one for `{{otherObject}}`, so it undoes with ' +
    'the wrong `{{arg}}` and leaves what `{{ownArg}}` names held. Hand it `{{ownArg}}`.',
  // related locations
  ownAcquire: 'the acquire of `{{object}}` takes `{{ownArg}}` here',
  acquireCopy: "the acquire side's copy in {{fn}}()",
};

type MessageId = keyof typeof MESSAGES;
type Ctx = RuleContext<NoOptions, MessageId>;

const norm = (s: string) => s.replace(/\s+/g, '');
const sameArgs = (a: CCall, b: CCall) => a.args.length === b.args.length && a.args.every((x, i) => norm(x) === norm(b.args[i] as string));
/** Two field chains name the same list head when the shorter is a suffix of the longer (`listeners`, `address_space.listeners`). */
const sameHead = (a: string | null, b: string | null) => {
  if (a === null || b === null) return false;
  const x = a.split('.');
  const y = b.split('.');
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.every((f, i) => f === long[long.length - short.length + i]);
};
/** Does the call name an object of its own: a field chain, or a parameter of the function? */
const namesObject = (model: ModelService, call: CCall, fn: CFunction) =>
  call.args.some((a) => model.fieldChain(a) !== null || (fn.params ?? []).includes(a.replace(/^&\s*/, '').trim()));
const slotOf = (call: CCall) => /(?:->|\.)\s*(\w+)$/.exec(call.callee)?.[1] ?? null;

interface Sides {
  acquire: { fn: CFunction; path: string }[];
  release: { fn: CFunction; path: string }[];
  /** release-side functions of this file the commit touched */
  changed: CFunction[];
}

function sidesOf(ctx: Ctx, file: ChangedFile, pair: SidePair): Sides {
  const summary = ctx.model.summary();
  const roots = ctx.model.sideRootsOf(file.postSides, pair);
  const acquire = [...summary.reach('post', roots.acquire, roots.release, file.path).values()];
  // a function both sides run (a handler both install) belongs to neither: what it does copies no side
  const shared = new Set(acquire.map((r) => r.fn.name));
  const changed = [...pair.releaseSide].filter((n) => file.touched(n) && !shared.has(n)).map((n) => file.post!.functionByName(n)).filter((f): f is CFunction => !!f);
  return {
    acquire,
    release: [...summary.reach('post', roots.release, roots.acquire, file.path).values()],
    changed,
  };
}

/** What was copied: a `what` and a `fix` message of this rule, with their data. */
interface Copy {
  what: MessageId;
  fix: MessageId;
  data: MessageData;
}

function report(ctx: Ctx, file: ChangedFile, pair: SidePair, fn: CFunction, call: CCall, mode: string, copy: Copy, copied: { fn: CFunction; path: string; line: number }, key: string): void {
  ctx.report({
    at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
    messageId: 'copied',
    data: {
      fn: fn.name,
      pair: pair.label,
      what: ctx.format(copy.what, copy.data),
      twin: copied.fn.name,
      path: copied.path,
      line: copied.line,
      fix: ctx.format(copy.fix, copy.data),
    },
    related: [{ file: copied.path, line: copied.line, function: copied.fn.name, messageId: 'acquireCopy', data: { fn: copied.fn.name } }],
    key: `copy|${mode}|${pair.acquire}/${pair.release}|${key}`,
  });
}

/** (a) the release side makes the acquire side's own acquire call, with the same arguments, and never its counterpart. */
function copiedCalls(ctx: Ctx, file: ChangedFile, pair: SidePair, s: Sides): void {
  const summary = ctx.model.summary();
  for (const fn of s.changed) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const m = summary.primitive(call.callee);
      if (!m || m.role !== 'acquire' || m.counterparts.length === 0) continue;
      // a fresh allocation or a lookup (`g_new0(T, 1)`, `*_get_*`) both sides may make; a call on no object of its own
      if (m.pair.onlyWithList || ctx.model.isHeapAllocation(call.callee) || /(^|_)(get|lookup|find)(_|$)/.test(call.callee)) continue;
      if (!namesObject(ctx.model, call, fn)) continue;
      // the acquire side's own copy, on its normal path (an unwind there undoes like a release side)
      const twin = s.acquire
        .flatMap((r) => r.fn.calls.filter((c) => c.callee === call.callee && sameArgs(c, call) && !ctx.model.onErrorPath(r.fn, c.line)).map((c) => ({ c, r })))[0];
      if (!twin) continue;
      if (s.release.some((r) => r.fn.calls.some((c) => m.counterparts.includes(c.callee) && ctx.model.sameObject(c, call)))) continue;
      // the old self already made that call (the line is only reworded or moved): not introduced
      if (summary.alreadySo(fn, file, (old, rename) => old.calls.some((c) => c.callee === rename(call.callee) && sameArgs(c, call)))) continue;
      const data = { callee: call.callee, args: call.args.join(', '), counterpart: m.counterparts[0] as string, counterparts: m.counterparts.join('() or ') };
      report(ctx, file, pair, fn, call, 'call', { what: 'call', fix: 'callFix', data }, { fn: twin.r.fn, path: twin.r.path, line: twin.c.line }, call.callee);
    }
  }
}

/** (a) the release side calls through the acquire slot of a slot pair (`->region_add` in an unregister), and never through the release slot. */
function copiedSlots(ctx: Ctx, file: ChangedFile, pair: SidePair, s: Sides): void {
  for (const fn of s.changed) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const slot = slotOf(call);
      const slotPair = slot ? ctx.pairs.data.slots.find((p) => p.acquire === slot) : undefined;
      if (!slot || !slotPair) continue;
      const twin = s.acquire.flatMap((r) => r.fn.calls.filter((c) => slotOf(c) === slot).map((c) => ({ c, r })))[0];
      if (!twin) continue;
      if (s.release.some((r) => r.fn.calls.some((c) => slotOf(c) === slotPair.release))) continue;
      if (ctx.model.summary().alreadySo(fn, file, (old) => old.calls.some((c) => slotOf(c) === slot))) continue;
      const data = { slot, callee: call.callee, acquireSlot: slotPair.acquire, releaseSlot: slotPair.release };
      report(ctx, file, pair, fn, call, 'slot', { what: 'slot', fix: 'slotFix', data }, { fn: twin.r.fn, path: twin.r.path, line: twin.c.line }, slot);
    }
  }
}

/** (a) the release side takes an element off a list the acquire side never put it on: another head, or another link field. */
function copiedLists(ctx: Ctx, file: ChangedFile, pair: SidePair, s: Sides): void {
  const m = ctx.model;
  const summary = m.summary();
  const inserts = m.listOps(s.acquire.map((r) => r.fn), 'insert');
  if (inserts.length === 0) return;
  const allInserts = m.listOps(summary.post.all().map((p) => p.fn), 'insert');
  for (const fn of s.changed) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const op = m.listOp(call);
      if (!op || op.op !== 'remove') continue;
      const rm = op.list;
      // the old self already took it off the same list the same way: not introduced
      const sameRemove = (c: CCall) => {
        const o = m.listOp(c);
        return o !== null && o.op === 'remove' && o.list.kind === rm.kind && o.list.link === rm.link && (o.list.head === rm.head || sameHead(o.list.head, rm.head));
      };
      if (summary.alreadySo(fn, file, (old) => old.calls.some(sameRemove))) continue;
      const at = (i: (typeof inserts)[number]) => {
        const r = s.acquire.find((x) => x.fn.calls.includes(i.call))!;
        return { fn: r.fn, path: r.path, line: i.call.line };
      };
      if (rm.head !== null) {
        // a head nothing in the program inserts into, while the acquire side inserts with the same link into another
        if (allInserts.some((i) => sameHead(i.head, rm.head))) continue;
        const twin = inserts.find((i) => i.kind === rm.kind && i.link === rm.link && i.head !== null && !sameHead(i.head, rm.head));
        if (!twin) continue;
        const data = { head: rm.head, twinHead: twin.head ?? '' };
        report(ctx, file, pair, fn, call, 'list', { what: 'listHead', fix: 'listHeadFix', data }, at(twin), `${rm.head}|${twin.head}`);
      } else {
        // QLIST_REMOVE(elm, link): the acquire side links the same element through another field, and nothing links through this one
        if (allInserts.some((i) => i.kind === rm.kind && i.link === rm.link)) continue;
        const elm = m.fieldChain(rm.elm)?.join('.') ?? rm.elm;
        const twin = inserts.find((i) => i.kind === rm.kind && (m.fieldChain(i.elm)?.join('.') ?? i.elm) === elm && i.link !== rm.link);
        if (!twin) continue;
        const data = { elm: rm.elm, link: rm.link, twinLink: twin.link };
        report(ctx, file, pair, fn, call, 'list', { what: 'listLink', fix: 'listLinkFix', data }, at(twin), `${rm.link}|${twin.link}`);
      }
    }
  }
}

/** (a) a release loop over an array with the bound the acquire side uses for another array. */
function copiedBounds(ctx: Ctx, file: ChangedFile, pair: SidePair, s: Sides): void {
  const model = ctx.model;
  const summary = model.summary();
  const acquireLoops = s.acquire.flatMap((r) => model.indexLoops(r.fn).map((l) => ({ l, r, arrays: model.indexedArrays(l).map((x) => x.array) })));
  if (acquireLoops.length < 2) return;
  for (const fn of s.changed) {
    for (const loop of model.indexLoops(fn)) {
      const loopNew = file.addedIn(loop.cond.line, loop.cond.endLine);
      for (const { array, call } of model.indexedArrays(loop)) {
        if (!loopNew && !file.added.has(call.line)) continue;
        const m = summary.primitive(call.callee);
        if (!(m?.role === 'release' || ctx.pairs.hasReleaseVerb(call.callee))) continue;
        // the acquire side walks this array with another bound, and another array with this loop's bound
        // the old self already walked this array with this bound: not introduced
        if (summary.alreadySo(fn, file, (old) => model.indexLoops(old).some((l) => l.bound === loop.bound && model.indexedArrays(l).some((x) => x.array === array)))) continue;
        const own = acquireLoops.find((a) => a.arrays.includes(array));
        const other = acquireLoops.find((a) => a.l.bound === loop.bound && !a.arrays.includes(array) && a.arrays.length > 0);
        if (!own || own.l.bound === loop.bound || !other) continue;
        const data = { array, index: loop.index, cond: loop.cond.normalized, otherArray: other.arrays[0] as string, ownBound: own.l.bound };
        report(ctx, file, pair, fn, call, 'bound', { what: 'bound', fix: 'boundFix', data }, { fn: own.r.fn, path: own.r.path, line: own.l.cond.line }, `${array}|${loop.bound}`);
        break;
      }
    }
  }
}

/**
 * (e) a release the commit adds on the release side that names the object one acquire made (its result field) with an
 * argument of another acquire of the same pair (`unmap(dev, s->rx, &s->tx_ref)` where `s->rx = map(dev, &s->rx_ref)`
 * and `s->tx = map(dev, &s->tx_ref)`), an argument the object's own acquire did not take, while that acquire took one
 * the release does not name: the release of the other object, copied and half edited.
 */
function crossedArguments(ctx: Ctx, file: ChangedFile, pair: SidePair, s: Sides): void {
  const summary = ctx.model.summary();
  const chain = (a: string) => ctx.model.fieldChain(a.replace(/^&\s*/, '').trim())?.join('.') ?? null;
  for (const fn of s.changed) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const m = ctx.model.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
      if (m?.role !== 'release') continue;
      // the acquires of the pair on the acquire side that keep their object in a field, with the fields they take
      const acquires = s.acquire.flatMap((a) =>
        a.fn.calls.filter((c) => m.counterparts.includes(c.callee) && c.result !== undefined && chain(c.result) !== null).map((c) => ({ c, a, object: chain(c.result as string) as string, args: c.args.map(chain).filter((x): x is string => x !== null) })),
      );
      if (acquires.length < 2) continue;
      const named = call.args.map(chain).filter((x): x is string => x !== null);
      const own = acquires.find((x) => named.includes(x.object));
      if (!own) continue;
      const stray = named.find((n) => n !== own.object && !own.args.includes(n) && acquires.some((x) => x !== own && x.args.includes(n)));
      if (stray === undefined) continue;
      const other = acquires.find((x) => x !== own && x.args.includes(stray));
      const ownArg = own.args.find((x) => !named.includes(x) && !acquires.some((y) => y !== own && y.args.includes(x)));
      if (!other || ownArg === undefined) continue;
      const fullArg = call.args.find((x) => chain(x) === stray)?.trim() ?? stray;
      const fullOwn = own.c.args.find((x) => chain(x) === ownArg)?.trim() ?? ownArg;
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: 'crossed',
        data: {
          fn: fn.name,
          pair: pair.label,
          callee: call.callee,
          object: (own.c.result as string).trim(),
          arg: fullArg,
          otherObject: (other.c.result as string).trim(),
          path: own.a.path,
          otherLine: other.c.line,
          ownArg: fullOwn,
          ownLine: own.c.line,
        },
        related: [{ file: own.a.path, line: own.c.line, function: own.a.fn.name, messageId: 'ownAcquire', data: { object: (own.c.result as string).trim(), ownArg: fullOwn } }],
        key: `copy|crossed|${pair.acquire}/${pair.release}|${own.object}|${stray}`,
      });
    }
  }
}

export const copyPasteSide: Rule<NoOptions, MessageId> = {
  meta: {
    id: 'copy-paste-side',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: "The release side uses the acquire side's call, slot, list or loop bound (copied from it)",
    docs: {
      what:
        "Code the commit adds to the release side of a pair uses the acquire side's words where it needs its own: the " +
        "acquire side's call with the same arguments (an add helper in del) and never its counterpart; a call through the " +
        'acquire slot of a slot pair (`->region_add` in an unregister) and none through the release slot; a removal from a ' +
        'list head nothing inserts into while the acquire side inserts with the same link into another head, or an unlink ' +
        'through a link field no insert uses; a release loop over an array with the bound the acquire side uses for ' +
        'another array; a release that names the object one acquire made with an argument another acquire of the same ' +
        'pair took (`fx_unmap(dev, dev->rxs, &dev->tx_ref)` after `dev->rxs = fx_map(dev, &dev->rx_ref)`), not its own.',
      why:
        'The release side is often written by copying the acquire side and renaming. A name left unrenamed compiles and ' +
        'runs: del adds again what it should remove, unregister sends the add callback, an element is unlinked from a list ' +
        'it is not on (corrupting it), a cleanup loop walks past the end of one array or stops short of the other.',
      fix: "Use the release side's own call, slot, list or bound: the counterpart of what the acquire side used.",
      bad: [
        'static void fx_region_add(FxState *s, FxEntry *e)',
        '{',
        '    QTAILQ_INSERT_TAIL(&s->active, e, next);',
        '}',
        'static void fx_region_del(FxState *s, FxEntry *e)',
        '{',
        '+   QTAILQ_REMOVE(&s->pending, e, next);',
        '}',
      ].join('\n'),
      good: ['static void fx_region_del(FxState *s, FxEntry *e)', '{', '+   QTAILQ_REMOVE(&s->active, e, next);', '}'].join('\n'),
    },
  },
  create(ctx) {
    return {
      pair(file, pair) {
        if (!file.post || ![...pair.releaseSide].some((n) => file.touched(n))) return;
        const s = sidesOf(ctx, file, pair);
        if (s.changed.length === 0) return;
        copiedCalls(ctx, file, pair, s);
        copiedSlots(ctx, file, pair, s);
        copiedLists(ctx, file, pair, s);
        copiedBounds(ctx, file, pair, s);
        crossedArguments(ctx, file, pair, s);
      },
    };
  },
};
