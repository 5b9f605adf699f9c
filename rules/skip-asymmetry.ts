/**
 * skip-asymmetry: one side of a pair learns to skip its primitive (an early
 * return, a goto, or a flag cleared under a condition), the other side does
 * not test the same thing before the matching primitive.
 */
import type { CCall, CCondition, CFunction } from '../src/cmodel/types.js';
import type { Rule, RuleContext } from '../src/engine/rule.js';
import type { ChangedFile } from '../src/engine/changed-file.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { PrimitiveMatch, Role } from '../src/pairs/table.js';
import { newSkips, skipsCall } from '../src/analysis/new-skips.js';
import { anyTests, functionsTest, predicateKey, type PredicateKey } from '../src/analysis/predicate.js';
import { matchPrimitive } from '../src/analysis/primitives.js';
import { conditionalExits, describeExit, exitSkipsCall, gateClears, isDelegatingExit, isErrorExit } from '../src/analysis/skips.js';
import { fieldsStored, fieldsStoredAfter, intersects, namesTestedOnPath } from '../src/analysis/state-guard.js';
import { sideRootsOf, summaryOf, type CommitSummary } from '../src/summary/commit.js';
import { sameObject } from '../src/analysis/objects.js';
import { mirroredOnPath, skipPredicateNames } from '../src/analysis/mirror.js';
import { skipsOnlyAbsentObject, skipsOnlyEmptyList } from '../src/model/null-safe.js';
import { isVfioCode } from '../src/model/facts.js';

const RULE_ID = 'skip-asymmetry';

function sideFunctions(pair: SidePair, role: Role): Set<string> {
  return role === 'acquire' ? pair.acquireSide : pair.releaseSide;
}

/** Primitive calls of `role` that `fn` makes directly, or through a same-side helper it calls. */
function primitiveSites(ctx: RuleContext, file: ChangedFile, fn: CFunction, sideFns: ReadonlySet<string>, role: Role) {
  const model = file.post!;
  const known = summaryOf(ctx.files, ctx.pairs).knownNames;
  const out: { call: CCall; primitive: CCall; match: PrimitiveMatch }[] = [];
  for (const call of fn.calls) {
    const direct = matchPrimitive(call, fn, ctx.pairs, known, true);
    if (direct && direct.role === role) {
      out.push({ call, primitive: call, match: direct });
      continue;
    }
    if (!sideFns.has(call.callee) || call.callee === fn.name) continue;
    const helper = model.functionByName(call.callee);
    for (const inner of helper?.calls ?? []) {
      const m = matchPrimitive(inner, helper as CFunction, ctx.pairs, known, true);
      if (m && m.role === role) out.push({ call, primitive: inner, match: m });
    }
  }
  return out;
}

function describe(role: Role, match: PrimitiveMatch, skipped: string, counterpart: string): string {
  if (role === 'acquire') {
    return match.pair.ifAcquireSkipped ??
      `for those cases ${counterpart}() undoes a ${skipped}() that never happened`;
  }
  return match.pair.ifReleaseSkipped ?? `for those cases what ${counterpart}() set up is never undone and leaks`;
}

/**
 * Did the pre-image (under the old names, in any touched file) already skip
 * one of the same calls under the same predicate in the same function? Then
 * the skip was moved, renamed or reshaped (`return devfd;` → `return false;`),
 * not added. An exit under a condition that only shares a name with the new
 * one (an error path after the call, testing the same kind of region) is
 * another skip.
 */
function skipExisted(summary: CommitSummary, file: ChangedFile, fn: CFunction, names: readonly string[], callees: ReadonlySet<string>): boolean {
  const preFn = summary.pre.lookup(summary.preName(fn.name), file.oldPath ?? file.path)?.fn;
  if (!preFn) return false;
  const wanted = names.map((n) => summary.preName(n));
  const preCallees = new Set([...callees].map((c) => summary.preName(c)));
  const calls = preFn.calls.filter((c) => preCallees.has(c.callee));
  const same = (cond: CCondition) => {
    const tested = new Set([...cond.names, ...cond.callees]);
    return wanted.every((n) => tested.has(n));
  };
  for (const { exit, guard } of conditionalExits(preFn)) {
    if (same(guard.condition) && calls.some((c) => exitSkipsCall(exit, c))) return true;
  }
  for (const clear of gateClears(preFn)) {
    if (same(clear.guard.condition) && clear.gated.some((g) => calls.some((c) => c.line === g.line))) return true;
  }
  return false;
}

function checkFile(ctx: RuleContext, file: ChangedFile): void {
  const model = file.post;
  if (!model) return;
  const summary = summaryOf(ctx.files, ctx.pairs);
  for (const pair of file.postSides) {
    const { acquire: acquireRoots, release: releaseRoots } = sideRootsOf(file.postSides, pair);
    for (const role of ['acquire', 'release'] as const) {
      const mine = sideFunctions(pair, role);
      const otherRoots = role === 'acquire' ? releaseRoots : acquireRoots;
      const myRoots = role === 'acquire' ? acquireRoots : releaseRoots;
      for (const name of mine) {
        if (!file.touched(name)) continue;
        const fn = model.functionByName(name);
        if (!fn) continue;
        const localFlags = new Set(fn.gates.map((g) => g.flag));
        const sites = primitiveSites(ctx, file, fn, mine, role);
        if (sites.length === 0) continue;
        for (const skip of newSkips(file, fn)) {
          const skipped = sites.filter(({ call }) => skipsCall(skip, call));
          if (skipped.length === 0) continue;
          const key = predicateKey(skip.condition, localFlags);
          if (!key) continue;
          // cpr_is_incoming(): the state is inherited, and the other side must still undo it
          if (skip.condition.callees.some((c) => ctx.pairs.isInheritedState(c))) continue;
          const otherReach = summary.reach('post', otherRoots, myRoots, file.path);
          // mirrored only by the same predicate on the path to the matching release (mirror.ts)
          const predicate = skipPredicateNames(skip.condition, fn);
          if (skipExisted(summary, file, fn, predicate, new Set(skipped.map((x) => x.call.callee)))) continue;
          // The release side tests a field this side records after the skip (or, for a
          // skip on the release side, one the acquire side records): it undoes only what was done.
          const acquireStores = role === 'release'
            ? fieldsStored([...summary.reach('post', acquireRoots, releaseRoots, file.path).values()].map((r) => r.fn))
            : fieldsStoredAfter(summary.post, fn, skip.exit?.line ?? skip.line, file.path);
          if (role === 'release' && intersects(acquireStores, skip.condition.names)) continue;
          // One finding per skip: the first skipped primitive the other side undoes.
          for (const site of skipped) {
            // a release that checks for itself (memory_listener_unregister) undoes nothing never done
            if (role === 'acquire' && site.match.pair.safeRelease) continue;
            // a release that returns when the object it would release is not there (NULL, zero) undoes nothing done
            if (role === 'release' && !skip.how.endsWith(' unless') && skipsOnlyAbsentObject(skip.condition, site.primitive)) continue;
            // a release of each element of a list the skip finds empty: the loop would run zero times
            if (!skip.how.endsWith(' unless') && skipsOnlyEmptyList(skip.condition, site.primitive, (model.functionAt(site.primitive.line) ?? fn).calls)) continue;
            const counterparts = site.match.counterparts;
            // the undo of this object, not of another one the other side also releases
            const undos = [...otherReach.values()]
              .flatMap((r) => r.fn.calls.filter((c) => counterparts.includes(c.callee)).map((call) => ({ call, fn: r.fn, path: r.path, via: r.via })))
              .filter((c) => sameObject(site.primitive, c.call));
            const first = undos[0];
            if (!first) continue;
            if (undos.some((u) => mirroredOnPath(summary.post, u, predicate))) break;
            if (role === 'acquire' && intersects(acquireStores, namesTestedOnPath(summary.post, first))) continue;
            const otherRoot = otherRoots[0] as string;
            // Only a boolean flag (`bool try_unmap = true`) makes a sensible hint.
            const gate = first.fn.gates.find(
              (g) => /^(true|false|1|0)$/.test(g.initValue ?? '') && g.gatedCalls.some((c) => c.line === first.call.line),
            );
            const mirror = gate
              ? `mirror the test in ${first.fn.name}() before ${first.call.callee}() (for example \`if (${key.text}) { ${gate.flag} = false; }\`)`
              : `mirror the test in ${first.fn.name}() before ${first.call.callee}()`;
            ctx.report({
              file: file.path,
              line: skip.line,
              endLine: skip.endLine,
              function: fn.name,
              message:
                `${fn.name}() now ${skip.how} \`${key.text}\`, skipping ${site.primitive.callee}() ` +
                `(${role} side of ${pair.label}), but ${otherRoot}() still calls ${first.call.callee}() at ` +
                `${first.path}:${first.call.line}, and nothing on the way to that call skips it when \`${key.text}\` holds: ${describe(role, site.match, site.primitive.callee, first.call.callee)}. ` +
                `Fix: ${mirror}, or move the skip into a predicate both sides call` +
                // VFIO's own advice only in VFIO code
                (isVfioCode(file.path, [fn.name, site.primitive.callee, first.call.callee]) ? ` (such as vfio_listener_valid_section()), as upstream did for RAM_PROTECTED.` : '.'),
              related: [
                {
                  file: first.path,
                  line: first.call.line,
                  function: first.fn.name,
                  message: `${first.fn.name}() still calls ${first.call.callee}() here, also when ${key.text}`,
                },
                {
                  file: file.path,
                  line: site.primitive.line,
                  function: fn.name === site.call.callee ? fn.name : (model.functionAt(site.primitive.line)?.name ?? fn.name),
                  message: `the ${site.primitive.callee}() call that is now skipped`,
                },
              ],
              key: `${pair.acquire}/${pair.release}|${site.primitive.callee}|${key.names.join(',')}`,
              repair: { callees: [], functions: [fn.name, ...otherRoots], names: key.names },
            });
            break;
          }
        }
      }
    }
  }
}

/**
 * An acquire the commit moves into a function (from another one) lands behind
 * an early exit its old place did not have: it is now skipped in those cases,
 * while its release, wherever it lives, still runs for all of them (a group
 * joining an existing container returns before vfio_kvm_device_add_group(),
 * vfio_put_group() still calls vfio_kvm_device_del_group()).
 */
function movedBehindExit(ctx: RuleContext, file: ChangedFile): void {
  const summary = summaryOf(ctx.files, ctx.pairs);
  for (const change of file.functionChanges()) {
    const fn = change.post;
    if (!fn) continue;
    const localFlags = new Set(fn.gates.map((g) => g.flag));
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const match = matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
      if (!match || match.role !== 'acquire' || match.pair.safeRelease) continue;
      const from = summary.callDelta(call.callee, match.fromFamily ? undefined : call.args).lost.filter((n) => n !== fn.name);
      const source = from.length === 1 ? summary.pre.lookup(from[0] as string)?.fn : undefined;
      const oldCall = source?.calls.find((c) => c.callee === summary.preName(call.callee));
      if (!source || !oldCall) continue;
      for (const { exit, guard } of conditionalExits(fn)) {
        if (exit.line >= call.line || !exitSkipsCall(exit, call)) continue;
        if (isErrorExit(fn, exit, guard) || isDelegatingExit(exit)) continue;
        const key = predicateKey(guard.condition, localFlags);
        if (!key || guard.condition.callees.some((c) => ctx.pairs.isInheritedState(c))) continue;
        // the old place had the same skip: nothing changed for this call
        const oldSkips = conditionalExits(source).some(
          ({ exit: e, guard: g }) =>
            exitSkipsCall(e, oldCall) && !isErrorExit(source, e, g) && predicateKey(g.condition)?.names.some((n) => key.names.includes(n)),
        );
        if (oldSkips) continue;
        const acquireReach = summary.reach('post', [fn.name], []);
        const release = summary.post
          .all()
          .filter((p) => !acquireReach.has(p.fn.name) && !anyTests([p.fn], key))
          .flatMap((p) => p.fn.calls.filter((c) => match.counterparts.includes(c.callee)).map((c) => ({ call: c, fn: p.fn, path: p.path })))[0];
        if (!release) continue;
        const how = describeExit(exit);
        ctx.report({
          file: file.path,
          line: call.line,
          endLine: call.endLine,
          function: fn.name,
          message:
            `${call.callee}() moved from ${source.name}() into ${fn.name}(), after the point where ${fn.name}() ${how}` +
            `${guard.negated ? ' unless' : ' when'} \`${key.text}\` (${file.path}:${exit.line}): it is now skipped in those cases, ` +
            `but ${release.fn.name}() still calls ${release.call.callee}() at ${release.path}:${release.call.line} without that test, ` +
            `so for those cases it undoes a ${call.callee}() that never happened. Call ${call.callee}() before the early exit, ` +
            `or skip ${release.call.callee}() in the same cases.`,
          related: [
            { file: release.path, line: release.call.line, function: release.fn.name, message: `${release.fn.name}() still calls ${release.call.callee}() here` },
            { file: file.path, line: exit.line, function: fn.name, message: `the early exit that now skips ${call.callee}()` },
          ],
          key: `moved|${fn.name}|${call.callee}|${key.names.join(',')}`,
          repair: { callees: [], functions: [fn.name, release.fn.name], names: key.names },
        });
        break;
      }
    }
  }
}

export const skipAsymmetry: Rule = {
  meta: {
    id: RULE_ID,
    category: 'pair',
    severity: 'error',
    summary: 'A new skip of a primitive on one side of a pair that the other side does not mirror',
    docs: {
      what:
        'The patch adds an early exit (return, goto) or clears a gate flag so that one side of a pair ' +
        '(region_add, a map path, a register function) skips its primitive (vfio_container_dma_map, ' +
        'memory_region_ref, ...), while the other side still performs the matching primitive ' +
        '(vfio_container_dma_unmap, memory_region_unref, ...) without testing the same condition. Also an acquire ' +
        'the patch moves into a function behind an early exit its old place did not have. Only a skip the commit ' +
        'introduces: one the pre-image already had (under an old name, in another file) is not reported, nor a NULL ' +
        'or failure exit (nothing was acquired), a skip the release side mirrors by testing the state the acquire ' +
        'side records (`kvm_accel` set after the init), or a skip under cpr_is_incoming() (the state is inherited).',
      why:
        'The two sides no longer agree on which objects they handle. When add skips the map, del still ' +
        'unmaps a range that was never mapped: with iommufd an IOMMU_IOAS_UNMAP of something never mapped, ' +
        'on CXL Type-2 devices an ATC invalidation that can time out fatally. When del skips the unmap, the ' +
        'mapping leaks. Reviewers catch this sometimes; most such bugs in QEMU history were merged and fixed later.',
      fix:
        'Test the same predicate on the other side before its primitive (in vfio_listener_region_del: set ' +
        'try_unmap = false for the sections add skipped), or move the skip into a predicate both sides call ' +
        '(vfio_listener_valid_section(), *_skipped_section()), as upstream did for RAM_PROTECTED.',
      bad: [
        'void vfio_container_region_add(...)',
        '{',
        '    ...',
        '+   if (memory_region_skip_iommu_map(section->mr)) {',
        '+       return;',
        '+   }',
        '    ret = vfio_container_dma_map(bcontainer, iova, size, vaddr, ro, section->mr);',
        '}',
        '',
        'static void vfio_listener_region_del(...)',
        '{',
        '    bool try_unmap = true;',
        '    ...',
        '    if (try_unmap) {',
        '        vfio_container_dma_unmap(bcontainer, iova, size, NULL, false);   /* still unmaps */',
        '    }',
        '}',
      ].join('\n'),
      good: [
        'static void vfio_listener_region_del(...)',
        '{',
        '    ...',
        '    if (memory_region_is_ram_device(section->mr)) {',
        '        try_unmap = !((iova & pgmask) || (int128_get64(llsize) & pgmask));',
        '+       if (memory_region_skip_iommu_map(section->mr)) {',
        '+           try_unmap = false;',
        '+       }',
        '    }',
        '    if (try_unmap) {',
        '        vfio_container_dma_unmap(bcontainer, iova, size, NULL, false);',
        '    }',
        '}',
      ].join('\n'),
    },
  },
  check(ctx) {
    for (const file of ctx.files) {
      checkFile(ctx, file);
      if (file.post) movedBehindExit(ctx, file);
    }
  },
};
