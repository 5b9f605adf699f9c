/**
 * The audit check: in files as they are, a listed acquire primitive called by
 * one side of a pair (its root, or a helper the root calls directly) with no
 * matching release anywhere on the other side. Reported under call-asymmetry,
 * whose docs describe the same imbalance.
 */
import type { CFileModel } from '../cmodel/types.js';
import type { NoOptions, Rule } from '../rule/rule.js';
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

const MESSAGES = {
  neverReleased:
    '{{fn}}() calls {{callee}}() on the acquire side of {{pair}}, but {{release}}() ' +
    '({{file}}:{{releaseLine}}) never calls {{wanted}}(): each {{verb}} ' +
    'takes a {{what}} that its counterpart never gives back. Add {{wanted}}() to {{release}}().',
  // the related location
  noCallTo: '{{release}}() has no {{wanted}}() call',
};

export const auditCallRule: Rule<NoOptions, keyof typeof MESSAGES> = {
  // call-asymmetry's id and docs, with the audit's own message
  meta: { ...callAsymmetry.meta, messages: MESSAGES },
  create(ctx) {
    return {
      // the engine's loop over file.postSides (none without a post-image)
      pair(file, pair) {
        const model = file.post;
        if (!model) return;
        const releaseScope = [...pair.releaseSide, ...pair.shared];
        const release = model.functionByName(pair.release);
        if (!release) return;
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
              at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
              messageId: 'neverReleased',
              data: {
                fn: fn.name,
                callee: call.callee,
                pair: pair.label,
                release: pair.release,
                file: file.path,
                releaseLine: release.startLine,
                wanted,
                verb: pair.acquire.replace(/^.*_/, ''),
                what: match.pair.what,
              },
              related: [
                { file: file.path, line: release.startLine, function: pair.release, messageId: 'noCallTo', data: { release: pair.release, wanted } },
              ],
              key: `audit|${pair.acquire}/${pair.release}|${call.callee}`,
            });
          }
        }
      },
    };
  },
};
