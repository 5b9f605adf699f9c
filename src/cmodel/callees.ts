/**
 * The names a function calls, computed once per walked function: moved
 * copies of a function (see shift.ts) share the set and are not copied out
 * to compute it.
 */
import type { CFunction } from './types.js';
import { walkedFunction } from './shift.js';
import { calleeBase } from './toggles.js';

const callees = new WeakMap<CFunction, ReadonlySet<string>>();

export function calleeNames(fn: CFunction): ReadonlySet<string> {
  const base = walkedFunction(fn);
  let names = callees.get(base);
  if (!names) {
    // a toggle's call (`fx_update__true_1_2`) is also a call of its function
    names = new Set(base.calls.flatMap((c) => {
      const b = calleeBase(c.callee);
      return b === c.callee ? [c.callee] : [c.callee, b];
    }));
    callees.set(base, names);
  }
  return names;
}
