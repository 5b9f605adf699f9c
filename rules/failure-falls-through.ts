/**
 * failure-falls-through: a function handed `Error **errp` tests the failure
 * of a call it handed `errp` to, and the failing branch neither leaves nor
 * deals with the Error: the function goes on with `*errp` set. Its caller
 * sees it fail (a realize that fails is never unrealized), so what it took
 * stays taken; and the next call handed `errp` sets an Error already set.
 */
import type { CCall, CFunction } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, FunctionChange, GoesOn } from '../src/rule/model.js';

const MESSAGES = {
  heldSlot:
    '{{fn}}() goes on after {{callee}}() fails: the branch at {{file}}:{{line}} that handles the failure neither ' +
    'leaves nor deals with the Error, so {{fn}}() carries on with *{{errp}} set. Its caller sees a failed {{slot}} and ' +
    'never runs {{release}}() for it, so {{taken}} {{stays}} taken.{{again}} {{fix}}',
  held:
    '{{fn}}() goes on after {{callee}}() fails: the branch at {{file}}:{{line}} that handles the failure neither ' +
    'leaves nor deals with the Error, so {{fn}}() carries on with *{{errp}} set, and nothing on its way out undoes ' +
    '{{taken}}, as its other failures do.{{again}} {{fix}}',
  again:
    '{{fn}}() goes on after {{callee}}() fails: the branch at {{file}}:{{line}} that handles the failure neither ' +
    'leaves nor deals with the Error, so {{fn}}() carries on with *{{errp}} set.{{again}} {{fix}}',
  againClause: ' {{next}}() at {{file}}:{{nextLine}} is handed {{errp}} again, and setting an Error that is already set aborts QEMU.',
  fixSibling: 'Leave as its other failures do ({{sibling}}() fails into `{{exit}}` at {{file}}:{{exitLine}}), or hand {{callee}}() a local Error and report or free it there.',
  // related locations
  failingCall: 'the call handed {{errp}}',
  siblingExit: 'a failure of {{sibling}}() leaves here',
  takenHere: '{{callee}}() takes it here',
  handedAgain: '{{next}}() is handed {{errp}} again',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

/** Most acquires a message names. */
const NAMED = 3;

/**
 * The acquires the function holds when it leaves after the failure: made before the failed call, or after it on
 * the way out, and released neither before it, nor in the failing branch, nor on the way out (a release after the
 * test at its level, before the exit the path reaches: `unlock(); return ret;` undoes the lock on the failing path
 * too), itself or through a helper it calls (`do_cleanup(s)`).
 */
function takenAround(ctx: Ctx, file: ChangedFile, fn: CFunction, goes: GoesOn): CCall[] {
  const summary = ctx.model.summary();
  const failed = goes.test.call;
  const inBranch = (c: CCall) => ctx.model.guardsCover(goes.test.failing, c.guards);
  const onTheWayOut = (c: CCall) => c.line > goes.test.condition.stmtEndLine && c.line < goes.until && ctx.model.guardsCover(c.guards, goes.level);
  // what the failing path runs: the branch itself, then the way out
  const path = fn.calls.filter((c) => inBranch(c) || onTheWayOut(c));
  const released = (acquire: CCall, counterparts: readonly string[]) => {
    const direct = (c: CCall) => counterparts.includes(c.callee) && ctx.model.sameObject(c, acquire);
    if (fn.calls.some((c) => c.line > acquire.line && c.line < failed.line && direct(c))) return true;
    // on the path, itself or through the helpers it calls (`do_cleanup(s)` unrealizing what realize set up)
    const wanted = new Set(counterparts);
    return path.some((c) => c.line > acquire.line && (direct(c) || ctx.model.firstCallTo(summary.reach('post', [c.callee], [fn.name], file.path), wanted, acquire) !== null));
  };
  // functions that run also after a failed acquire (instance finalize): what they release is not left taken
  const late = (file.post?.functions ?? []).filter((f) => f.name !== fn.name && ctx.pairs.runsAfterFailure(f.name));
  const releasedLate = (acquire: CCall, counterparts: readonly string[]) =>
    late.some((f) => f.calls.some((c) => counterparts.includes(c.callee) && ctx.model.sameObject(c, acquire)));
  const out: CCall[] = [];
  for (const c of fn.calls) {
    if (c === failed || c.autoReleased || inBranch(c) || (c.line >= failed.line && !goes.work.includes(c))) continue;
    const m = ctx.model.matchPrimitive(c, fn, ctx.pairs, summary.knownNames, true);
    if (m?.role !== 'acquire') continue;
    if (released(c, m.counterparts) || releasedLate(c, m.counterparts)) continue;
    out.push(c);
  }
  return out;
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn) return;
  const errp = ctx.model.errorOutParameter(fn);
  if (!errp) return;
  const summary = ctx.model.summary();
  const goesOn = (f: CFunction) => {
    const p = ctx.model.errorOutParameter(f);
    return p ? ctx.model.goesOnAfterFailure(f, p) : [];
  };
  // "introduced" is decided by the model: a failing branch the old self already let through is not this commit's
  for (const goes of summary.introduced(fn, file, goesOn, (g, rename) => [rename(g.test.call.callee)])) {
    const { call, condition } = goes.test;
    // the commit wrote the call, its test, or the branch (an exit taken out of it)
    const branchTouched = () => [...file.added].some((l) => l > condition.line && l <= condition.stmtEndLine);
    if (!file.added.has(call.line) && !file.added.has(condition.line) && !branchTouched()) continue;
    // the function's own way with a failure: another call handed errp whose failure leaves (the last one before
    // this call, which has the most to undo, else the first after it)
    const leaving = ctx.model.failureTests(fn, errp).filter((t) => t.leaves && t.call !== call);
    const sibling = leaving.filter((t) => t.call.line < call.line).at(-1) ?? leaving[0];
    if (!sibling) continue;
    const exit = fn.exits.find((e) => e.kind !== 'break' && e.kind !== 'continue' && sibling.failing.every((g) => e.guards.some((h) => h.condition === g.condition && h.negated === g.negated)));
    if (!exit) continue;
    const taken = takenAround(ctx, file, fn, goes);
    const next = goes.work.find((c) => c.args.some((a) => a.trim() === errp));
    if (taken.length === 0 && !next) continue;
    const base = { fn: fn.name, callee: call.callee, file: file.path, line: condition.line, errp };
    const again = next ? ctx.format('againClause', { next: next.callee, file: file.path, nextLine: next.line, errp }) : '';
    const exitText = exit.kind === 'goto' ? `goto ${exit.label ?? ''};` : exit.value !== undefined ? `return ${exit.value};` : 'return;';
    const fix = ctx.format('fixSibling', { sibling: sibling.call.callee, exit: exitText, file: file.path, exitLine: exit.line, callee: call.callee });
    const named = taken.slice(0, NAMED).map((c) => `what ${c.callee}() took at ${file.path}:${c.line}`);
    if (taken.length > NAMED) named.push(`${taken.length - NAMED} more`);
    const takenText = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1] as string}` : (named[0] ?? '');
    // the slot whose failure its release slot never follows (`realize`, `unrealize`): what the caller does is known
    const slot = file.postSides.find((p) => p.kind === 'slot' && p.acquire === fn.name && p.acquireSlot !== undefined && ctx.pairs.releaseSkippedOnFailure(p.acquireSlot));
    const message =
      taken.length === 0
        ? { messageId: 'again' as const, data: { ...base, again, fix } }
        : slot
          ? { messageId: 'heldSlot' as const, data: { ...base, slot: String(slot.acquireSlot), release: slot.release, taken: takenText, stays: taken.length > 1 ? 'stay' : 'stays', again, fix } }
          : { messageId: 'held' as const, data: { ...base, taken: takenText, again, fix } };
    ctx.report({
      at: { file: file.path, line: condition.line, endLine: condition.endLine, function: fn.name },
      ...message,
      related: [
        { file: file.path, line: call.line, function: fn.name, messageId: 'failingCall', data: { errp } },
        { file: file.path, line: exit.line, function: fn.name, messageId: 'siblingExit', data: { sibling: sibling.call.callee } },
        ...taken.slice(0, NAMED).map((c) => ({ file: file.path, line: c.line, function: fn.name, messageId: 'takenHere' as const, data: { callee: c.callee } })),
        ...(next ? [{ file: file.path, line: next.line, function: fn.name, messageId: 'handedAgain' as const, data: { next: next.callee, errp } }] : []),
      ],
      key: `${fn.name}|${call.callee}`,
      repair: { callees: [call.callee], functions: [fn.name] },
    });
  }
}

export const failureFallsThrough: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'failure-falls-through',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A failure of a call handed errp is handled by a branch that goes on: the function fails holding what it took',
    docs: {
      what:
        'A function handed `Error **errp` tests the failure of a call handed `errp` (`if (!fx_probe(dev, errp))`, ' +
        '`ret = fx_setup(s, errp); if (ret < 0)`, `if (*errp)`), the commit writes the call, its test or the branch (an ' +
        'exit taken out of it), and the branch taken on failure neither leaves (no return, ' +
        'goto, break or call that never returns) nor hands on or clears the Error, while another failure of the same ' +
        'function leaves; and after it the function holds what a pair\'s acquire took before, or takes more, or hands ' +
        '`errp` to another call. A branch after which the function only ends (`error_prepend(errp, ...); } return ret;`) is none.',
      why:
        'A set `*errp` is the failure, whatever the function returns: its caller sees a failed realize and never ' +
        'unrealizes it, so what it registered, mapped or allocated before and after the call stays in place, and no ' +
        'unwinding label runs. A later call handed the same `errp` sets an Error that is already set, which aborts QEMU.',
      fix: 'Leave the way the function\'s other failures do (`goto fail;`, `return;`), or, if the failure is not fatal, hand the call a local Error and report or free it in the branch.',
      bad: [
        '    fx_register_notifier(s);',
        '    if (!fx_probe_migration(s, errp)) {',
        '        error_report("%s: migration disabled", s->name);',
        '    }',
        '    fx_map_bars(s);',
      ].join('\n'),
      good: [
        '    fx_register_notifier(s);',
        '    if (!fx_probe_migration(s, errp)) {',
        '        goto out_unregister;',
        '    }',
        '    fx_map_bars(s);',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (file.post) checkFunction(context, file, change);
      },
    };
  },
};
