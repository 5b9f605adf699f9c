/**
 * What a side of a pair reaches: its root and the helpers it calls, transitively,
 * over the whole program of the commit (every touched file), including functions
 * it hands to deferred calls (`call_rcu`, `g_idle_add`). A side does what its
 * helpers do: a one-line wrapper is its callee.
 */
import type { CCall, CFunction } from '../cmodel/types.js';
import type { Program } from './program.js';
import { sameObject } from './objects.js';

/** How deep helper calls are followed; QEMU teardown chains are rarely deeper. */
export const REACH_DEPTH = 6;

export interface ReachedFunction {
  fn: CFunction;
  path: string;
  /** the names from the root to this function, root first */
  via: string[];
}

/**
 * Functions reachable from `roots` (roots included), never walking into
 * `stopAt` (the other side: add's error path may call del).
 */
export function reach(
  program: Program,
  roots: readonly string[],
  stopAt: ReadonlySet<string>,
  preferPath?: string,
): Map<string, ReachedFunction> {
  const seen = new Map<string, ReachedFunction>();
  let frontier: ReachedFunction[] = [];
  for (const root of roots) {
    const def = program.lookup(root, preferPath);
    if (!def || seen.has(root)) continue;
    const r = { fn: def.fn, path: def.path, via: [root] };
    seen.set(root, r);
    frontier.push(r);
  }
  for (let depth = 0; depth < REACH_DEPTH && frontier.length > 0; depth++) {
    const next: ReachedFunction[] = [];
    for (const at of frontier) {
      for (const call of at.fn.calls) {
        for (const target of program.targets(call)) {
          if (stopAt.has(target) || seen.has(target)) continue;
          const def = program.lookup(target, at.path);
          if (!def) continue;
          const r = { fn: def.fn, path: def.path, via: [...at.via, target] };
          seen.set(target, r);
          next.push(r);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

export interface CallSite {
  call: CCall;
  fn: CFunction;
  path: string;
  via: string[];
}

/** The first call, in the reached functions, to one of `callees` (on the same object as `object`, when given). */
export function firstCallTo(
  reached: ReadonlyMap<string, ReachedFunction>,
  callees: ReadonlySet<string>,
  object?: CCall,
  keep?: (call: CCall, fn: CFunction) => boolean,
): CallSite | null {
  for (const r of reached.values()) {
    for (const call of r.fn.calls) {
      if (callees.has(call.callee) && (!object || sameObject(call, object)) && (!keep || keep(call, r.fn))) return { call, fn: r.fn, path: r.path, via: r.via };
    }
  }
  return null;
}
