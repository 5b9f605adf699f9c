/**
 * The names a function calls, computed once per walked function: moved
 * copies of a function (see shift.ts) share the set and are not copied out
 * to compute it.
 */
import type { CFunction } from './types.js';
import { walkedFunction } from './shift.js';

const callees = new WeakMap<CFunction, ReadonlySet<string>>();

export function calleeNames(fn: CFunction): ReadonlySet<string> {
  const base = walkedFunction(fn);
  let names = callees.get(base);
  if (!names) {
    names = new Set(base.calls.map((c) => c.callee));
    callees.set(base, names);
  }
  return names;
}
