/**
 * Gates: local variables that decide whether calls run
 * (`bool try_unmap = true; ... if (try_unmap) { dma_unmap(...); }`).
 */
import type { CAssignment, CCall, CGate } from './types.js';

export interface LocalRecord {
  /** line of the declarator */
  line: number;
  initValue: string | null;
  /** source offset where the declarator ends */
  end: number;
}

export interface AssignmentRecord {
  /** source offset of the assignment */
  index: number;
  assignment: CAssignment;
}

/**
 * Does the condition only hand the variable's address to a call (`if (fx_attach(dev, &err))`)? The call
 * fills it in; the condition tests the call's result, not the variable.
 */
function onlyByAddress(condition: string, id: string): boolean {
  if (!condition.includes('&')) return false;
  const byAddress = new RegExp(`&\\s*${id}(?![A-Za-z0-9_])`, 'g');
  if (!byAddress.test(condition)) return false;
  return !new RegExp(`(^|[^A-Za-z0-9_])${id}(?![A-Za-z0-9_])`).test(condition.replace(byAddress, ''));
}

/**
 * One gate per local (first declaration of the name) tested by a condition
 * that guards at least one call, in declaration order.
 */
export function buildGates(
  calls: readonly CCall[],
  locals: ReadonlyMap<string, LocalRecord>,
  assignments: readonly AssignmentRecord[],
): CGate[] {
  const gates: CGate[] = [];
  if (locals.size === 0) return gates;
  // flag -> calls, in call order, each call once
  const byFlag = new Map<string, CCall[]>();
  for (const call of calls) {
    const seen = new Set<string>();
    for (const g of call.guards) {
      for (const id of g.condition.identifiers ?? g.condition.names) {
        if (seen.has(id) || !locals.has(id) || onlyByAddress(g.condition.normalized, id)) continue;
        // a loop's own index counts its passes (`for (i = 0; i < n; i++)`): it decides how often, not whether
        if (g.condition.loop?.index === id) continue;
        seen.add(id);
        let list = byFlag.get(id);
        if (!list) byFlag.set(id, (list = []));
        list.push(call);
      }
    }
  }
  for (const [flag, decl] of locals) {
    const gatedCalls = byFlag.get(flag);
    if (!gatedCalls) continue;
    gates.push({
      flag,
      declLine: decl.line,
      initValue: decl.initValue,
      assignments: assignments
        .filter((a) => a.assignment.target === flag && a.index >= decl.end)
        .map((a) => a.assignment),
      gatedCalls,
    });
  }
  gates.sort((a, b) => a.declLine - b.declLine);
  return gates;
}
