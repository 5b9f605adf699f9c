/**
 * Predicates: what a condition tests, and whether another set of functions
 * tests the same thing. Compared by the functions the condition calls
 * (memory_region_skip_iommu_map) or, without calls, by its distinctive names.
 */
import type { CCondition, CFileModel, CFunction } from '../cmodel/types.js';

/** Names too common in QEMU callbacks to identify a predicate. */
export const COMMON_NAMES: ReadonlySet<string> = new Set([
  'section', 'mr', 'listener', 'iova', 'end', 'ret', 'err', 'errp', 'NULL', 'true', 'false', 'size', 'len',
  'bcontainer', 'container', 'vbasedev', 'giommu', 'dev', 'opaque', 'i', 'n', 's', 'v', 'vdev', 'hdev', 'as',
  'offset_within_region', 'offset_within_address_space', 'llend', 'llsize', 'vaddr',
]);

export interface PredicateKey {
  names: string[];
  /** the condition text, for messages */
  text: string;
}

export function predicateKey(condition: CCondition, localFlags: ReadonlySet<string> = new Set()): PredicateKey | null {
  // What a condition tests: the functions it calls; else the fields it reads
  // (`bar->quirks_off` tests quirks_off, not bar: a teardown testing
  // `i < bar->nr_quirks` does not mirror it); else its plain names.
  const plain = new Set(condition.identifiers ?? []);
  const fields = condition.names.filter((n) => !plain.has(n) && !COMMON_NAMES.has(n));
  const names = condition.callees.length > 0
    ? condition.callees
    : condition.identifiers !== undefined && fields.length > 0
      ? fields
      : condition.names.filter((n) => !COMMON_NAMES.has(n) && !localFlags.has(n));
  if (names.length === 0) return null;
  return { names: [...new Set(names)], text: condition.text };
}

function wordIn(text: string, word: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${word.replace(/[^A-Za-z0-9_]/g, '')}([^A-Za-z0-9_]|$)`).test(text);
}

/** Does one of `fns` test any of the key's names, in a condition or in a value assigned to a gate flag? */
export function anyTests(fns: Iterable<CFunction>, key: PredicateKey): boolean {
  for (const fn of fns) {
    for (const cond of fn.conditions) {
      if (key.names.some((k) => cond.callees.includes(k) || cond.names.includes(k))) return true;
    }
    for (const gate of fn.gates) {
      for (const assign of gate.assignments) {
        if (key.names.some((k) => wordIn(assign.value, k))) return true;
      }
      if (gate.initValue && key.names.some((k) => wordIn(gate.initValue as string, k))) return true;
    }
  }
  return false;
}
