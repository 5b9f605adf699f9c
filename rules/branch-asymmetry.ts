/**
 * branch-asymmetry: one function carries both sides of a pair as the two
 * branches of an if (MAP/UNMAP in an IOMMU notifier, start/stop on `started`,
 * `*_map_unmap(..., bool map)`, `if (enable)` on a parameter), and the patch
 * adds a skip or an acquire to one branch only, or changes the test before a
 * primitive of one branch and not the same test before its counterpart.
 */
import type { CCall, CFunction, CGuard } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { PrimitiveMatch } from '../src/pairs/table.js';
import type { Branches, ChangedFile, CommitSummary, ModelService, PredicateKey } from '../src/rule/model.js';

const MESSAGES = {
  skip:
    '{{fn}}() now {{how}} when `{{predicate}}` in its {{branch}}, skipping {{skipped}}(), but its {{otherBranch}} still calls ' +
    '{{counterpart}}() at {{file}}:{{line}} without that test: the two branches are the two sides ' +
    'of one pair, so {{counterpart}}() will undo what {{skipped}}() never did (or leave in place what it did). ' +
    'Test the same predicate in the other branch, or decide the skip before the branches split, and say in the ' +
    'commit message why this path can see such entries.',
  addedCall:
    '{{fn}}() now calls {{callee}}() in its {{branch}}, but its {{otherBranch}} ' +
    '({{file}}:{{line}}) has no {{wanted}}(): the branches are the two sides of one pair, so what ' +
    '{{callee}}() does is never undone (or undone without being done). Add {{wanted}}() to the other branch.',
  guardDrift:
    '{{fn}}() now calls {{callee}}() in its {{branch}} only when `{{now}}` (before: `{{before}}`), but its {{otherBranch}} ' +
    'still calls {{counterpart}}() at {{file}}:{{line}} when `{{before}}`: the branches are the two sides of one pair, ' +
    'so {{counterpart}}() will undo what {{callee}}() no longer did (or leave in place what it now does). Make the ' +
    'same change to the test in the other branch.',
  // a branch ({{branch}}, {{otherBranch}} above)
  thenBranch: '`{{condition}}` branch',
  elseBranch: 'else branch of `{{condition}}`',
  // how the skip leaves ({{how}} above)
  jumps: 'jumps to {{label}}',
  jumpsLabel: 'jumps to a label',
  returns: 'returns',
  // related locations
  otherBranchStillCalls: 'the other branch still calls {{callee}}() here',
  otherBranchWithout: 'the other branch, with no {{wanted}}()',
  otherBranchOldTest: 'the other branch still tests `{{before}}` before {{callee}}() here',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

type Side = 'then' | 'else';
const other = (s: Side): Side => (s === 'then' ? 'else' : 'then');

function branchName(ctx: Ctx, b: Branches, side: Side): string {
  return ctx.format(side === 'then' ? 'thenBranch' : 'elseBranch', { condition: b.condition.text });
}

/** Primitive calls of a branch, matched by table or name family. */
function primitivesIn(ctx: Ctx, file: ChangedFile, fn: CFunction, calls: CCall[]) {
  const out: { call: CCall; match: PrimitiveMatch }[] = [];
  for (const call of calls) {
    const match = ctx.model.matchPrimitive(call, fn, ctx.pairs, file.knownNames, true);
    if (match) out.push({ call, match });
  }
  return out;
}

/**
 * The branches hold the two sides of a pair: a primitive here has its counterpart there, or the test is a
 * parameter whose name says which side the caller wants (`if (enable)`, `if (assign)`).
 */
function pairedBranches(ctx: Ctx, file: ChangedFile, fn: CFunction, b: Branches): boolean {
  if (ctx.model.sideParameter(fn, b.condition) !== null) return true;
  const thenP = primitivesIn(ctx, file, fn, b.then.calls);
  return thenP.some(({ match }) => b.else.calls.some((c) => match.counterparts.includes(c.callee)));
}

/**
 * Did the pre-image of the function (under its old name, in any touched file)
 * already skip under this predicate, in the branch of the same condition?
 * Then a rename or a reshaped exit made it look new.
 */
function skipExisted(model: ModelService, summary: CommitSummary, file: ChangedFile, fn: CFunction, key: PredicateKey, side: Side, b: Branches): boolean {
  // "already so" is decided by the model (summary.alreadySo): the old self, names mapped back through renames
  return summary.alreadySo(fn, file, (preFn, rename) => {
    const wanted = new Set(key.names.map(rename));
    for (const pb of model.twoBranchIfs(preFn)) {
      if (pb.condition.normalized !== b.condition.normalized) continue;
      for (const exit of pb[side].exits) {
        const guard = exit.guards[exit.guards.length - 1];
        if (!guard || guard.condition === pb.condition) continue;
        const k = model.predicateKey(guard.condition, new Set(preFn.gates.map((g) => g.flag)));
        if (k && k.names.some((n) => wanted.has(n))) return true;
      }
    }
    return false;
  });
}

function checkSkips(ctx: Ctx, file: ChangedFile, fn: CFunction, b: Branches): void {
  for (const side of ['then', 'else'] as const) {
    const mine = b[side];
    const theirs = b[other(side)];
    const prims = primitivesIn(ctx, file, fn, mine.calls);
    for (const exit of mine.exits) {
      const guard = exit.guards[exit.guards.length - 1];
      if (!guard || guard.condition === b.condition || guard.condition.line === b.condition.line) continue;
      const cond = guard.condition;
      if (!file.added.has(exit.line) && !file.addedIn(cond.line, cond.endLine)) continue;
      if (ctx.model.isErrorExit(fn, exit, guard) || ctx.model.isDelegatingExit(exit)) continue;
      // a release that checks for itself (memory_listener_unregister) undoes nothing never done
      const skipped = prims.find(({ call, match }) => ctx.model.exitSkipsCall(exit, call) && !(match.role === 'acquire' && match.pair.safeRelease));
      if (!skipped) continue;
      const counterpart = theirs.calls.find((c) => skipped.match.counterparts.includes(c.callee));
      if (!counterpart) continue;
      // the failure of the call that fills the acquire's own inputs (`if (!fx_get_vaddr(iotlb, &vaddr, &ro))`
      // before `fx_dma_map(..., vaddr, ro)`): a step of the acquire, which the undo does not take
      if (ctx.model.failsToFillArgs(fn, cond, skipped.call)) continue;
      const key = ctx.model.predicateKey(cond, new Set(fn.gates.map((g) => g.flag)));
      if (!key || ctx.model.branchTests(theirs, key.names, b.condition)) continue;
      // cpr_is_incoming(): the state is inherited, and the other branch must still undo it
      if (cond.callees.some((c) => ctx.pairs.isInheritedState(c))) continue;
      // Both branches test the same local state (`mapped = iova_tree_find(...)`): each acts on what is recorded.
      const state = (cond.identifiers ?? []).filter((n) => !cond.callees.includes(n) && !ctx.model.commonNames.has(n));
      if (state.length > 0 && ctx.model.branchTests(theirs, state, b.condition)) continue;
      if (skipExisted(ctx.model, ctx.model.summary(), file, fn, key, side, b)) continue;
      const how =
        exit.kind !== 'goto' ? ctx.format('returns') : exit.label !== undefined ? ctx.format('jumps', { label: exit.label }) : ctx.format('jumpsLabel');
      ctx.report({
        at: { file: file.path, line: cond.stmtLine, endLine: cond.stmtEndLine, function: fn.name },
        messageId: 'skip',
        data: {
          fn: fn.name,
          how,
          predicate: key.text,
          branch: branchName(ctx, b, side),
          skipped: skipped.call.callee,
          otherBranch: branchName(ctx, b, other(side)),
          counterpart: counterpart.callee,
          file: file.path,
          line: counterpart.line,
        },
        related: [
          {
            file: file.path,
            line: counterpart.line,
            function: fn.name,
            messageId: 'otherBranchStillCalls',
            data: { callee: counterpart.callee },
          },
        ],
        key: `skip|${fn.name}|${b.condition.normalized}|${skipped.call.callee}|${key.names.join(',')}`,
      });
    }
  }
}

/**
 * Inside paired branches the structure itself is the evidence, so a name
 * family may propose a counterpart the tables do not pair yet, but only one
 * the code has (defined or called in the commit's files): "add X()" for an
 * X nobody wrote names no undo (on the pairs history such proposals were
 * real once in nine: notification hooks, error disposal, status bits).
 */
function familyPrimitives(ctx: Ctx, file: ChangedFile, fn: CFunction, calls: CCall[]) {
  const out = primitivesIn(ctx, file, fn, calls);
  const known = ctx.model.summary().knownNames;
  // A call tested in a condition is a predicate (`memory_region_skip_iommu_map(mr)`), not an action.
  const predicates = new Set(fn.conditions.flatMap((c) => c.callees));
  for (const call of calls) {
    if (out.some((p) => p.call === call) || !/^\w+$/.test(call.callee) || predicates.has(call.callee)) continue;
    if (ctx.pairs.isNonResource(call.callee)) continue;
    const family = ctx.pairs.familyCounterparts(call.callee).find((f) => f.names.some((n) => known.has(n)));
    if (!family) continue;
    const names = family.names.filter((n) => known.has(n));
    const match: PrimitiveMatch = {
      pair: family.role === 'acquire'
        ? { acquire: [call.callee], release: names, what: call.callee }
        : { acquire: names, release: [call.callee], what: call.callee },
      role: family.role,
      counterparts: names,
      fromFamily: true,
    };
    out.push({ call, match });
  }
  return out;
}

/**
 * A counterpart the name family proposes but nobody wrote
 * (`fx_disconnect_route`) while the other branch calls another undo of the
 * same thing (`fx_remove_route`): the same words but the verb, and the verb
 * one that releases in some family.
 */
function undoneByAnotherName(ctx: Ctx, callee: string, counterparts: readonly string[], calls: readonly CCall[], known: ReadonlySet<string>): boolean {
  if (counterparts.some((c) => known.has(c))) return false;
  const verbs = new Set(ctx.pairs.data.families.flatMap((f) => f.release));
  const tokens = callee.split('_');
  for (const family of ctx.pairs.data.families) {
    const at = tokens.indexOf(family.acquire);
    if (at < 0) continue;
    for (const call of calls) {
      const other = call.callee.split('_');
      if (other.length !== tokens.length || !verbs.has(other[at] as string)) continue;
      if (other.every((t, i) => i === at || t === tokens[i])) return true;
    }
  }
  return false;
}

function checkAddedCalls(ctx: Ctx, file: ChangedFile, fn: CFunction, b: Branches): void {
  const summary = ctx.model.summary();
  // "introduced" is decided by the model (summary.gained): calls of a callee the function makes more often
  // than its old self (under its old names) did
  const gained = new Set(summary.gained(fn, file, (f) => f.calls, (c, rename) => rename(c.callee)));
  for (const side of ['then', 'else'] as const) {
    const theirs = b[other(side)];
    for (const { call, match } of familyPrimitives(ctx, file, fn, b[side].calls)) {
      if (!file.added.has(call.line)) continue;
      if (!gained.has(call)) continue;
      if (theirs.calls.some((c) => match.counterparts.includes(c.callee))) continue;
      // begun and committed in the same branch: balanced where it stands
      if (b[side].calls.some((c) => match.counterparts.includes(c.callee))) continue;
      // undone after the if, where the other branch falls through to (`} else { fx_deassign(...); }` and then a
      // cleanup label both reach)
      if (fn.calls.some((c) => c.line > call.line && match.counterparts.includes(c.callee) && !c.guards.some((g) => g.condition.line === b.condition.line && g.condition.normalized === b.condition.normalized))) continue;
      if (undoneByAnotherName(ctx, call.callee, match.counterparts, theirs.calls, summary.knownNames)) continue;
      const wanted = match.counterparts.join('() or ');
      const anchor = theirs.calls[0] as CCall;
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: 'addedCall',
        data: {
          fn: fn.name,
          callee: call.callee,
          branch: branchName(ctx, b, side),
          otherBranch: branchName(ctx, b, other(side)),
          file: file.path,
          line: anchor.line,
          wanted,
        },
        related: [
          { file: file.path, line: anchor.line, function: fn.name, messageId: 'otherBranchWithout', data: { wanted } },
        ],
        key: `call|${fn.name}|${b.condition.normalized}|${call.callee}`,
      });
    }
  }
}

/** The tests below the branch condition that a call is made under, innermost last, as text (`!x` for an else). */
function testsBelow(guards: readonly CGuard[], b: Branches): string[] {
  const at = guards.findIndex((g) => g.condition.line === b.condition.line && g.condition.normalized === b.condition.normalized);
  if (at < 0) return [];
  return guards.slice(at + 1).map((g) => (g.negated ? `!(${g.condition.normalized})` : g.condition.normalized));
}

const sameArgs = (a: CCall, b: CCall): boolean => a.args.length === b.args.length && a.args.every((x, i) => x.replace(/\s+/g, '') === (b.args[i] as string).replace(/\s+/g, ''));

/**
 * Guard drift: the pre-image made a primitive in one branch and its counterpart, on the same arguments, in the
 * other under the same tests; the patch changes the test of one (`if (pio)` → `if (pio && !legacy)`) and leaves
 * the other's.
 */
function checkGuardDrift(ctx: Ctx, file: ChangedFile, fn: CFunction, pre: CFunction, b: Branches): void {
  const preB = ctx.model.twoBranchIfs(pre).find((x) => x.condition.normalized === b.condition.normalized);
  if (!preB) return;
  for (const side of ['then', 'else'] as const) {
    const theirs = b[other(side)];
    for (const { call, match } of primitivesIn(ctx, file, fn, b[side].calls)) {
      const inner = call.guards[call.guards.length - 1];
      if (!inner || inner.condition === b.condition || !file.addedIn(inner.condition.line, inner.condition.endLine)) continue;
      // the innermost test of each (the branches may reach them through other tests: `} else if (!assign) {`)
      const innermost = (guards: readonly CGuard[], of: Branches) => testsBelow(guards, of).at(-1);
      const nowText = innermost(call.guards, b);
      // its counterpart on the same object (the same arguments, or fewer naming the same thing)
      const candidates = theirs.calls.filter((c) => match.counterparts.includes(c.callee));
      const counterpart = candidates.find((c) => sameArgs(c, call)) ?? candidates.find((c) => ctx.model.sameObject(c, call) && innermost(c.guards, b) !== undefined);
      if (!counterpart || nowText === undefined) continue;
      const beforeText = innermost(counterpart.guards, b);
      if (beforeText === undefined || beforeText === nowText) continue;
      // the pre-image tested both alike, and the other side's test is the one it had
      const preCall = preB[side].calls.find((c) => c.callee === call.callee && sameArgs(c, call));
      const preCounterpart = preB[other(side)].calls.find((c) => c.callee === counterpart.callee && sameArgs(c, counterpart));
      if (!preCall || !preCounterpart) continue;
      const before = innermost(preCall.guards, preB);
      if (before !== innermost(preCounterpart.guards, preB) || before !== beforeText) continue;
      // only a test of how an earlier step went changed (`... && local_err == NULL` dropped so that the undo runs
      // whatever failed before it): the sides' own condition is the same
      if (onlyStatusConjuncts(before, nowText)) continue;
      ctx.report({
        at: { file: file.path, line: inner.condition.stmtLine, endLine: inner.condition.stmtEndLine, function: fn.name },
        messageId: 'guardDrift',
        data: {
          fn: fn.name,
          callee: call.callee,
          branch: branchName(ctx, b, side),
          now: nowText,
          before: beforeText,
          otherBranch: branchName(ctx, b, other(side)),
          counterpart: counterpart.callee,
          file: file.path,
          line: counterpart.line,
        },
        related: [
          { file: file.path, line: counterpart.line, function: fn.name, messageId: 'otherBranchOldTest', data: { before: beforeText, callee: counterpart.callee } },
        ],
        key: `drift|${fn.name}|${b.condition.normalized}|${call.callee}|${nowText}`,
      });
    }
  }
}

/** An error or a status a step left behind: `local_err`, `err`, `errp`, `ret`, `rc`, `r`. */
const STATUS_WORD = /(^|[^\w>.])(\w*_)?(err(or)?\d*|errp|ret|rc|r)([^\w]|$)/;

/** Do the two tests differ only in conjuncts that test such a status? */
function onlyStatusConjuncts(before: string, now: string): boolean {
  const parts = (t: string) => new Set(t.replace(/^!\((.*)\)$/, '$1').split('&&').map((x) => x.trim().replace(/^\((.*)\)$/, '$1')));
  const a = parts(before);
  const b = parts(now);
  const differing = [...a].filter((x) => !b.has(x)).concat([...b].filter((x) => !a.has(x)));
  return differing.length > 0 && differing.every((x) => STATUS_WORD.test(x));
}

export const branchAsymmetry: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'branch-asymmetry',
    messages: MESSAGES,
    category: 'pair',
    severity: 'error',
    summary: 'One function holds both sides of a pair as branches, and the patch changes one branch only',
    docs: {
      what:
        'A function carries both sides of a pair as the two branches of one if: vfio_iommu_map_notify() maps when ' +
        '`iotlb->perm & IOMMU_RW` and unmaps otherwise, vhost_vdpa_iommu_map_notify() likewise, `if (started) { start } ' +
        'else { stop }`, `*_map_unmap(..., bool map)`; a test of one parameter whose name says which side the caller wants ' +
        '(`if (enable)`, `if (assign)`) holds both sides whatever its calls are named. The patch adds a skip (early return or ' +
        'goto) before the primitive of one branch without the same test in the other, adds an acquire to one branch with no ' +
        'release in the other, or changes the test before a primitive of one branch (`if (pio)` → `if (pio && !legacy)`) while ' +
        'its counterpart on the same object in the other branch, tested alike before, keeps the old test (not when the tests ' +
        'differ only in a test of an earlier step\'s error or status, `&& local_err == NULL`). ' +
        'Not when both branches test the same recorded state (`mapped = iova_tree_find(...)`), when the pre-image ' +
        'already skipped there, when the other branch undoes it under another verb (remove for connect), or when the undo ' +
        'follows the if, where the other branch falls through to it (a cleanup label both reach). Nor when the ' +
        'skip is the failure of a call that fills, through pointers, what the primitive then takes (`if (!get_vaddr(iotlb, ' +
        '&vaddr, &ro)) goto out;` before `dma_map(..., vaddr, ro)`): a step of the acquire, which an undo by address does not need. A counterpart ' +
        'the name family proposes must exist in the code (defined or called in the commit\'s files): no "add X()" for an X nobody wrote.',
      why:
        'The branches see the same entries from both directions: a MAP skipped for some entries is later followed by an ' +
        'UNMAP of the same range, which then unmaps what was never mapped; a start without a stop leaves things running ' +
        'after the device stops (shadow virtqueues left running on hot-unplug).',
      fix: 'Test the same predicate in the other branch, or decide before the branches split; add the matching stop/unmap to the other branch; change the test before the counterpart the same way.',
      bad: [
        'if ((iotlb->perm & IOMMU_RW) != IOMMU_NONE) {',
        '+   if (memory_region_skip_iommu_map(mr)) {',
        '+       goto out;',
        '+   }',
        '    ret = vfio_container_dma_map(bcontainer, iova, size, vaddr, ro, mr);',
        '} else {',
        '    ret = vfio_container_dma_unmap(bcontainer, iova, size, iotlb, false);',
        '}',
      ].join('\n'),
      good: [
        '+if (mr && memory_region_skip_iommu_map(mr)) {',
        '+    goto out;   /* neither mapped nor unmapped */',
        '+}',
        'if ((iotlb->perm & IOMMU_RW) != IOMMU_NONE) {',
        '    ret = vfio_container_dma_map(bcontainer, iova, size, vaddr, ro, mr);',
        '} else {',
        '    ret = vfio_container_dma_unmap(bcontainer, iova, size, iotlb, false);',
        '}',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        const fn = change.post;
        if (!file.post || !fn) return;
        for (const b of context.model.twoBranchIfs(fn)) {
          if (!pairedBranches(context, file, fn, b)) continue;
          checkSkips(context, file, fn, b);
          checkAddedCalls(context, file, fn, b);
          if (change.pre) checkGuardDrift(context, file, fn, change.pre, b);
        }
      },
    };
  },
};
