/**
 * Skips: places where a function stops before a call it would otherwise make.
 * Two shapes: an early exit (`if (p) return;` / `goto out;`) before the call,
 * and a local flag cleared under a condition (`if (p) try_unmap = false;`)
 * that gates the call.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard } from '../cmodel/types.js';

export interface Skip {
  kind: 'exit' | 'gate';
  /** the condition under which the call is skipped */
  condition: CCondition;
  /** line of the return/goto or of the flag assignment */
  line: number;
  exit?: CExit;
  flag?: string;
}

/** Words that say nothing about *which* case is skipped. */
const FALSY = new Set(['false', '0', 'NULL']);

function innermost(guards: readonly CGuard[]): CGuard | null {
  return guards.length > 0 ? (guards[guards.length - 1] as CGuard) : null;
}

/** Does `exit`, taken, prevent `call` from running? */
export function exitSkipsCall(exit: CExit, call: CCall): boolean {
  if ((exit.kind === 'break' || exit.kind === 'continue') && exit.inLoop) return false;
  if (call.line <= exit.line) return false;
  const guard = innermost(exit.guards);
  // A call inside the same guarded block as the exit runs before it or never.
  if (guard && call.line <= guard.condition.stmtEndLine && call.line >= guard.condition.stmtLine) {
    if (!call.guards.some((g) => g.condition === guard.condition && g.negated !== guard.negated)) return false;
  }
  if (exit.kind === 'goto' && exit.labelLine !== undefined && exit.labelLine < call.line) return false;
  return true;
}

/** Exits of `fn` taken under a condition (the early returns and gotos). */
export function conditionalExits(fn: CFunction): { exit: CExit; guard: CGuard }[] {
  const out: { exit: CExit; guard: CGuard }[] = [];
  for (const exit of fn.exits) {
    const guard = innermost(exit.guards);
    if (!guard) continue;
    if ((exit.kind === 'break' || exit.kind === 'continue') && exit.inLoop) continue;
    out.push({ exit, guard });
  }
  return out;
}

/** Assignments that clear a gate flag under a condition, with the calls the flag gates. */
export function gateClears(fn: CFunction): { flag: string; line: number; guard: CGuard; gated: CCall[] }[] {
  const out: { flag: string; line: number; guard: CGuard; gated: CCall[] }[] = [];
  for (const gate of fn.gates) {
    for (const assign of gate.assignments) {
      const guard = innermost(assign.guards);
      if (!guard) continue;
      if (!FALSY.has(assign.value.trim())) continue;
      out.push({ flag: gate.flag, line: assign.line, guard, gated: gate.gatedCalls });
    }
  }
  return out;
}
