/**
 * Wrappers in the balance model: an acquire made inside a helper chain
 * (`start()` → `dev_map()` → `bus_map()` → `memory_region_ref()`) is undone
 * when the release side calls the counterpart of any wrapper on that chain
 * (`dev_unmap()` or `bus_unmap()`): the wrapper pair owns what its body
 * acquires, even when the release inside the counterpart is not visible here
 * (defined in a file the commit does not touch, or reached through a lookup
 * such as `memory_region_from_host()` that names the object another way).
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
): WrapperUndo | null {
  for (const wrapper of via.slice(1)) {
    const m = primitive(wrapper);
    if (!m || m.role !== 'acquire' || m.counterparts.length === 0) continue;
    const counterparts = new Set(m.counterparts);
    if (releaseCalls(counterparts)) return { wrapper, counterpart: m.counterparts[0] as string };
  }
  return null;
}
