/**
 * Error values a function drops: QEMU's `Error *err = NULL;` handed by address to a call (`fx_connect(path,
 * &err)`) is set when that call fails, and from then on the function owns it. It must hand it on
 * (error_propagate(errp, err), a store, `return err`), report it (error_report_err(), which frees it) or free it
 * (error_free()) before it leaves. A path that leaves with it set and does none of these leaks the Error, and keeps
 * whatever message it carries from anyone who would have acted on it.
 *
 * A fact of one function's C alone, read by the error-leak rule. Which calls always set the Error
 * (error_setg()) and which only read it (error_get_pretty(), error_prepend()) is data: the pair table's
 * `errorValues`.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard } from '../cmodel/types.js';
import { guardsCover } from './skips.js';
import { releasedOnPath } from './paths.js';
import { STATUS_NAME } from './value-tests.js';
import { branchReturnsFailure } from '../cmodel/error-exits.js';
import { conjuncts, disjuncts } from './top-level.js';
import { escapeRegExp } from '../regex-escape.js';

export interface ErrorCalls {
  /** the call sets the Error whose address it gets whatever happens (error_setg) */
  setsAlways(name: string): boolean;
  /** the call only reads the Error, or its address, it is handed (error_get_pretty, error_prepend) */
  readsOnly(name: string): boolean;
  /** the call never returns (exit(), a function declared G_NORETURN): a block that makes one leaves */
  endsProgram(name: string): boolean;
  /** the function answers with a status, 0 when done (`int fx_open(..., Error **errp)`): `if (fx_open(&err))` is its failure */
  reportsStatus?(name: string): boolean;
  /** the code base defines the function, so whether it answers with a bool or a status is known */
  reportsKnown?(name: string): boolean;
}

export interface DroppedError {
  /** the function's `Error *` variable */
  variable: string;
  /** the call that set it */
  setter: CCall;
  /** the setter sets it whatever happens (error_setg()), not only when it fails */
  setsAlways?: true;
  /** setters on other paths to the exit, when a test of the variable itself (`if (err)`) is all that says it is set */
  otherSetters?: { call: CCall; always: boolean }[];
  /** where the function leaves with it set */
  exit: CExit;
  /** a call that hands it on, reports or frees it on another path of the function (error_propagate()), if any */
  handled?: CCall;
  /**
   * the next call handed its address, reached with the Error still set (the setter's failure block falls through to
   * it): it leaks there, and an error_setg() on it aborts (`exit` stands at this call)
   */
  again?: CCall;
  /**
   * the failure the setter's test lets through (`if (ret < 0 && ret != -ENOTSUP) { ...; return; }`): on that
   * failure the function goes on past the test with the Error set (`exit` is where it then leaves)
   */
  excluded?: { condition: CCondition; value: string };
}



/** The text with every whitespace run removed, to compare arguments. */
const bare = (s: string | undefined) => (s ?? '').replace(/\s+/g, '');

/**
 * Is `guard` taken only when the Error is set: a test of the variable itself (`if (err)`, `if (err != NULL)`, the
 * else of `if (!err)`), or the failure of the call that was handed its address (`if (!fx_connect(path, &err))`,
 * `if (fx_open(&err) < 0)`, `ret = fx_open(&err); if (ret < 0)`)?
 */
function testsSet(fn: CFunction, guard: CGuard, variable: string, setter: CCall, calls?: ErrorCalls): boolean {
  if (testsVariableSet(guard, variable)) return true;
  const text = guard.condition.normalized.trim();
  if (guard.negated || guard.condition.kind !== 'if') return false;
  const cond = guard.condition;
  // the setter inside the test: its failure is a negation, a negative value or a NULL; also as one alternative of
  // several (`if (fx_read(...) < 0 || fx_hash(..., &err) < 0)`): the exit is taken when it fails
  if (setter.line >= cond.line && setter.line <= cond.endLine && cond.callees.includes(setter.callee)) {
    const callee = escapeRegExp(setter.callee);
    // (a status, 0 when done, is a failure whenever it is not 0: `if (fx_open(&err))` for `int fx_open(...)`)
    // (one the code base does not define, tested bare with a branch that gives the caller a failure, `if (fx_open(&err))
    // { goto out; }` where `out:` returns -1, is one too: its success would not make the function fail)
    const status = calls?.reportsStatus?.(setter.callee) === true ||
      (calls?.reportsKnown !== undefined && !calls.reportsKnown(setter.callee) && !guard.negated && branchReturnsFailure(fn, cond));
    const fails = (t: string) =>
      new RegExp(`^!\\s*${callee}\\s*\\(`).test(t) || (t.startsWith(setter.callee) && /\)\s*(<\s*0|==\s*NULL|==\s*false)$/.test(t)) ||
      (status && (new RegExp(`^${callee}\\s*\\(.*\\)$`).test(t) || new RegExp(`^${callee}\\s*\\(.*\\)\\s*!=\\s*0$`).test(t)));
    // (or one conjunct of several, `if (s->optional && !fx_register(s, &err))`: the block runs only when it failed)
    return fails(text) || disjuncts(text).some((t) => fails(t)) || conjuncts(text).some((t) => fails(t));
  }
  // the setter's value tested afterwards
  const result = setter.result?.trim();
  if (result === undefined || cond.line <= setter.line) return false;
  // (not when another call filled the variable in between: `ret = f(&err); ...; ret = ioctl(...); if (ret)`)
  if (fn.calls.some((c) => c !== setter && c.line > setter.endLine && c.line < cond.line && c.result?.trim() === result)) return false;
  const r = escapeRegExp(result);
  // (a status the call returns, by QEMU's convention 0 on success, is a failure whenever it is not 0: `if (ret)`)
  if (STATUS_NAME.test(result) && new RegExp(`^(${r}|${r}\\s*!=\\s*0)$`).test(text)) return true;
  return new RegExp(`^(!\\s*${r}|${r}\\s*<\\s*0|${r}\\s*==\\s*NULL|${r}\\s*==\\s*false)$`).test(text);
}

/** Is `guard` a test of the variable itself that holds when it is set (`if (err)`, the else of `if (!err)`)? */
function testsVariableSet(guard: CGuard, variable: string): boolean {
  const text = guard.condition.normalized.trim();
  const v = escapeRegExp(variable);
  const set = new RegExp(`^(${v}|${v}\\s*!=\\s*NULL|NULL\\s*!=\\s*${v})$`);
  // (also as one conjunct of several: `if (err && error_get_class(err) == FX_CLASS)` holds only when it is set)
  if (!guard.negated) return set.test(text) || conjuncts(text).some((t) => set.test(t));
  return new RegExp(`^(!\\s*${v}|${v}\\s*==\\s*NULL|NULL\\s*==\\s*${v})$`).test(text);
}

/**
 * The calls that hand the variable on (pass it to a call that does more than read it), each with the tests of
 * the variable itself taken out of its guards: `if (err) { error_report_err(err); }` hands it on whenever there is
 * something to hand on.
 */
function handsOn(fn: CFunction, calls: ErrorCalls, variable: string): CCall[] {
  return fn.calls
    .filter((c) => !calls.readsOnly(c.callee) && c.args.some((a) => bare(a) === variable))
    .map((c) => (c.guards.some((g) => testsVariableSet(g, variable)) ? { ...c, guards: c.guards.filter((g) => !testsVariableSet(g, variable)) } : c));
}

/**
 * Is it handed on in both branches of one `if`/`else` on the way (`if (running) { fx_set_error(err); } else {
 * error_report_err(err); }`), the statement ending before the exit?
 */
function handedOnInBothBranches(consumers: readonly CCall[], exit: CExit): boolean {
  return consumers.some((a) => {
    const g = a.guards[a.guards.length - 1];
    if (!g || g.condition.kind !== 'if' || g.condition.stmtEndLine >= exit.line || a.line >= exit.line) return false;
    const outer = a.guards.slice(0, -1);
    if (!guardsCover(outer, exit.guards)) return false;
    return consumers.some((b) => {
      const h = b.guards[b.guards.length - 1];
      return b !== a && h !== undefined && h.condition === g.condition && h.negated !== g.negated && b.guards.length === a.guards.length;
    });
  });
}

/**
 * Does an exit between the setter and `exit` leave whenever the Error is set (an `if (err) { ...; return; }`, or
 * the setter's own failure test), in a block that ends before `exit`? Then every path that reaches `exit` went
 * the way on which it is not set.
 */
function leftWhenSetBefore(fn: CFunction, calls: ErrorCalls, variable: string, setter: CCall, exit: CExit): boolean {
  return fn.exits.some((e) => {
    if (e.line <= setter.endLine || e.line >= exit.line || e.kind === 'break' || e.kind === 'continue') return false;
    const g = e.guards[e.guards.length - 1];
    if (!g || g.condition.stmtEndLine >= exit.line || !testsSet(fn, g, variable, setter, calls)) return false;
    return guardsCover(e.guards.slice(0, -1), exit.guards);
  });
}

/**
 * The paths of `fn` that leave with one of its `Error *` variables set by a call and not handed on, reported or
 * freed on the way (nor after the label a goto leaves to). Only exits the Error is certainly set on: ones
 * taken under a test of the variable or of the setting call's failure, or after a call that always sets it.
 */
export function droppedErrors(fn: CFunction, calls: ErrorCalls): DroppedError[] {
  const out: DroppedError[] = [];
  for (const variable of fn.errorLocals ?? []) {
    const address = `&${variable}`;
    const consumers = handsOn(fn, calls, variable);
    const stored = new RegExp(`=\\s*${escapeRegExp(variable)}\\s*;$`);
    const storeLines = fn.statements.filter((s) => stored.test(s.normalized) && !s.normalized.startsWith(`${variable} `)).map((s) => s.line);
    const byAddress = fn.calls.filter((c) => c.args.some((a) => bare(a) === address));
    for (const setter of byAddress) {
      if (calls.readsOnly(setter.callee)) continue;
      const always = calls.setsAlways(setter.callee);
      // the next call handed its address ends what this one set: it is set again, cleared or freed there
      const next = byAddress.find((c) => c.line > setter.endLine && !calls.readsOnly(c.callee));
      for (const exit of fn.exits) {
        if (exit.line <= setter.endLine || (next !== undefined && exit.line >= next.line)) continue;
        if (exit.kind === 'break' || (exit.kind === 'continue' && !setter.inLoop)) continue;
        // on the setter's own path; or, under a test of the variable itself (`if (err)`), after setters on several
        // paths (`if (tls) { f(&err); } else { g(&err); }`): the last of them stands for all
        const testedItself = exit.guards.some((g) => testsVariableSet(g, variable));
        const lastBefore = byAddress.filter((c) => c.endLine < exit.line && !calls.readsOnly(c.callee)).at(-1);
        const covered = guardsCover(setter.guards, exit.guards);
        if (!covered && !(testedItself && lastBefore === setter && !byAddress.some((c) => c !== setter && c.endLine < exit.line && guardsCover(c.guards, exit.guards)))) continue;
        const others = covered
          ? []
          : byAddress.filter((c) => c !== setter && c.endLine < exit.line && !calls.readsOnly(c.callee)).map((c) => ({ call: c, always: calls.setsAlways(c.callee) }));
        const set = always || exit.guards.some((g) => testsSet(fn, g, variable, setter, calls));
        if (!set) continue;
        if (exit.value !== undefined && new RegExp(`(^|\\W)${escapeRegExp(variable)}(\\W|$)`).test(exit.value)) continue;
        if (releasedOnPath(fn, consumers, exit) || handedOnInBothBranches(consumers, exit)) continue;
        if (!always && leftWhenSetBefore(fn, calls, variable, setter, exit)) continue;
        // a store of it (`*errp = err;`, `s->err = err;`) on the way
        if (storeLines.some((line) => line > setter.line && line < exit.line)) continue;
        if (exit.kind === 'goto' && exit.labelLine !== undefined && storeLines.some((line) => line > (exit.labelLine as number))) continue;
        const handled = consumers.find((c) => c.line > setter.line);
        out.push({ variable, setter, exit, ...(handled ? { handled } : {}), ...(always ? { setsAlways: true as const } : {}), ...(others.length > 0 ? { otherSetters: others } : {}) });
      }
      const again = setAgain(fn, calls, variable, setter, next, consumers, storeLines);
      if (again) {
        const handled = consumers.find((c) => c.line > setter.line);
        out.push({ variable, setter, exit: { kind: 'return', line: again.line, guards: again.guards, inLoop: again.inLoop }, again, ...(handled ? { handled } : {}) });
        continue;
      }
      if (always) continue;
      const excluded = excludedFailure(fn, variable, setter, next, consumers, storeLines);
      if (excluded) {
        const handled = consumers.find((c) => c.line > setter.line);
        out.push({ variable, setter, exit: excluded.exit, excluded: { condition: excluded.condition, value: excluded.value }, ...(handled ? { handled } : {}) });
        continue;
      }
      const through = fallsThroughSet(fn, calls, variable, setter, next, consumers, storeLines);
      if (through) {
        const handled = consumers.find((c) => c.line > setter.line);
        out.push({ variable, setter, exit: through, ...(handled ? { handled } : {}) });
      }
    }
  }
  return out;
}

/**
 * A failure of `setter` that its first test lets through: the test after it asks for its failure and excludes one
 * value of the status (`ret = fx_init(..., &err); if (ret < 0 && ret != -ENOTSUP) { error_propagate(errp, err);
 * return; }`), so on that value (a negative errno: a failure, and the Error is set) the function goes on past the
 * test with the Error set. Where it then leaves (its next return at the setter's level, or its end), when nothing
 * after the test hands the Error on, stores it or gives the variable another value, and no other call is handed its
 * address first.
 */
function excludedFailure(fn: CFunction, variable: string, setter: CCall, next: CCall | undefined, consumers: CCall[], storeLines: number[]): { exit: CExit; condition: CCondition; value: string } | null {
  const status = setter.result?.trim();
  if (status === undefined || !/^\w+$/.test(status)) return null;
  const s = escapeRegExp(status);
  const cond = fn.conditions.find((c) => c.kind === 'if' && c.line > setter.endLine && (next === undefined || c.stmtLine < next.line));
  if (!cond) return null;
  // the test stands at the setter's level (read off what stands in its block)
  const inside = [...fn.calls, ...fn.exits, ...fn.stores].find((x) => x.guards.some((g) => g.condition === cond));
  const own = inside ? inside.guards.slice(0, inside.guards.findIndex((g) => g.condition === cond)) : null;
  if (!own || own.length !== setter.guards.length || !guardsCover(own, setter.guards)) return null;
  // the first test after the setter: a failure of the status and an exclusion of one negative errno of it
  const parts = cond.normalized.split('&&').map((p) => p.trim().replace(/^\((.*)\)$/, '$1').trim());
  if (parts.length !== 2) return null;
  const failure = new RegExp(`^(${s}\\s*<\\s*0|${s}|${s}\\s*!=\\s*0)$`);
  const exclusion = new RegExp(`^(?:${s}\\s*!=\\s*(-\\s*E[A-Z0-9]+)|(-\\s*E[A-Z0-9]+)\\s*!=\\s*${s})$`);
  const fail = parts.find((p) => failure.test(p));
  const excl = parts.map((p) => exclusion.exec(p)).find((m) => m !== null);
  if (!fail || !excl) return null;
  const value = (excl[1] ?? excl[2] ?? '').replace(/\s+/g, '');
  // nothing after the test hands it on, stores it or fills the variable again
  if (consumers.some((c) => c.line > cond.stmtEndLine)) return null;
  if (storeLines.some((l) => l > setter.line)) return null;
  const assigned = new RegExp(`^${escapeRegExp(variable)}\\s*=[^=]`);
  if (fn.statements.some((st) => st.line > setter.endLine && assigned.test(st.normalized))) return null;
  if (next !== undefined) return null;
  // where it leaves: its next return at the setter's level, or its end
  const level = setter.guards;
  const after = fn.exits.find((e) => e.kind === 'return' && e.line > cond.stmtEndLine && e.guards.length === level.length && guardsCover(e.guards, level));
  if (after?.value !== undefined && new RegExp(`(^|\\W)${escapeRegExp(variable)}(\\W|$)`).test(after.value)) return null;
  return { exit: after ?? { kind: 'return', line: fn.endLine, guards: level, inLoop: false }, condition: cond, value };
}

/**
 * `next`, the next call handed the variable's address, when the failure block of `setter` (the first test after
 * it, or the test it stands in: `if (opt && !fx_register(s, &err)) { warn_report(...); }`) ends without leaving and
 * goes on to it with the Error still set: nothing in the block, nor between the block and `next`, hands it on,
 * stores it or gives the variable another value, and `next` runs whenever the setter's own level does.
 */
function setAgain(fn: CFunction, calls: ErrorCalls, variable: string, setter: CCall, next: CCall | undefined, consumers: CCall[], storeLines: number[]): CCall | null {
  if (!next || !guardsCover(next.guards, setter.guards)) return null;
  const cond = fn.conditions.find(
    (c) =>
      c.kind === 'if' && (c.line > setter.endLine || (setter.line >= c.line && setter.endLine <= c.endLine)) && c.stmtEndLine < next.line &&
      testsSet(fn, { condition: c, negated: false }, variable, setter, calls),
  );
  if (!cond) return null;
  const inside = [...fn.calls, ...fn.exits, ...fn.stores].find((x) => x.guards.some((g) => g.condition === cond && !g.negated));
  if (!inside) return null;
  const own = inside.guards.slice(0, inside.guards.findIndex((g) => g.condition === cond));
  if (own.length !== setter.guards.length || !guardsCover(own, setter.guards)) return null;
  const then: CGuard[] = [...own, { condition: cond, negated: false }];
  const inBlock = (guards: readonly CGuard[]) => guardsCover(then, guards);
  // the block leaves (or ends a pass of a loop, or breaks out of it), ends the process, or hands the Error on
  if (fn.exits.some((e) => inBlock(e.guards))) return null;
  if (fn.calls.some((c) => calls.endsProgram(c.callee) && inBlock(c.guards))) return null;
  if (consumers.some((c) => c.line > setter.line && c.line < next.line)) return null;
  if (storeLines.some((l) => l > setter.line && l < next.line)) return null;
  const assigned = new RegExp(`^${escapeRegExp(variable)}\\s*=[^=]`);
  if (fn.statements.some((st) => st.line > setter.endLine && st.line < next.line && assigned.test(st.normalized))) return null;
  return next;
}

/**
 * The way out of a block taken when the Error is set (`if (ret) { if (open) { error_report_err(err); return; } ... }`)
 * that ends without leaving, so that the function goes on past it with the Error set: where the function then
 * leaves (its next return at that level, or its end), when nothing in the block at its own level, nor anything
 * after it, hands the Error on, stores it or sets it again.
 */
function fallsThroughSet(fn: CFunction, calls: ErrorCalls, variable: string, setter: CCall, next: CCall | undefined, consumers: CCall[], storeLines: number[]): CExit | null {
  // (the first test of the failure after the setter: the block that handles it; a later test of the same status,
  // `out: if (ret) { ... }`, is reached after that block had its say)
  for (const cond of fn.conditions) {
    if (cond.kind !== 'if' || cond.line <= setter.endLine || (next !== undefined && cond.stmtLine >= next.line)) continue;
    const guard: CGuard = { condition: cond, negated: false };
    if (!testsSet(fn, guard, variable, setter, calls)) continue;
    return fallsThroughBlock(fn, calls, variable, setter, cond, guard, consumers, storeLines);
  }
  return null;
}

function fallsThroughBlock(fn: CFunction, calls: ErrorCalls, variable: string, setter: CCall, cond: CCondition, guard: CGuard, consumers: CCall[], storeLines: number[]): CExit | null {
  // the block's own guards, read off what stands in it; the setter reaches it (no test between them)
  // (a store stands for a block that only sets state: `else if (ret) { s->msix = ON_OFF_AUTO_OFF; }`)
  const inside = [...fn.calls, ...fn.exits, ...fn.stores].find((x) => x.guards.some((g) => g.condition === cond && !g.negated));
  if (!inside) return null;
  const at = inside.guards.findIndex((g) => g.condition === cond);
  const own = inside.guards.slice(0, at);
  if (own.length < setter.guards.length || !guardsCover(own.slice(0, setter.guards.length), setter.guards)) return null;
  // beyond the setter's own tests, only the else branches of tests made after it: `if (ret && strict) { ...; return; }
  // else if (ret) { ... }` reaches the second block with the Error set as surely as a first test would
  const setterLevel = own.slice(0, setter.guards.length);
  if (own.slice(setter.guards.length).some((g) => !g.negated || g.condition.kind !== 'if' || g.condition.line <= setter.endLine)) return null;
  const then = [...own, guard];
  const level = (guards: readonly CGuard[]) => guards.length === then.length && guardsCover(guards, then);
  // the block leaves at its own level (a return or a jump whatever else it tests): no way on past it
  if (fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && level(e.guards))) return null;
  if (fn.calls.some((c) => calls.endsProgram(c.callee) && level(c.guards))) return null;
  // handed on at the block's own level, or anywhere after it; stored; or the function gives it back
  if (consumers.some((c) => (c.line > setter.endLine && guardsCover(c.guards, then) && c.line <= cond.stmtEndLine) || c.line > cond.stmtEndLine)) return null;
  // (or in both branches of an `if` inside the block: `if (!warned) { warn_report_err(err); } else { error_free(err); }`)
  const blockEnd: CExit = { kind: 'return', line: cond.stmtEndLine + 1, guards: then, inLoop: false };
  if (handedOnInBothBranches(consumers.filter((c) => c.line > cond.line && c.line <= cond.stmtEndLine), blockEnd)) return null;
  if (storeLines.some((l) => l > setter.line)) return null;
  if (fn.exits.some((e) => e.line > cond.stmtEndLine && e.value !== undefined && new RegExp(`(^|\\W)${escapeRegExp(variable)}(\\W|$)`).test(e.value))) return null;
  // (an else branch of the test takes the other way: the block is the `then` one; no other statement in between)
  const after = fn.exits.find((e) => e.kind === 'return' && e.line > cond.stmtEndLine && e.guards.length === setterLevel.length && guardsCover(e.guards, setterLevel));
  return after ?? { kind: 'return', line: fn.endLine, guards: setterLevel, inLoop: false };
}
