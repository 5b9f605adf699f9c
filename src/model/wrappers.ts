/**
 * Wrappers in the balance model: an acquire made inside a helper chain
 * (`start()` → `dev_map()` → `bus_map()` → `memory_region_ref()`) is undone
 * when the release side calls the counterpart of a wrapper on that chain
 * (`bus_unmap()` for `bus_map()`) whose body is not among the commit's files
 * (a file the commit does not touch, a header): the wrapper pair owns what
 * its body acquires. A counterpart whose body is visible is followed as a
 * helper instead, so one that does not release it does not balance it.
 */
import type { PrimitiveMatch } from '../pairs/table.js';

export interface WrapperUndo {
  /** the wrapper on the acquire chain */
  wrapper: string;
  /** its counterpart that the release side reaches */
  counterpart: string;
}

/**
 * The first wrapper of the chain `via` (root first; the root itself is the
 * side, not a wrapper) whose counterpart `releaseCalls` names.
 */
export function wrapperUndone(
  via: readonly string[],
  primitive: (name: string) => PrimitiveMatch | null,
  releaseCalls: (callees: ReadonlySet<string>) => boolean,
  visible: (name: string) => boolean,
): WrapperUndo | null {
  for (const wrapper of via.slice(1)) {
    const m = primitive(wrapper);
    if (!m || m.role !== 'acquire' || m.counterparts.length === 0) continue;
    // a counterpart whose body the commit's files hold is followed like any helper: what it does not
    // release it does not release; only one we cannot read is taken at its word
    const counterparts = new Set(m.counterparts.filter((c) => !visible(c)));
    if (counterparts.size > 0 && releaseCalls(counterparts)) return { wrapper, counterpart: [...counterparts][0] as string };
  }
  return null;
}
