/**
 * The audit check: in files as they are, a listed acquire primitive called by
 * one side of a pair (its root, or a helper the root calls directly) with no
 * matching release anywhere on the other side. Reported under call-asymmetry,
 * whose docs describe the same imbalance.
 */
import type { CFileModel } from '../cmodel/types.js';
import type { Rule } from '../rule/rule.js';
import type { SidePair } from '../pairs/sides.js';
import { callAsymmetry } from '../../rules/call-asymmetry.js';
import { callsTo, matchPrimitive } from '../model/primitives.js';

/** The root and the same-side helpers it calls directly: far helpers are too loosely tied to the pair. */
function nearAcquireSide(model: CFileModel, pair: SidePair): string[] {
  const root = model.functionByName(pair.acquire);
  const near = new Set<string>([pair.acquire]);
  for (const call of root?.calls ?? []) if (pair.acquireSide.has(call.callee)) near.add(call.callee);
  return [...near];
}

export const auditCallRule: Rule = {
  meta: callAsymmetry.meta,
  check(ctx) {
    for (const file of ctx.files) {
      const model = file.post;
      if (!model) continue;
      for (const pair of file.postSides) {
        const releaseScope = [...pair.releaseSide, ...pair.shared];
        const release = model.functionByName(pair.release);
        if (!release) continue;
        for (const name of nearAcquireSide(model, pair)) {
          const fn = model.functionByName(name);
          if (!fn) continue;
          const seen = new Set<string>();
          for (const call of fn.calls) {
            const match = matchPrimitive(call, fn, ctx.pairs, file.knownNames, false);
            if (!match || match.role !== 'acquire' || seen.has(call.callee)) continue;
            seen.add(call.callee);
            if (match.pair.onlyWithList) continue;
            // Released again before returning (register, use, unregister): balanced where it stands.
            if (fn.calls.some((c) => match.counterparts.includes(c.callee))) continue;
            if (callsTo(model, releaseScope, match.counterparts).length > 0) continue;
            const wanted = match.counterparts.join('() or ');
            ctx.report({
              file: file.path,
              line: call.line,
              endLine: call.endLine,
              function: fn.name,
              message:
                `${fn.name}() calls ${call.callee}() on the acquire side of ${pair.label}, but ${pair.release}() ` +
                `(${file.path}:${release.startLine}) never calls ${wanted}(): each ${pair.acquire.replace(/^.*_/, '')} ` +
                `takes a ${match.pair.what} that its counterpart never gives back. Add ${wanted}() to ${pair.release}().`,
              related: [
                { file: file.path, line: release.startLine, function: pair.release, message: `${pair.release}() has no ${wanted}() call` },
              ],
              key: `audit|${pair.acquire}/${pair.release}|${call.callee}`,
            });
          }
        }
      }
    }
  },
};
