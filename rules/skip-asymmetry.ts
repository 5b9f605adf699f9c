/**
 * skip-asymmetry: one side of a pair learns to skip its primitive (an early
 * return, a goto, or a flag cleared under a condition), the other side does
 * not test the same thing before the matching primitive.
 */
import type { CCall, CFunction } from '../src/cmodel/types.js';
import type { Rule, RuleContext } from '../src/engine/rule.js';
import type { ChangedFile } from '../src/engine/changed-file.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { PrimitiveMatch, Role } from '../src/pairs/table.js';
import { newSkips, skipsCall } from '../src/analysis/new-skips.js';
import { functionsTest, predicateKey } from '../src/analysis/predicate.js';
import { callsTo, matchPrimitive, opposite } from '../src/analysis/primitives.js';

const RULE_ID = 'skip-asymmetry';

function sideFunctions(pair: SidePair, role: Role): Set<string> {
  return role === 'acquire' ? pair.acquireSide : pair.releaseSide;
}

/** Primitive calls of `role` that `fn` makes directly, or through a same-side helper it calls. */
function primitiveSites(file: ChangedFile, fn: CFunction, sideFns: ReadonlySet<string>, role: Role, ctx: RuleContext) {
  const model = file.post!;
  const out: { call: CCall; primitive: CCall; match: PrimitiveMatch }[] = [];
  for (const call of fn.calls) {
    const direct = matchPrimitive(call, fn, ctx.pairs, file.knownNames, true);
    if (direct && direct.role === role) {
      out.push({ call, primitive: call, match: direct });
      continue;
    }
    if (!sideFns.has(call.callee) || call.callee === fn.name) continue;
    const helper = model.functionByName(call.callee);
    for (const inner of helper?.calls ?? []) {
      const m = matchPrimitive(inner, helper as CFunction, ctx.pairs, file.knownNames, true);
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

function checkFile(ctx: RuleContext, file: ChangedFile): void {
  const model = file.post;
  if (!model) return;
  for (const pair of file.postSides) {
    for (const role of ['acquire', 'release'] as const) {
      const mine = sideFunctions(pair, role);
      const other = sideFunctions(pair, opposite(role));
      for (const name of mine) {
        if (!file.touched(name)) continue;
        const fn = model.functionByName(name);
        if (!fn) continue;
        const localFlags = new Set(fn.gates.map((g) => g.flag));
        const sites = primitiveSites(file, fn, mine, role, ctx);
        if (sites.length === 0) continue;
        for (const skip of newSkips(file, fn)) {
          const skipped = sites.filter(({ call }) => skipsCall(skip, call));
          if (skipped.length === 0) continue;
          const key = predicateKey(skip.condition, localFlags);
          if (!key) continue;
          if (functionsTest(model, [...other, ...pair.shared], key)) continue;
          // One finding per skip: the first skipped primitive the other side undoes.
          for (const site of skipped) {
            const counterpartCalls = callsTo(model, other, site.match.counterparts);
            const first = counterpartCalls[0];
            if (!first) continue;
            const otherRoot = role === 'acquire' ? pair.release : pair.acquire;
            // Only a boolean flag (`bool try_unmap = true`) makes a sensible hint.
            const gate = first.fn.gates.find(
              (g) => /^(true|false|1|0)$/.test(g.initValue ?? '') && g.gatedCalls.some((c) => c.line === first.call.line),
            );
            const mirror = gate
              ? `mirror the test in ${first.fn.name}() before ${first.call.callee}() (for example \`if (${key.text}) { ${gate.flag} = false; }\`)`
              : `mirror the test in ${first.fn.name}() before ${first.call.callee}()`;
            const predicateNote = key.names.join('(), ') + (skip.condition.callees.length > 0 ? '()' : '');
            ctx.report({
              file: file.path,
              line: skip.line,
              endLine: skip.endLine,
              function: fn.name,
              message:
                `${fn.name}() now ${skip.how} \`${key.text}\`, skipping ${site.primitive.callee}() ` +
                `(${role} side of ${pair.label}), but ${otherRoot}() still calls ${first.call.callee}() at ` +
                `${file.path}:${first.call.line} without testing ${predicateNote}: ${describe(role, site.match, site.primitive.callee, first.call.callee)}. ` +
                `Fix: ${mirror}, or move the skip into a predicate both sides call (such as vfio_listener_valid_section()), ` +
                `as upstream did for RAM_PROTECTED.`,
              related: [
                {
                  file: file.path,
                  line: first.call.line,
                  function: first.fn.name,
                  message: `${first.fn.name}() still calls ${first.call.callee}() here without testing ${key.text}`,
                },
                {
                  file: file.path,
                  line: site.primitive.line,
                  function: fn.name === site.call.callee ? fn.name : (model.functionAt(site.primitive.line)?.name ?? fn.name),
                  message: `the ${site.primitive.callee}() call that is now skipped`,
                },
              ],
              key: `${pair.acquire}/${pair.release}|${site.primitive.callee}|${key.names.join(',')}`,
            });
            break;
          }
        }
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
        '(vfio_container_dma_unmap, memory_region_unref, ...) without testing the same condition.',
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
    for (const file of ctx.files) checkFile(ctx, file);
  },
};
