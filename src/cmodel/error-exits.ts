/**
 * Error exits: how QEMU code gives up on a failure (an unwind label, a failure
 * value, a test of a failed call, a block that reports an error). A fact of
 * the C alone, read by the balance model (src/model/skips.ts) and by pair
 * learning (an acquire skipped only on an error path is not taken
 * conditionally: its release runs only after it succeeded).
 */
import type { CCall, CCondition, CExit, CFunction, CGuard } from './types.js';

/** Does a label name an unwind or error exit (`err`, `fail_vq`, `out_unmap` is not)? */
export function isErrorLabel(label: string): boolean {
  return ERROR_LABEL.test(label);
}

/** Labels QEMU uses for error unwinding (`goto fail`, `goto err_free`, `goto out_unref`). */
export const ERROR_LABEL = /^(err|error|fail|failed|failure|abort|unwind|undo|rollback|bail|free|cleanup|release)|(_|^)(err|error|errors|fail|failed|failure|unwind|undo|rollback|teardown|exit)(_|$)/i;
/**
 * Calls that report or propagate an error: QEMU's own, and a subsystem's reporter named for it by one
 * word and `_error` (`hw_error`, a `<bus>_error(dev, fmt, ...)` that marks the device broken), or
 * `*_set_error`. Two words before `_error` (`g_clear_error`, `fx_get_last_error`) say something else. A trace
 * point named for the failure it records (`trace_fx_add_vector_failure`, `trace_fx_map_err`) is a report too.
 */
export const ERROR_CALL = /^(error_set\w*|error_propagate\w*|error_prepend|error_report\w*|error_append_hint|warn_report\w*|[a-z0-9]+_error|\w+_set_error|abort|g_assert_not_reached|qemu_log_mask|trace_\w+_(fail|failed|failure|error|err))$/;
/** A warning: the program goes on (`warn_report`, `warn_report_once`, `warn_report_err`). */
const WARNING_CALL = /^warn_report\w*$/;
/** Variables that hold a call's failure. */
export const ERROR_VARS = new Set(['ret', 'rc', 'r', 'err', 'error', 'local_err', 'errp', 'errno']);

/** `return NULL;`, `return false;`: the function tells its caller it made nothing. */
export const FAILURE_VALUE = /^(NULL|false)$/;
/** `return -1;`, `return -EINVAL;`, `return -errno;`: a negative error for the caller. */
const NEGATIVE_ERROR = /^-\s*(E[A-Z0-9]+|\d+|errno)$/;

/**
 * An error code stored for the caller to see (`req->status = FX_RESP_ERR_UNSPEC;`,
 * `req->status = -EINVAL;`): a void function that answers a request reports its
 * failure this way, not with its return value.
 */
const ERROR_CODE = /^(-\s*E[A-Z0-9]+|[A-Z0-9_]*(^|_)ERR(OR)?(_[A-Z0-9_]*)?)$/;

/** Does the block between `from` and `to` store an error code into a field? */
export function storesErrorCode(fn: CFunction, from: number, to: number): boolean {
  return fn.stores.some((s) => s.line > from && s.line <= to && ERROR_CODE.test(s.value.trim()));
}

/** `if (fd < 0)`, `if (groupid < 0)`: a negative return code. */
export const NEGATIVE_TEST = /^[\w>.-]+\s*<\s*0$/;
/** `if (!giommu)`, `if (p == NULL)`: a lookup that found nothing, an object that is not there. */
const NULL_TEST = /^(!\s*\w+|\w+\s*==\s*NULL|NULL\s*==\s*\w+)$/;

/**
 * An error path, or a path on which there is nothing to acquire: the
 * function gives up because something failed (a call that takes an Error **,
 * a negative return code, an error reported, a failure value returned to the
 * caller), or because the object it would work on is not there (a NULL
 * pointer, a lookup that missed). Neither is a decision to skip the primitive
 * for some inputs: nothing was acquired, and the caller knows. Rules ignore it.
 */
export function isErrorExit(fn: CFunction, exit: CExit, guard: CGuard): boolean {
  if (exit.kind === 'goto' && exit.label && ERROR_LABEL.test(exit.label)) return true;
  if (exit.kind === 'return' && exit.value && NEGATIVE_ERROR.test(exit.value)) return true;
  if (exit.kind === 'return' && exit.value && FAILURE_VALUE.test(exit.value)) return true;
  const cond = guard.condition;
  if (!guard.negated && (NEGATIVE_TEST.test(cond.normalized) || NULL_TEST.test(cond.normalized))) return true;
  if (!guard.negated && testsCallResultForNull(fn, cond)) return true;
  // a test of a call handed an error (`if (fx_attach(dev, &err))`): its failure, unless the exit stands in the
  // branch the other one of which handles the error (`if (fx_attach(dev, &err)) { error_free(err); } else {
  // goto found; }`): that one is the success
  if (/[(,]\s*(&\s*\w*err\w*|errp)\s*[,)]/.test(cond.normalized) && !(guard.negated && handlesErrorInThen(fn, cond))) return true;
  if (cond.names.length > 0 && cond.names.every((n) => ERROR_VARS.has(n))) return true;
  // what the exit's own block does on its way (not a nested test that leaves itself: `if (ret) { error_setg(...);
  // goto fail; } goto found;`)
  // (nor a warning in a nested test that goes on: `if (!fx_try(&err)) { warn_report_err(err); } goto done;` says a
  // step on the way failed and was put up with, not that the exit is the failure)
  const block = fn.calls.filter(
    (c) => c.line >= cond.stmtLine && c.line <= exit.line && c.line > cond.endLine && !leavesOnItsOwn(fn, exit, c) && !(c.guards.length > exit.guards.length && WARNING_CALL.test(c.callee)),
  );
  // a warning before a bare `return;` says the function goes without, not that it failed (`if (!s->feature) {
  // warn_report_once(...); return; }` skips the work for those inputs, and no caller hears of it)
  const warnsOnly = exit.kind === 'return' && exit.value === undefined && block.every((c) => !ERROR_CALL.test(c.callee) || WARNING_CALL.test(c.callee));
  if (warnsOnly) return storesErrorCode(fn, cond.endLine, exit.line);
  return block.some((c) => ERROR_CALL.test(c.callee)) || storesErrorCode(fn, cond.endLine, exit.line);
}

/**
 * Does the branch of `cond` taken when it holds leave the function with a failure value: a `return -1;` in it, or a
 * goto to a label whose code returns one (`out: fx_free(s); return -1;`, the first return after the label at the
 * function's own level)? What the caller hears tells which way the test went.
 */
export function branchReturnsFailure(fn: CFunction, cond: CCondition): boolean {
  const value = (e: CExit): string | undefined => {
    if (e.kind === 'return') return e.value?.trim();
    if (e.kind !== 'goto' || e.labelLine === undefined) return undefined;
    const after = fn.exits.filter((x) => x.line > (e.labelLine as number) && x.kind === 'return').sort((a, b) => a.line - b.line)[0];
    return after !== undefined && after.guards.length === 0 ? after.value?.trim() : undefined;
  };
  const fails = (v: string) => NEGATIVE_ERROR.test(v) || FAILURE_VALUE.test(v);
  return fn.exits.some((e) => e.guards.some((g) => g.condition === cond && !g.negated) && fails(value(e) ?? ''));
}

/** Does `call` stand in a test nested in the exit's block whose branch leaves by an exit of its own before `exit`? */
function leavesOnItsOwn(fn: CFunction, exit: CExit, call: CCall): boolean {
  const inner = call.guards.slice(exit.guards.length);
  if (inner.length === 0) return false;
  return fn.exits.some(
    (e) => e !== exit && e.line > call.line && e.line < exit.line && (e.kind === 'return' || e.kind === 'goto') && inner.every((g) => e.guards.some((h) => h.condition === g.condition && h.negated === g.negated)),
  );
}

/** Does the branch of `cond` taken when it holds report or free an error (error_report_err(), error_free())? */
function handlesErrorInThen(fn: CFunction, cond: CCondition): boolean {
  return fn.calls.some(
    (c) => c.guards.some((g) => g.condition === cond && !g.negated) && (ERROR_CALL.test(c.callee) || /^error_free\w*$/.test(c.callee)),
  );
}

/**
 * Does the condition test for NULL what a call of the function produced just
 * before (`s->chan = fx_channel_new(fd, errp); if (!s->chan)`)? That call
 * failed. A field tested that no call filled is state (`if (!s->started)`).
 */
function testsCallResultForNull(fn: CFunction, cond: CCondition): boolean {
  const m = /^!\s*([\w>.-]+)$|^([\w>.-]+)\s*==\s*NULL$/.exec(cond.normalized);
  const tested = (m?.[1] ?? m?.[2])?.replace(/\s+/g, '');
  if (!tested) return false;
  let last: CCall | undefined;
  for (const c of fn.calls) if (c.line < cond.line && c.result !== undefined && c.result.replace(/\s+/g, '') === tested && (!last || c.line > last.line)) last = c;
  if (!last) return false;
  // nothing else stored into it on the way
  return !fn.stores.some((st) => st.line > (last as CCall).line && st.line < cond.line && st.target.replace(/\s+/g, '') === tested);
}
