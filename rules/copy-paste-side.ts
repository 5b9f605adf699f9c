/**
 * copy-paste-side: the release side of a pair, written by copying the acquire
 * side, still uses the acquire side's words where it must use its own: it
 * calls the acquire side's call (the add helper in del), calls through the
 * acquire slot (`->region_add` in an unregister), removes an element from a
 * list the acquire side never put it on (another head, another link), or
 * loops over an array with the bound the acquire side uses for another array.
 * Only what the commit adds to the release side, and only when the acquire
 * side has the very same call, slot, insert or bound.
 */
import type { CCall, CFunction } from '../src/cmodel/types.js';
import type { Rule, RuleContext } from '../src/engine/rule.js';
import type { ChangedFile } from '../src/engine/changed-file.js';
import type { SidePair } from '../src/pairs/sides.js';
import { sideRootsOf, summaryOf } from '../src/summary/commit.js';
import { sameObject } from '../src/analysis/objects.js';
import { hasReleaseVerb } from '../src/pairs/learn/morphology.js';
import { fieldChain, HEAP_ALLOC } from '../src/model/fields.js';
import { onErrorPath } from '../src/analysis/skips.js';
import { indexedArrays, indexLoops, listOp, listOps } from '../src/model/lists.js';

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
const namesObject = (call: CCall, fn: CFunction) =>
  call.args.some((a) => fieldChain(a) !== null || (fn.params ?? []).includes(a.replace(/^&\s*/, '').trim()));
const slotOf = (call: CCall) => /(?:->|\.)\s*(\w+)$/.exec(call.callee)?.[1] ?? null;

interface Sides {
  acquire: { fn: CFunction; path: string }[];
  release: { fn: CFunction; path: string }[];
  /** release-side functions of this file the commit touched */
  changed: CFunction[];
}

function sidesOf(ctx: RuleContext, file: ChangedFile, pair: SidePair): Sides {
  const summary = summaryOf(ctx.files, ctx.pairs);
  const roots = sideRootsOf(file.postSides, pair);
  const changed = [...pair.releaseSide].filter((n) => file.touched(n)).map((n) => file.post!.functionByName(n)).filter((f): f is CFunction => !!f);
  return {
    acquire: [...summary.reach('post', roots.acquire, roots.release, file.path).values()],
    release: [...summary.reach('post', roots.release, roots.acquire, file.path).values()],
    changed,
  };
}

function report(ctx: RuleContext, file: ChangedFile, pair: SidePair, fn: CFunction, call: CCall, mode: string, what: string, copied: { fn: CFunction; path: string; line: number }, fix: string, key: string): void {
  ctx.report({
    file: file.path,
    line: call.line,
    endLine: call.endLine,
    function: fn.name,
    message:
      `${fn.name}() (the release side of ${pair.label}) ${what}, as ${copied.fn.name}() on the acquire side does at ` +
      `${copied.path}:${copied.line}: copied from the acquire side, so the release side redoes or misses what it must undo. ${fix}`,
    related: [{ file: copied.path, line: copied.line, function: copied.fn.name, message: `the acquire side's copy in ${copied.fn.name}()` }],
    key: `copy|${mode}|${pair.acquire}/${pair.release}|${key}`,
  });
}

/** (a) the release side makes the acquire side's own acquire call, with the same arguments, and never its counterpart. */
function copiedCalls(ctx: RuleContext, file: ChangedFile, pair: SidePair, s: Sides): void {
  const summary = summaryOf(ctx.files, ctx.pairs);
  for (const fn of s.changed) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const m = summary.primitive(call.callee);
      if (!m || m.role !== 'acquire' || m.counterparts.length === 0) continue;
      // a fresh allocation or a lookup (`g_new0(T, 1)`, `*_get_*`) both sides may make; a call on no object of its own
      if (m.pair.onlyWithList || HEAP_ALLOC.test(call.callee) || /(^|_)(get|lookup|find)(_|$)/.test(call.callee)) continue;
      if (!namesObject(call, fn)) continue;
      // the acquire side's own copy, on its normal path (an unwind there undoes like a release side)
      const twin = s.acquire
        .flatMap((r) => r.fn.calls.filter((c) => c.callee === call.callee && sameArgs(c, call) && !onErrorPath(r.fn, c.line)).map((c) => ({ c, r })))[0];
      if (!twin) continue;
      if (s.release.some((r) => r.fn.calls.some((c) => m.counterparts.includes(c.callee) && sameObject(c, call)))) continue;
      report(ctx, file, pair, fn, call, 'call', `now calls ${call.callee}(${call.args.join(', ')}), the acquire of ${call.callee}/${m.counterparts[0]}`,
        { fn: twin.r.fn, path: twin.r.path, line: twin.c.line }, `Call ${m.counterparts.join('() or ')}() here instead.`, call.callee);
    }
  }
}

/** (a) the release side calls through the acquire slot of a slot pair (`->region_add` in an unregister), and never through the release slot. */
function copiedSlots(ctx: RuleContext, file: ChangedFile, pair: SidePair, s: Sides): void {
  for (const fn of s.changed) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const slot = slotOf(call);
      const slotPair = slot ? ctx.pairs.data.slots.find((p) => p.acquire === slot) : undefined;
      if (!slot || !slotPair) continue;
      const twin = s.acquire.flatMap((r) => r.fn.calls.filter((c) => slotOf(c) === slot).map((c) => ({ c, r })))[0];
      if (!twin) continue;
      if (s.release.some((r) => r.fn.calls.some((c) => slotOf(c) === slotPair.release))) continue;
      report(ctx, file, pair, fn, call, 'slot', `now calls .${slot} (${call.callee}()), the acquire slot of .${slotPair.acquire}/.${slotPair.release}`,
        { fn: twin.r.fn, path: twin.r.path, line: twin.c.line }, `Call .${slotPair.release} here instead.`, slot);
    }
  }
}

/** (a) the release side takes an element off a list the acquire side never put it on: another head, or another link field. */
function copiedLists(ctx: RuleContext, file: ChangedFile, pair: SidePair, s: Sides): void {
  const summary = summaryOf(ctx.files, ctx.pairs);
  const inserts = listOps(s.acquire.map((r) => r.fn), 'insert');
  if (inserts.length === 0) return;
  const allInserts = listOps(summary.post.all().map((p) => p.fn), 'insert');
  for (const fn of s.changed) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const op = listOp(call);
      if (!op || op.op !== 'remove') continue;
      const rm = op.list;
      const at = (i: (typeof inserts)[number]) => {
        const r = s.acquire.find((x) => x.fn.calls.includes(i.call))!;
        return { fn: r.fn, path: r.path, line: i.call.line };
      };
      if (rm.head !== null) {
        // a head nothing in the program inserts into, while the acquire side inserts with the same link into another
        if (allInserts.some((i) => sameHead(i.head, rm.head))) continue;
        const twin = inserts.find((i) => i.kind === rm.kind && i.link === rm.link && i.head !== null && !sameHead(i.head, rm.head));
        if (!twin) continue;
        report(ctx, file, pair, fn, call, 'list', `now removes from \`${rm.head}\`, a list nothing inserts into, while the acquire side inserts into \`${twin.head}\``,
          at(twin), `Remove from \`${twin.head}\`, the list the element is on.`, `${rm.head}|${twin.head}`);
      } else {
        // QLIST_REMOVE(elm, link): the acquire side links the same element through another field, and nothing links through this one
        if (allInserts.some((i) => i.kind === rm.kind && i.link === rm.link)) continue;
        const elm = fieldChain(rm.elm)?.join('.') ?? rm.elm;
        const twin = inserts.find((i) => i.kind === rm.kind && (fieldChain(i.elm)?.join('.') ?? i.elm) === elm && i.link !== rm.link);
        if (!twin) continue;
        report(ctx, file, pair, fn, call, 'list', `now unlinks \`${rm.elm}\` through \`${rm.link}\`, a link no insert uses, while the acquire side links it through \`${twin.link}\``,
          at(twin), `Unlink it through \`${twin.link}\`.`, `${rm.link}|${twin.link}`);
      }
    }
  }
}

/** (a) a release loop over an array with the bound the acquire side uses for another array. */
function copiedBounds(ctx: RuleContext, file: ChangedFile, pair: SidePair, s: Sides): void {
  const summary = summaryOf(ctx.files, ctx.pairs);
  const acquireLoops = s.acquire.flatMap((r) => indexLoops(r.fn).map((l) => ({ l, r, arrays: indexedArrays(l).map((x) => x.array) })));
  if (acquireLoops.length < 2) return;
  for (const fn of s.changed) {
    for (const loop of indexLoops(fn)) {
      const loopNew = file.addedIn(loop.cond.line, loop.cond.endLine);
      for (const { array, call } of indexedArrays(loop)) {
        if (!loopNew && !file.added.has(call.line)) continue;
        const m = summary.primitive(call.callee);
        if (!(m?.role === 'release' || hasReleaseVerb(call.callee))) continue;
        // the acquire side walks this array with another bound, and another array with this loop's bound
        const own = acquireLoops.find((a) => a.arrays.includes(array));
        const other = acquireLoops.find((a) => a.l.bound === loop.bound && !a.arrays.includes(array) && a.arrays.length > 0);
        if (!own || own.l.bound === loop.bound || !other) continue;
        report(ctx, file, pair, fn, call, 'bound',
          `now releases \`${array}[${loop.index}]\` for \`${loop.cond.normalized}\`, the bound the acquire side uses for \`${other.arrays[0]}\`, not \`${own.l.bound}\` with which it fills \`${array}\``,
          { fn: own.r.fn, path: own.r.path, line: own.l.cond.line }, `Loop to \`${own.l.bound}\`, as the acquire side does for \`${array}\`.`, `${array}|${loop.bound}`);
        break;
      }
    }
  }
}

export const copyPasteSide: Rule = {
  meta: {
    id: 'copy-paste-side',
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
        'another array.',
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
  check(ctx) {
    for (const file of ctx.files) {
      if (!file.post) continue;
      for (const pair of file.postSides) {
        if (![...pair.releaseSide].some((n) => file.touched(n))) continue;
        const s = sidesOf(ctx, file, pair);
        if (s.changed.length === 0) continue;
        copiedCalls(ctx, file, pair, s);
        copiedSlots(ctx, file, pair, s);
        copiedLists(ctx, file, pair, s);
        copiedBounds(ctx, file, pair, s);
      }
    }
  },
};
