/**
 * Skips a commit adds to a function: a new conditional exit (return, goto)
 * or a new assignment that clears a gate flag, and which calls each one skips.
 */
import type { CCall, CCondition, CExit, CFunction } from '../cmodel/types.js';
import type { ChangedFile } from './changed-file.js';
import { conditionalExits, describeExit, exitSkipsCall, gateClears, isDelegatingExit, isErrorExit } from './skips.js';

export interface NewSkip {
  fn: CFunction;
  condition: CCondition;
  /** first and last line of the new skip, for the primary location */
  line: number;
  endLine: number;
  /** "returns when", "jumps to out unless", "clears try_unmap when" */
  how: string;
  exit: CExit | null;
  flag: string | null;
}

export function newSkips(file: ChangedFile, fn: CFunction): NewSkip[] {
  const sites: NewSkip[] = [];
  for (const { exit, guard } of conditionalExits(fn)) {
    const cond = guard.condition;
    const condNew = file.addedIn(cond.line, cond.endLine);
    if (!condNew && !file.added.has(exit.line)) continue;
    if (isErrorExit(fn, exit, guard) || isDelegatingExit(exit)) continue;
    // An old exit whose condition was edited is check-asymmetry's business.
    if (!file.added.has(exit.line) && file.postToPre(exit.line) !== null) continue;
    const how = describeExit(exit);
    sites.push({
      fn,
      condition: cond,
      line: condNew ? cond.stmtLine : exit.line,
      endLine: condNew ? cond.stmtEndLine : exit.line,
      how: `${how}${guard.negated ? ' unless' : ' when'}`,
      exit,
      flag: null,
    });
  }
  for (const clear of gateClears(fn)) {
    const cond = clear.guard.condition;
    const condNew = file.addedIn(cond.line, cond.endLine);
    if (!file.added.has(clear.line) && !condNew) continue;
    sites.push({
      fn,
      condition: cond,
      line: condNew ? cond.stmtLine : clear.line,
      endLine: condNew ? cond.stmtEndLine : clear.line,
      how: `clears ${clear.flag}${clear.guard.negated ? ' unless' : ' when'}`,
      exit: null,
      flag: clear.flag,
    });
  }
  return sites;
}

/** Does taking `skip` keep `call` (a call of the same function) from running? */
export function skipsCall(skip: NewSkip, call: CCall): boolean {
  if (skip.flag !== null) {
    const gate = skip.fn.gates.find((g) => g.flag === skip.flag);
    return gate?.gatedCalls.some((c) => c.line === call.line) ?? false;
  }
  return skip.exit !== null && exitSkipsCall(skip.exit, call) && !leftAnywayBefore(skip.fn, skip.exit, call);
}

/**
 * Does the path past `exit` (its condition false) leave the function anyway
 * before `call`? Another return, or a goto past the call, whose conditions
 * all hold where `exit` stands (`if (iommu) { ...; if (new) return; ...;
 * return; } map();`): the new exit skips what lies before that one, not
 * `map()`, which the path never reached.
 */
function leftAnywayBefore(fn: CFunction, exit: CExit, call: CCall): boolean {
  return fn.exits.some(
    (e) =>
      e !== exit &&
      e.line > exit.line &&
      e.line < call.line &&
      (e.kind === 'return' || (e.kind === 'goto' && e.labelLine !== undefined && e.labelLine > call.line)) &&
      e.guards.every((g) => exit.guards.some((x) => x.condition === g.condition && x.negated === g.negated)),
  );
}
