/**
 * Skips a commit adds to a function: a new conditional exit (return, goto)
 * or a new assignment that clears a gate flag, and which calls each one skips.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard } from '../cmodel/types.js';
import type { ChangedFile } from './changed-file.js';
import { splitTopLevel } from './rewrites.js';
import { conditionalExits, describeExit, exitSkipsCall, gateClears, isDelegatingExit, isErrorExit } from './skips.js';

export interface NewSkip {
  fn: CFunction;
  /** what the skip is taken for: the exit's condition, or only the alternatives the commit added to an old one */
  condition: CCondition;
  /** the condition of the exit's guard as the code has it (the same object as `condition` but for a widened exit) */
  whole: CCondition;
  /** first and last line of the new skip, for the primary location */
  line: number;
  endLine: number;
  /** "returns when", "jumps to out unless", "clears try_unmap when" */
  how: string;
  exit: CExit | null;
  flag: string | null;
}

/** A whole exit as a skip: taken when its test holds (or fails, in the else branch); placed at the test when it is new. */
function exitSkip(fn: CFunction, exit: CExit, guard: CGuard, condNew: boolean): NewSkip {
  const cond = guard.condition;
  return {
    fn,
    condition: cond,
    whole: cond,
    line: condNew ? cond.stmtLine : exit.line,
    endLine: condNew ? cond.stmtEndLine : exit.line,
    how: `${describeExit(exit)}${guard.negated ? ' unless' : ' when'}`,
    exit,
    flag: null,
  };
}

export function newSkips(file: ChangedFile, fn: CFunction): NewSkip[] {
  const sites: NewSkip[] = [];
  for (const { exit, guard } of conditionalExits(fn)) {
    const cond = guard.condition;
    const condNew = file.addedIn(cond.line, cond.endLine);
    if (!condNew && !file.added.has(exit.line)) continue;
    if (isErrorExit(fn, exit, guard) || isDelegatingExit(exit)) continue;
    const how = describeExit(exit);
    const preLine = file.added.has(exit.line) ? null : file.postToPre(exit.line);
    if (preLine !== null) {
      // An old exit whose condition only gained alternatives (`if (a) return;` → `if (a || b) return;`) is taken
      // anew when one of them holds: a new skip under those. Any other edit of an old exit's condition is
      // check-asymmetry's business.
      const added = guard.negated ? null : addedAlternatives(file, exit, preLine, cond);
      if (!added) continue;
      sites.push({ fn, condition: added, whole: cond, line: cond.stmtLine, endLine: cond.endLine, how: `${how} when`, exit, flag: null });
      continue;
    }
    sites.push(exitSkip(fn, exit, guard, condNew));
  }
  for (const clear of gateClears(fn)) {
    const cond = clear.guard.condition;
    const condNew = file.addedIn(cond.line, cond.endLine);
    if (!file.added.has(clear.line) && !condNew) continue;
    sites.push({
      fn,
      condition: cond,
      whole: cond,
      line: condNew ? cond.stmtLine : clear.line,
      endLine: condNew ? cond.stmtEndLine : clear.line,
      how: `clears ${clear.flag}${clear.guard.negated ? ' unless' : ' when'}`,
      exit: null,
      flag: clear.flag,
    });
  }
  return sites;
}

/**
 * Error exits a commit adds to a function (a new `if (ret < 0) { ...; return; }`), as skips: what the rest of the
 * function would have done is not done when the failure happens. Only wholly new exits (the exit or its test added),
 * not an old one whose test was reworded.
 */
export function newErrorSkips(file: ChangedFile, fn: CFunction): NewSkip[] {
  const sites: NewSkip[] = [];
  for (const { exit, guard } of conditionalExits(fn)) {
    if (exit.kind !== 'return' && exit.kind !== 'goto') continue;
    const cond = guard.condition;
    const condNew = file.addedIn(cond.line, cond.endLine);
    if (!condNew && !file.added.has(exit.line)) continue;
    if (!isErrorExit(fn, exit, guard) || isDelegatingExit(exit)) continue;
    if (!file.added.has(exit.line) && file.postToPre(exit.line) !== null) continue;
    // an old test whose exit was reworded (`return;` become `return ret;`): the pre-image left there already
    if (!condNew) {
      const preCond = file.postToPre(cond.line);
      const preFn = preCond === null ? null : file.pre?.functionAt(preCond);
      if (preFn?.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.guards.some((g) => g.condition.line === preCond))) continue;
    }
    sites.push(exitSkip(fn, exit, guard, condNew));
  }
  return sites;
}

/** The top-level alternatives of a condition (`a || (b && c) || d` → a, (b && c), d), each without spaces. */
function alternatives(text: string): string[] {
  return splitTopLevel(text, '||').map((x) => x.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1'));
}

const mentions = (text: string, name: string) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(text);

/**
 * The alternatives the commit added to an old exit's condition, as a condition of their own, when it kept every
 * one it had (`entries == 0` → `entries == 0 || interp`: skipped now also when `interp`); null for any other edit.
 */
function addedAlternatives(file: ChangedFile, exit: CExit, preLine: number, cond: CCondition): CCondition | null {
  if (!file.addedIn(cond.line, cond.endLine)) return null;
  const preFn = file.pre?.functionAt(preLine);
  const preExit = preFn?.exits.find((e) => e.line === preLine && e.kind === exit.kind);
  const preGuard = preExit?.guards[preExit.guards.length - 1];
  if (!preGuard || preGuard.negated) return null;
  const before = alternatives(preGuard.condition.normalized);
  const after = alternatives(cond.normalized);
  if (!before.every((b) => after.includes(b))) return null;
  const added = after.filter((a) => !before.includes(a));
  if (added.length === 0) return null;
  // the added alternatives in the code's own words
  const text = splitTopLevel(cond.normalized, '||')
    .map((p) => p.trim())
    .filter((p) => added.includes(p.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1')))
    .join(' || ');
  const named = (n: string) => added.some((a) => mentions(a, n));
  return {
    ...cond,
    text,
    normalized: text,
    names: cond.names.filter(named),
    callees: cond.callees.filter(named),
    ...(cond.identifiers ? { identifiers: cond.identifiers.filter(named) } : {}),
  };
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
