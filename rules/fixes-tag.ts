/**
 * fixes-tag: every `Fixes:` trailer is `Fixes: <12+ hex> ("subject")`; with a
 * repository at hand the commit exists and the quoted subject is its subject.
 */
import type { Commit } from '../src/series/model.js';
import type { Rule } from '../src/engine/rule.js';
import { commitMessagePath, hasCommitMessage } from '../src/engine/commit-message.js';
import { normalizeSpace, trailersNamed } from '../src/analysis/message.js';

const RULE_ID = 'fixes-tag';

/** the commit id at the start of a Fixes: value (`commit ` before it is tolerated, and reported) */
const LEADING_ID = /^(commit\s+)?([0-9a-fA-F]{4,64})(?![0-9a-zA-Z])\s*(.*)$/;
/** `("subject")` after the id */
const QUOTED_SUBJECT = /^\("(.*)"\)$/;

function fixesIds(commit: Commit): string[] {
  const out: string[] = [];
  for (const t of trailersNamed(commit, 'Fixes')) {
    const m = LEADING_ID.exec(t.value);
    if (m) out.push((m[2] as string).toLowerCase());
  }
  return out;
}

const FORMAT_HINT = `git log -1 --abbrev=12 --format='Fixes: %h ("%s")' <commit>`;

export const fixesTag: Rule = {
  meta: {
    id: RULE_ID,
    category: 'commit',
    severity: 'warning',
    summary: 'A Fixes: trailer that is not `Fixes: <12+ hex> ("subject")`, or names a commit the repository does not have',
    docs: {
      what:
        'A `Fixes:` trailer that is not a commit id of at least 12 hex digits followed by the subject in `("...")`; ' +
        'an issue URL in `Fixes:` (QEMU uses `Resolves:` for those). Coverity ids (`Fixes: CID 1458134`) are accepted. When a repository is at hand (a revision range, ' +
        'or a patch linted inside a checkout) the commit must exist there and the quoted subject must be its subject.',
      why:
        'Fixes: is what stable maintainers and downstream trees search to find the fixes a commit needs. A short id ' +
        'becomes ambiguous as the history grows, a missing or wrong subject cannot be checked by eye, and an id that ' +
        'is not in the tree (mistyped, or from a private branch) points nowhere.',
      fix:
        `Write the tag with git: \`${FORMAT_HINT}\`. For a GitLab issue use \`Resolves: <url>\`.`,
      bad: ['Fixes: 2e963ff', 'Fixes: 2e963ffd374c (memory: allow RAM device regions to skip IOMMU mapping)'].join('\n'),
      good: 'Fixes: 2e963ffd374c ("memory: Allow RAM device regions to skip IOMMU mapping")',
    },
  },
  lookup: fixesIds,
  check(ctx) {
    const commit = ctx.commit;
    if (!hasCommitMessage(commit)) return;
    const file = commitMessagePath(commit);
    for (const t of trailersNamed(commit, 'Fixes')) {
      const report = (problem: string, tag: string) =>
        ctx.report({ file, line: t.line, function: null, message: problem, related: [], key: `${commit.subject}|${tag}|${t.value}` });
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t.value)) {
        report(`\`Fixes: ${t.value}\` names a URL, not a commit: QEMU writes \`Resolves: <url>\` for an issue and \`Fixes: <id> ("subject")\` for a commit.`, 'url');
        continue;
      }
      // a Coverity defect (`Fixes: CID 1458134`, `Fixes: Coverity CID 1458134`) is how QEMU credits those
      if (/^(Coverity\s+)?CIDs?\s*#?\d+/i.test(t.value)) continue;
      const m = LEADING_ID.exec(t.value);
      if (!m) {
        report(`\`Fixes: ${t.value}\` does not start with a commit id. Write \`Fixes: <12+ hex digits> ("subject")\` (\`${FORMAT_HINT}\`).`, 'no-id');
        continue;
      }
      const id = m[2] as string;
      const rest = (m[3] as string).trim();
      const quoted = QUOTED_SUBJECT.exec(rest);
      const problems: string[] = [];
      if (m[1]) problems.push('drop the word `commit` before the id');
      if (id.length < 12) problems.push(`the id has ${id.length} hex digits, use at least 12 (short ids become ambiguous)`);
      if (id !== id.toLowerCase()) problems.push('write the id in lower case');
      if (!quoted) problems.push(rest === '' ? 'the subject is missing: add `("subject")`' : `the subject must be in \`("...")\`, got \`${rest}\``);
      const ref = ctx.lookups?.get(id.toLowerCase());
      let right: string | null = null;
      if (ref === null) {
        problems.push(`this repository has no commit ${id} (mistyped, or a commit that is not in this tree)`);
      } else if (ref !== undefined) {
        right = `Fixes: ${ref.sha.slice(0, Math.max(12, id.length))} ("${ref.subject}")`;
        if (quoted && normalizeSpace(quoted[1] as string) !== normalizeSpace(ref.subject)) {
          problems.push(`the quoted subject is not the subject of ${id}, which is "${ref.subject}"`);
        }
      }
      if (problems.length === 0) continue;
      const fix = right !== null ? `Write \`${right}\`.` : `Write it with \`${FORMAT_HINT}\`.`;
      report(`malformed Fixes: tag \`Fixes: ${t.value}\`: ${problems.join('; ')}. ${fix}`, 'malformed');
    }
  },
};
