/** Primitive calls (dma_map, memory_region_ref, ...) made by one side of a pair. */
import type { CCall, CFileModel, CFunction } from '../cmodel/types.js';
import type { PairTable, PrimitiveMatch, Role } from '../pairs/table.js';

export interface PrimitiveCall {
  call: CCall;
  fn: CFunction;
  match: PrimitiveMatch;
}

/** The primitive `call` stands for in `fn`, honouring list-only pairs (g_malloc/g_free). */
export function matchPrimitive(
  call: CCall,
  fn: CFunction,
  table: PairTable,
  knownNames: ReadonlySet<string>,
  useFamilies: boolean,
): PrimitiveMatch | null {
  const match = useFamilies ? table.primitiveOrFamily(call.callee, knownNames) : table.primitive(call.callee);
  if (!match) return null;
  if (match.pair.onlyWithList) {
    const list = match.role === 'acquire'
      ? fn.calls.some((c) => table.isListInsert(c.callee))
      : fn.calls.some((c) => table.isListRemove(c.callee));
    if (!list) return null;
  }
  return match;
}

/** All primitive calls of `role` in the named functions. */
export function primitiveCalls(
  model: CFileModel,
  fnNames: Iterable<string>,
  table: PairTable,
  knownNames: ReadonlySet<string>,
  role: Role,
  useFamilies = false,
): PrimitiveCall[] {
  const out: PrimitiveCall[] = [];
  for (const name of fnNames) {
    const fn = model.functionByName(name);
    if (!fn) continue;
    for (const call of fn.calls) {
      const match = matchPrimitive(call, fn, table, knownNames, useFamilies);
      if (match && match.role === role) out.push({ call, fn, match });
    }
  }
  return out;
}

/** Calls in the named functions whose callee is one of `callees`. */
export function callsTo(model: CFileModel, fnNames: Iterable<string>, callees: readonly string[]): { call: CCall; fn: CFunction }[] {
  const out: { call: CCall; fn: CFunction }[] = [];
  for (const name of fnNames) {
    const fn = model.functionByName(name);
    if (!fn) continue;
    for (const call of fn.calls) if (callees.includes(call.callee)) out.push({ call, fn });
  }
  return out;
}

export function opposite(role: Role): Role {
  return role === 'acquire' ? 'release' : 'acquire';
}
