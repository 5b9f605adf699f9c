/**
 * Skips: places where a function stops before a call it would otherwise make.
 * Two shapes: an early exit (`if (p) return;` / `goto out;`) before the call,
 * and a local flag cleared under a condition (`if (p) try_unmap = false;`)
 * that gates the call.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard } from '../cmodel/types.js';
import { ERROR_CALL, ERROR_LABEL, ERROR_VARS, FAILURE_VALUE, NEGATIVE_TEST, isErrorExit, isErrorLabel, storesErrorCode } from '../cmodel/error-exits.js';
export { isErrorExit, isErrorLabel };

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
  // a `continue` skips the rest of its pass: what the loop's body does after it, for that element
  if (exit.kind === 'continue' && exit.inLoop) {
    if (exit.loopEnd === undefined || call.line <= exit.line || call.line > exit.loopEnd || !call.inLoop) return false;
  } else if (exit.kind === 'break' && exit.inLoop) return false;
  if (call.line <= exit.line) return false;
  const guard = innermost(exit.guards);
  // A call inside the same guarded block as the exit runs before it or never.
  if (guard && call.line <= guard.condition.stmtEndLine && call.line >= guard.condition.stmtLine) {
    if (!call.guards.some((g) => g.condition === guard.condition && g.negated !== guard.negated)) return false;
  }
  if (exit.kind === 'goto' && exit.labelLine !== undefined && exit.labelLine < call.line) return false;
  return true;
}

/**
 * Is `call` in another branch of a condition `exit` is under (the `else` of
 * the `if` the exit is in, another `case`)? Taking the exit passes it by, but
 * it would not have run on that path anyway: the exit does not skip it.
 */
export function inOtherBranch(exit: CExit, call: CCall): boolean {
  return exit.guards.some((eg) =>
    call.guards.some(
      (cg) =>
        cg.condition === eg.condition &&
        (cg.negated !== eg.negated ||
          (cg.caseValues !== undefined && eg.caseValues !== undefined && !cg.caseValues.some((v) => eg.caseValues!.includes(v)))),
    ),
  );
}

/** Exits of `fn` taken under a condition (the early returns and gotos). */
export function conditionalExits(fn: CFunction): { exit: CExit; guard: CGuard }[] {
  const out: { exit: CExit; guard: CGuard }[] = [];
  for (const exit of fn.exits) {
    const guard = innermost(exit.guards);
    if (!guard) continue;
    if (exit.kind === 'break' && exit.inLoop) continue;
    // a `continue` counts as a skip of the rest of its pass (exitSkipsCall), once it is known where the pass ends
    if (exit.kind === 'continue' && exit.inLoop && exit.loopEnd === undefined) continue;
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

/**
 * An exit that plainly gives up on a failure: a jump to an unwind label, a
 * failure value returned (`-EINVAL`, `-1`, `NULL`, `false`), or a return under
 * a test of a failed call (`if (r < 0)`, `if (local_err)`) or from a block that
 * reports an error itself. Narrower than isErrorExit: a success value (`return
 * 0`, `return true`), a jump to another label, or an error reported in a
 * nested block does not count. For comparing the error paths of one function.
 */
export function isClearErrorExit(fn: CFunction, exit: CExit, guard: CGuard): boolean {
  if (exit.kind === 'goto') return exit.label !== undefined && (ERROR_LABEL.test(exit.label) || unwindLabel(fn, exit.label));
  if (exit.kind !== 'return') return false;
  const value = exit.value?.trim();
  if (value && (/^-\s*(E[A-Z0-9]+|\d+|errno)$/.test(value) || FAILURE_VALUE.test(value))) return true;
  if (value && /^(0|true|\d+)$/.test(value)) return false;
  const cond = guard.condition;
  if (!guard.negated && NEGATIVE_TEST.test(cond.normalized)) return true;
  if (/[(,]\s*(&\s*\w*err\w*|errp)\s*[,)]/.test(cond.normalized)) return true;
  if (!guard.negated && cond.names.length > 0 && cond.names.every((n) => ERROR_VARS.has(n))) return true;
  if (fn.calls.some((c) => {
    const g = c.guards[c.guards.length - 1];
    return g !== undefined && g.condition === cond && g.negated === guard.negated && c.line < exit.line && ERROR_CALL.test(c.callee);
  })) return true;
  return storesErrorCode(fn, cond.endLine, exit.line) && exit.line <= cond.stmtEndLine;
}


/**
 * Is `call` error handling: after an unwind label, or in an `if` block that
 * reports an error or leaves by an error exit (`if (r) { error_setg(...);
 * release(x); }`)? A release there undoes a failed attempt, not the normal
 * path's acquire.
 */
export function onErrorBranch(fn: CFunction, call: CCall): boolean {
  if (onErrorPath(fn, call.line)) return true;
  const g = call.guards[call.guards.length - 1];
  if (!g || g.condition.kind !== 'if') return false;
  // directly in the block: an error report in a nested `if (ret)` is that block's business
  const inBlock = (guards: readonly CGuard[]) => {
    const last = guards[guards.length - 1];
    return last !== undefined && last.condition === g.condition && last.negated === g.negated;
  };
  if (fn.calls.some((c) => inBlock(c.guards) && ERROR_CALL.test(c.callee))) return true;
  // the block it is in, or one around it, leaves with an error after it (`if (init_x() < 0) { if (used) { unuse(); }
  // return -1; }`): the call is on the way out of a failure
  return call.guards.some(
    (og) =>
      og.condition.kind === 'if' &&
      fn.exits.some((e) => {
        const last = e.guards[e.guards.length - 1];
        return e.line > call.line && last !== undefined && last.condition === og.condition && last.negated === og.negated && isErrorExit(fn, e, last);
      }),
  );
}

/**
 * Error handling, not a resource: a call that reports or propagates an error
 * (error_report, warn_report, error_setg, ...), or one that runs only when
 * something failed, under a test of error variables alone (`if (ret)`, `if (err < 0)`):
 * `fx_report_map_failure()` after a failed map. A skip that keeps such a call
 * from running skips nothing that holds a resource (messages leave it out).
 */
export function handlesFailure(call: CCall): boolean {
  if (ERROR_CALL.test(call.callee)) return true;
  const guard = innermost(call.guards);
  if (!guard || guard.negated) return false;
  const cond = guard.condition;
  return cond.callees.length === 0 && cond.names.length > 0 && cond.names.every((n) => ERROR_VARS.has(n));
}

/** `return other_impl(...)`: the function hands the work to another path, it does not skip it. */
export function isDelegatingExit(exit: CExit): boolean {
  return exit.kind === 'return' && exit.value !== undefined && /^[\w>.-]+\s*\(/.test(exit.value);
}

/**
 * Is `line` of `fn` on its error path: after an unwind label (`fail:`, `out_err:`), or in unwind code only error
 * jumps reach? With `from` (an acquire), not past a label the acquire's own path runs into without a jump
 * (`in = g_new(...); ...; exit: g_free(in);` is where every path of `in` ends, whatever the label's name).
 */
export function onErrorPath(fn: CFunction, line: number, from?: CCall): boolean {
  if (fn.labels.some((l) => l.line < line && ERROR_LABEL.test(l.name) && !(from !== undefined && fallsInto(fn, from, l.line)))) return true;
  return reachedOnlyByErrorJumps(fn, line);
}

/** Does the code after `from` reach `line` by falling through: no return or jump between them that it always takes? */
function fallsInto(fn: CFunction, from: CCall, line: number): boolean {
  if (from.line > line) return false;
  const always = (e: CExit) => e.guards.every((g) => from.guards.some((h) => h.condition === g.condition && h.negated === g.negated));
  return !fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.line > from.line && e.line < line && !e.inLoop && always(e));
}

/**
 * Is `line` past a return the function always takes (one no condition
 * guards), so that only jumps to the labels between them reach it, and is
 * every such jump an error exit? Then it is unwind code whatever its labels
 * are called (`out_detach:`, `out_put:` after a realize's `return;`).
 */
function reachedOnlyByErrorJumps(fn: CFunction, line: number): boolean {
  let wall: CExit | undefined;
  for (const e of fn.exits) if (e.kind === 'return' && e.guards.length === 0 && e.line < line && (!wall || e.line > wall.line)) wall = e;
  if (!wall) return false;
  const after = wall.line;
  const labels = new Set(fn.labels.filter((l) => l.line > after && l.line < line).map((l) => l.name));
  if (labels.size === 0) return false;
  const jumps = fn.exits.filter((e) => e.kind === 'goto' && e.label !== undefined && labels.has(e.label) && e.line < after);
  return jumps.length > 0 && jumps.every((e) => {
    const guard = e.guards[e.guards.length - 1];
    return guard !== undefined && isErrorExit(fn, e, guard);
  });
}

/**
 * A label whatever its name (`out_deregister:`) that the function reaches only
 * by jumps that give up on an error: it stands after the function's last
 * unconditional return, and every jump to it or to a label before it there is
 * an error exit. Unwind code under a name ERROR_LABEL does not know.
 */
function unwindLabel(fn: CFunction, name: string): boolean {
  const label = fn.labels.find((l) => l.name === name);
  return label !== undefined && reachedOnlyByErrorJumps(fn, label.line + 1);
}

/** What an exit does, for messages: "jumps to out", "returns", "breaks". */
export function describeExit(exit: CExit): string {
  if (exit.kind === 'break' && exit.loopEnd !== undefined) return 'breaks out of its loop';
  if (exit.kind === 'break' && exit.switchEnd !== undefined) return 'breaks out of its switch';
  if (exit.kind === 'continue') return 'goes on to the next pass of its loop';
  return exit.kind === 'goto' ? `jumps to ${exit.label ?? 'a label'}` : exit.kind === 'return' ? 'returns' : `${exit.kind}s`;
}

/** Does every guard of `inner` also guard `outer` (a call with `inner` guards runs whenever `outer`'s statement is reached)? */
export function guardsCover(inner: readonly CGuard[], outer: readonly CGuard[]): boolean {
  return inner.every((g) => outer.some((o) => o.condition === g.condition && o.negated === g.negated && sameCases(o, g)));
}

/**
 * Can two guards of the same condition hold at once? For two cases of one switch, only when they share a
 * case value (`case FX_CTRL:` code does not run for `case FX_LIMIT:`); any other guard, yes.
 */
export function sameCases(a: CGuard, b: CGuard): boolean {
  if (!a.caseValues?.length || !b.caseValues?.length) return true;
  return a.caseValues.some((v) => (b.caseValues as string[]).includes(v));
}

/**
 * Is the error test that guards `exit` already answered on every path from
 * `call`? When it tests error variables alone (`if (local_err != NULL) goto
 * fail;`) and each call from `call` on that is handed one of them
 * (`&local_err`) or stores into one is followed, before the next such call
 * and before the test, by a test of it that leaves, the error was handled
 * where it was set: this test serves another path (the other branch of a
 * toggle that realizes or unrealizes), and cannot hold after `call`.
 */
export function errorHandledOnWay(fn: CFunction, call: CCall, exit: CExit, guard: CGuard): boolean {
  const cond = guard.condition;
  if (guard.negated || exit.line <= call.line) return false;
  const vars = (cond.identifiers ?? cond.names).filter((n) => !cond.callees.includes(n));
  if (vars.length === 0 || !vars.every((v) => ERROR_VARS.has(v))) return false;
  const sets = (c: CCall) =>
    (c.result !== undefined && vars.includes(c.result.trim())) || c.args.some((a) => vars.some((v) => a.replace(/\s+/g, '') === `&${v}`));
  // a call in another branch of a condition `call` is under is on no path from it
  const otherBranch = (c: CCall) => c.guards.some((g) => call.guards.some((o) => o.condition === g.condition && o.negated !== g.negated));
  const setters = fn.calls.filter((c) => c.line >= call.line && c.line < cond.line && sets(c) && !otherBranch(c));
  if (setters.length === 0) return false;
  const leavingTests = fn.conditions.filter(
    (t) =>
      t !== cond &&
      (t.identifiers ?? t.names).some((n) => vars.includes(n)) &&
      fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.guards[e.guards.length - 1]?.condition === t && !e.guards[e.guards.length - 1]?.negated),
  );
  return setters.every((s, i) => {
    const until = setters[i + 1]?.line ?? cond.line;
    // the test may hold the call itself (`if (setup(s, &err) < 0)`) or follow it
    return leavingTests.some((t) => t.line >= s.line && t.line < until);
  });
}
