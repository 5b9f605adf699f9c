/**
 * QEMU's Error convention seen from a function that was handed `Error **errp`:
 * a call it hands `errp` to sets `*errp` when it fails, and from then on the
 * function has failed, whatever it returns (a realize that leaves with `*errp`
 * set failed, and its caller will not unrealize it). Here: where a function
 * tests such a call's failure, whether the failing branch leaves, and what the
 * function does after a failing branch that does not.
 */
import { disjuncts } from './top-level.js';
import type { CCall, CCondition, CExit, CFunction, CGuard } from '../cmodel/types.js';
import { guardsCover } from './skips.js';
import { escapeRegExp } from '../regex-escape.js';

/** A test of the failure of one call handed the function's `Error **`. */
export interface FailureTest {
  call: CCall;
  condition: CCondition;
  /** the guards of the branch taken when the call failed */
  failing: CGuard[];
  /** the failing branch leaves: a return, a goto, a break or continue, or a call that never returns */
  leaves: boolean;
}

/** What a function does after a failing branch that does not leave. */
export interface GoesOn {
  test: FailureTest;
  /** the calls made after the test, before the function's next exit at the test's level (not trace or log calls) */
  work: CCall[];
  /** the exit the path reaches next, when it gives back a success value (`return 0;`, `return true;`) */
  returnsSuccess: CExit | null;
  /** the line the path leaves the function at: its next exit at the test's level, or the function's end */
  until: number;
  /** the guards of the test's own level: a call after the test with no other guards runs on the path */
  level: CGuard[];
}

const squeeze = (t: string) => t.replace(/\s+/g, '');

/** Names a status variable goes by when it tests true on failure (`if (ret)`). */
const STATUS = /^(ret|rc|r|err|error|res)$/;

/** Does the text, a condition without its outer parentheses, test the failure of a value `v` (a name or a call's text)? */
function testsFailureOf(cond: string, value: string, plainStatus: boolean): boolean {
  const v = escapeRegExp(value);
  return (
    new RegExp(`^!\\s*\\(?${v}\\)?$`).test(cond) ||
    new RegExp(`^\\(?${v}\\)?\\s*(<\\s*0|!=\\s*0|==\\s*NULL|==\\s*false|==\\s*-1)$`).test(cond) ||
    (plainStatus && new RegExp(`^${v}$`).test(cond))
  );
}

/** The alternatives of a condition made of `||` (each of them a failure when it holds), or the whole. */
function alternatives(cond: string): string[] {
  const parts = disjuncts(cond);
  return (parts.length > 0 ? parts : [cond.trim()]).map((a) => a.replace(/^\((.*)\)$/, '$1').trim());
}

/** The test of `call`'s failure among the function's conditions, and the branch that runs on failure. */
function failureTestOf(fn: CFunction, call: CCall, variable: string, reportsStatus: (name: string) => boolean): CCondition | null {
  const callText = (c: CCall) => `${c.callee}(${c.args.join(', ')})`;
  for (const cond of fn.conditions) {
    if (cond.kind !== 'if') continue;
    const parts = alternatives(cond.normalized);
    // the call inside the test itself: `if (!fx_probe(dev, errp))`, `if (fx_setup(s, errp) < 0)`
    if (call.line >= cond.line && call.endLine <= cond.endLine && !call.guards.some((g) => g.condition === cond)) {
      // (a bare test, `if (fx_setup(s, errp))`, of a function the code base defines to answer with a status)
      if (parts.some((p) => testsFailureOf(squeeze(p), squeeze(callText(call)), reportsStatus(call.callee)))) return cond;
      continue;
    }
    if (cond.line <= call.endLine) continue;
    // its value kept and tested after it: `ret = fx_setup(s, errp); if (ret < 0)`, `s->chan = fx_open(errp); if (!s->chan)`
    const result = call.result !== undefined ? squeeze(call.result) : null;
    if (result !== null && /^[\w>.-]+$/.test(result)) {
      const storedAgain = fn.calls.some((c) => c !== call && c.line > call.line && c.line < cond.line && c.result !== undefined && squeeze(c.result) === result) ||
        fn.stores.some((st) => st.line > call.line && st.line < cond.line && squeeze(st.target) === result);
      if (storedAgain) return null;
      if (parts.some((p) => testsFailureOf(squeeze(p), result, STATUS.test(result)))) return cond;
    }
    // the Error itself: `fx_setup(s, errp); if (*errp)` (ERRP_GUARD)
    if (parts.some((p) => squeeze(p) === `*${variable}`)) return cond;
  }
  return null;
}

/** Does the branch with these guards leave (an exit in it, at any depth, or a call that never returns)? */
function branchLeaves(fn: CFunction, branch: readonly CGuard[], endsProgram: (name: string) => boolean): boolean {
  return fn.exits.some((e) => guardsCover(branch, e.guards)) || fn.calls.some((c) => guardsCover(branch, c.guards) && endsProgram(c.callee));
}

/** Does the branch hand on, free or clear the Error (`error_report_err(*errp); *errp = NULL;`)? Then nothing stays set. */
function branchConsumes(fn: CFunction, branch: readonly CGuard[], variable: string): boolean {
  const star = new RegExp(`^\\*\\s*${escapeRegExp(variable)}$`);
  if (fn.calls.some((c) => guardsCover(branch, c.guards) && c.args.some((a) => star.test(a.trim())))) return true;
  const cleared = new RegExp(`^\\*\\s*${escapeRegExp(variable)}\\s*=`);
  const first = Math.min(...fn.calls.filter((c) => guardsCover(branch, c.guards)).map((c) => c.line), Infinity);
  return fn.statements.some((st) => cleared.test(st.normalized) && st.line >= first);
}

/** Every test of the failure of a call handed `variable` (the function's `Error **`), in source order. */
export function failureTests(fn: CFunction, variable: string, endsProgram: (name: string) => boolean, reportsStatus: (name: string) => boolean = () => false): FailureTest[] {
  const out: FailureTest[] = [];
  for (const call of fn.calls) {
    if (!call.args.some((a) => a.trim() === variable)) continue;
    const condition = failureTestOf(fn, call, variable, reportsStatus);
    if (!condition || out.some((t) => t.condition === condition)) continue;
    // the branch's own guards, read off what stands in it (an empty branch has nothing to go on with)
    const inside = [...fn.calls, ...fn.exits, ...fn.stores].find((x) => x.guards.some((g) => g.condition === condition && !g.negated));
    if (!inside) continue;
    const at = inside.guards.findIndex((g) => g.condition === condition);
    const failing = [...inside.guards.slice(0, at), { condition, negated: false }];
    out.push({ call, condition, failing, leaves: branchLeaves(fn, failing, endsProgram) });
  }
  return out;
}

/** Values a function gives back on success. */
const SUCCESS_VALUE = /^(0|true|EXIT_SUCCESS)$/;

/**
 * The failing branches of `errp` calls that do not leave, nor hand on or clear the Error, and after which the
 * function goes on: it calls more (`work`), or gives back success. A branch that ends the function's work
 * (`if (ret < 0) { error_prepend(errp, ...); } return ret;`) is none.
 */
export function goesOnAfterFailure(
  fn: CFunction,
  variable: string,
  endsProgram: (name: string) => boolean,
  isBystander: (name: string) => boolean,
  reportsStatus: (name: string) => boolean = () => false,
): GoesOn[] {
  const out: GoesOn[] = [];
  for (const test of failureTests(fn, variable, endsProgram, reportsStatus)) {
    if (test.leaves || branchConsumes(fn, test.failing, variable)) continue;
    const level = test.failing.slice(0, -1);
    const end = test.condition.stmtEndLine;
    // the next exit the path after the test reaches: one at the test's level or above it
    const next = fn.exits.filter((e) => e.line > end && (e.kind === 'return' || e.kind === 'goto') && guardsCover(e.guards, level)).sort((a, b) => a.line - b.line)[0];
    const until = next?.line ?? fn.endLine;
    const work = fn.calls.filter((c) => c.line > end && c.line < until && !isBystander(c.callee) && !c.guards.some((g) => g.condition === test.condition));
    const returnsSuccess = next?.kind === 'return' && next.value !== undefined && SUCCESS_VALUE.test(next.value.trim()) ? next : null;
    if (work.length === 0 && !returnsSuccess) continue;
    out.push({ test, work, returnsSuccess, until, level });
  }
  return out;
}

/** The function's `Error **` parameter by QEMU's name for it (`errp`), or null. */
export function errorOutParameter(fn: CFunction): string | null {
  return (fn.params ?? []).find((p) => p === 'errp') ?? null;
}
