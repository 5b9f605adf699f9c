/**
 * Names a commit renames: a function whose definition disappears under one
 * name and appears under another with (nearly) the same body, and a callee
 * that every call site now spells differently (`vfio_enable_intx` →
 * `vfio_intx_enable`, declared in a header the commit's files do not define).
 * Pair summaries of the post-image are compared with the pre-image under the
 * old names, so a rename never looks like a new imbalance.
 */
import type { CFunction } from '../cmodel/types.js';
import { calleeNames } from '../cmodel/callees.js';
import type { Program } from './program.js';

/** Callee sets at least this alike (Jaccard) make a renamed definition. */
const SAME_BODY = 0.6;

function calleeSet(fn: CFunction): ReadonlySet<string> {
  return calleeNames(fn);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}

/** post-image name -> pre-image name, for every name the commit renamed. */
export function findRenames(pre: Program, post: Program): Map<string, string> {
  const renames = new Map<string, string>();
  const preOnly = [...pre.names()].filter((n) => !post.has(n));
  const postOnly = [...post.names()].filter((n) => !pre.has(n));

  if (preOnly.length > 0 && postOnly.length > 0) {
    const candidates: { from: string; to: string; score: number }[] = [];
    const preSets = new Map(preOnly.map((n) => [n, calleeSet((pre.lookup(n) as { fn: CFunction }).fn)]));
    for (const to of postOnly) {
      const toFn = (post.lookup(to) as { fn: CFunction }).fn;
      const toSet = calleeSet(toFn);
      for (const from of preOnly) {
        const score = jaccard(toSet, preSets.get(from) as ReadonlySet<string>);
        if (score >= SAME_BODY) candidates.push({ from, to, score });
      }
    }
    candidates.sort((a, b) => b.score - a.score);
    const usedFrom = new Set<string>();
    for (const c of candidates) {
      if (renames.has(c.to) || usedFrom.has(c.from)) continue;
      renames.set(c.to, c.from);
      usedFrom.add(c.from);
    }
  }

  // Callees renamed at every call site: in a function of both images, a
  // name the post-image never calls and the pre-image never called, in
  // place of one that is gone. Matched by position when the call sequences
  // have the same length; else (the same commit may add other calls) a gone
  // name and one new name that keeps most of its words, called as often.
  const preCallees = pre.callees();
  const postCallees = post.callees();
  const gone = (n: string) => !postCallees.has(n) && !post.has(n);
  const fresh = (n: string) => !preCallees.has(n) && !pre.has(n);
  for (const name of post.names()) {
    const before = pre.lookup(name);
    const after = post.lookup(name);
    if (!before || !after) continue;
    // the same callees (the cached sets): nothing renamed here, and the calls stay unread
    if (sameSet(calleeNames(before.fn), calleeNames(after.fn))) continue;
    if (before.fn.calls.length === after.fn.calls.length) {
      after.fn.calls.forEach((call, i) => {
        const old = (before.fn.calls[i] as { callee: string }).callee;
        if (old === call.callee || renames.has(call.callee)) return;
        if (gone(old) && fresh(call.callee)) renames.set(call.callee, old);
      });
      continue;
    }
    const lost = [...new Set(before.fn.calls.map((c) => c.callee))].filter(gone);
    const gained = [...new Set(after.fn.calls.map((c) => c.callee))].filter((n) => fresh(n) && !renames.has(n));
    const times = (fn: CFunction, n: string) => fn.calls.filter((c) => c.callee === n).length;
    for (const old of lost) {
      // the new name keeps most of the old one's words (fx_enable_intx → fx_intx_enable)
      const alike = gained.filter((n) => wordsAlike(old, n) >= SAME_WORDS && times(before.fn, old) === times(after.fn, n));
      if (alike.length === 1) renames.set(alike[0] as string, old);
    }
  }
  return renames;
}

/** Names at least this alike (Jaccard of their `_` words) can be one name renamed. */
const SAME_WORDS = 0.5;

function wordsAlike(a: string, b: string): number {
  return jaccard(new Set(a.split('_')), new Set(b.split('_')));
}
