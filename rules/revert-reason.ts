/**
 * revert-reason: a revert names the commit it reverts (`This reverts commit
 * <sha>.`) and says why, beyond the lines git writes by default.
 */
import type { Commit } from '../src/series/model.js';
import type { NoOptions, Rule } from '../src/rule/rule.js';
import type { ModelService } from '../src/rule/model.js';

const RULE_ID = 'revert-reason';

const REVERT_SUBJECT = /^Revert "(.*)"$/;
/** git's line, also in the `revert.reference` form: `This reverts commit <abbrev> (<subject>, <date>).` */
const REVERTS_LINE = /^This reverts commit ([0-9a-fA-F]{7,64})\b(?:\s*\(.*\))?\s*\.?\s*$/;
/** fewer words than this besides git's lines is no reason */
const MIN_WORDS = 4;

function revertsLine(model: ModelService, commit: Commit): { line: number; id: string } | null {
  for (const l of model.bodyLines(commit)) {
    const m = REVERTS_LINE.exec(l.text.trim());
    if (m) return { line: l.line, id: (m[1] as string).toLowerCase() };
  }
  return null;
}

const MESSAGES = {
  noSha:
    'this revert does not say which commit it reverts: add the line git writes, `This reverts commit <sha>.`, ' +
    'and say why the commit is reverted.',
  unknownCommit: 'this revert names commit {{id}}, which this repository does not have: check the sha.',
  wrongSubject:
    'the subject quotes "{{quoted}}", but commit {{id}} is "{{subject}}": revert the commit the subject names, or fix the subject.',
  noReasonCommit:
    'this revert says only what git writes by default: say why commit {{id}} ' +
    'is reverted (what broke, where, and what the right fix would be), so that nobody re-applies it blindly.',
  noReason:
    'this revert says only what git writes by default: say why the commit ' +
    'is reverted (what broke, where, and what the right fix would be), so that nobody re-applies it blindly.',
};

export const revertReason: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: RULE_ID,
    category: 'commit',
    severity: 'warning',
    summary: 'A revert that does not name the reverted commit or does not say why it reverts it',
    messages: MESSAGES,
    docs: {
      what:
        'A commit whose subject is `Revert "..."` without a `This reverts commit <sha>.` line, or whose message says ' +
        'nothing besides what `git revert` writes (the subject, that line, trailers and `(cherry picked ...)` lines). ' +
        'With a repository at hand, the reverted commit must exist and the quoted subject must be its subject.',
      why:
        'A revert undoes a change someone wanted. Without the reason, reviewers cannot tell whether the reverted ' +
        'commit was wrong or only its side effects were, and whoever re-applies it later repeats the same mistake. ' +
        'Without the sha, nobody can find what was reverted.',
      fix:
        'Keep the line `git revert` writes and add a paragraph on why: what broke, on which hardware or workload, and ' +
        'what the right fix would be.',
      bad: ['Revert "vfio/listener: Skip DMA mapping for VFIO-owned RAM-device regions"', '', 'This reverts commit 179837d26da773384c8893fef50d3e911515761c.'].join('\n'),
      good: [
        'Revert "vfio/listener: Skip DMA mapping for VFIO-owned RAM-device regions"',
        '',
        'This reverts commit 179837d26da773384c8893fef50d3e911515761c.',
        '',
        'Skipping every VFIO-owned RAM device section drops all BARs and coherent',
        'memory windows from the IOMMU: ATS with a nested SMMU and P2P DMA break.',
      ].join('\n'),
    },
  },
  lookup(commit, model) {
    const r = REVERT_SUBJECT.test(commit.subject) ? revertsLine(model, commit) : null;
    return r ? [r.id] : [];
  },
  create(context) {
    const { commit, model } = context;
    return {
      commitMessage() {
        const subject = REVERT_SUBJECT.exec(commit.subject);
        if (!subject) return;
        const file = model.commitMessagePath(commit);
        const reverts = revertsLine(model, commit);
        if (!reverts) {
          context.report({ at: { file, line: 1, function: null }, messageId: 'noSha', related: [], key: `${commit.subject}|no-sha` });
        } else {
          const ref = context.lookups?.get(reverts.id);
          const quoted = model.normalizeSpace(subject[1] as string);
          if (ref === null) {
            context.report({
              at: { file, line: reverts.line, function: null },
              messageId: 'unknownCommit',
              data: { id: reverts.id },
              related: [],
              key: `${commit.subject}|unknown|${reverts.id}`,
            });
          } else if (ref !== undefined && model.normalizeSpace(ref.subject) !== quoted) {
            context.report({
              at: { file, line: 1, function: null },
              messageId: 'wrongSubject',
              data: { quoted, id: reverts.id, subject: ref.subject },
              related: [],
              key: `${commit.subject}|subject|${reverts.id}`,
            });
          }
        }
        const reason = model.bodyLines(commit).filter((l) => {
          const t = l.text.trim();
          return t !== '' && !REVERTS_LINE.test(t) && !t.startsWith('(cherry picked from commit ');
        });
        const words = reason.reduce((n, l) => n + l.text.trim().split(/\s+/).length, 0);
        if (words >= MIN_WORDS) return;
        context.report({
          at: { file, line: reverts?.line ?? 1, function: null },
          ...(reverts ? { messageId: 'noReasonCommit', data: { id: reverts.id.slice(0, 12) } } : { messageId: 'noReason' }),
          related: [],
          key: `${commit.subject}|no-reason`,
        });
      },
    };
  },
};
