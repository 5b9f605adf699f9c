/**
 * fixes-tag: every `Fixes:` trailer is `Fixes: <12+ hex> ("subject")`; with a
 * repository at hand the commit exists and the quoted subject is its subject.
 */
import type { Commit } from '../src/series/model.js';
import type { Rule, RuleOptionSpecs } from '../src/rule/rule.js';
import type { ModelService } from '../src/rule/model.js';

const RULE_ID = 'fixes-tag';

/** the commit id at the start of a Fixes: value (`commit ` before it is tolerated, and reported) */
const LEADING_ID = /^(commit\s+)?([0-9a-fA-F]{4,64})(?![0-9a-zA-Z])\s*(.*)$/;
/** `("subject")` after the id */
const QUOTED_SUBJECT = /^\("(.*)"\)$/;

function fixesIds(model: ModelService, commit: Commit): string[] {
  const out: string[] = [];
  for (const t of model.trailersNamed(commit, 'Fixes')) {
    const m = LEADING_ID.exec(t.value);
    if (m) out.push((m[2] as string).toLowerCase());
  }
  return out;
}

const FORMAT_HINT = `git log -1 --abbrev=12 --format='Fixes: %h ("%s")' <commit>`;

const OPTIONS = {
  styleSeverity: {
    type: 'severity',
    default: 'warning',
    description:
      'severity of the style nits alone (an id shorter than 12 digits, an unquoted subject, upper case, the word `commit`): ' +
      'preset qemu sets info; `off` drops them. A URL, a missing subject, an unknown id or a wrong subject stay at the rule\'s severity',
  },
} satisfies RuleOptionSpecs;

const MESSAGES = {
  url: '`Fixes: {{value}}` names a URL, not a commit: QEMU writes `Resolves: <url>` for an issue and `Fixes: <id> ("subject")` for a commit.',
  noId: `\`Fixes: {{value}}\` does not start with a commit id. Write \`Fixes: <12+ hex digits> ("subject")\` (\`${FORMAT_HINT}\`).`,
  // a malformed tag: its problems and nits (the clauses below) joined, then how to write it
  malformedRight: 'malformed Fixes: tag `Fixes: {{value}}`: {{problems}}. Write `{{right}}`.',
  malformedHint: `malformed Fixes: tag \`Fixes: {{value}}\`: {{problems}}. Write it with \`${FORMAT_HINT}\`.`,
  dropCommit: 'drop the word `commit` before the id',
  shortId: 'the id has {{digits}} hex digits, use at least 12 (short ids become ambiguous)',
  upperCase: 'write the id in lower case',
  noSubject: 'the subject is missing: add `("subject")`',
  unquoted: 'the subject must be in `("...")`, got `{{rest}}`',
  unknownCommit: 'this repository has no commit {{id}} (mistyped, or a commit that is not in this tree)',
  wrongSubject: 'the quoted subject is not the subject of {{id}}, which is "{{subject}}"',
};

export const fixesTag: Rule<typeof OPTIONS, keyof typeof MESSAGES> = {
  meta: {
    id: RULE_ID,
    category: 'commit',
    severity: 'warning',
    summary: 'A Fixes: trailer that is not `Fixes: <12+ hex> ("subject")`, or names a commit the repository does not have',
    messages: MESSAGES,
    options: OPTIONS,
    docs: {
      what:
        'A `Fixes:` trailer that is not a commit id of at least 12 hex digits followed by the subject in `("...")`; ' +
        'an issue URL in `Fixes:` (QEMU uses `Resolves:` for those). Coverity ids (`Fixes: CID 1458134`) and CVE ids (`Fixes: CVE-2024-1234`) are accepted. When a repository is at hand (a revision range, ' +
        'or a patch linted inside a checkout) the commit must exist there and the quoted subject must be its subject. ' +
        'What reviewers act on is reported at the rule\'s severity (a URL, a tag with no subject, an id that does not exist, a subject that does not match); ' +
        'the style nits alone (fewer than 12 hex digits, a subject not in `("...")`) at `styleSeverity` (info in preset qemu).',
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
  lookup: (commit, model) => fixesIds(model, commit),
  create(context) {
    const { commit, model } = context;
    return {
      commitMessage() {
        const file = model.commitMessagePath(commit);
        for (const t of model.trailersNamed(commit, 'Fixes')) {
          const report = (messageId: 'url' | 'noId', tag: string) =>
            context.report({
              at: { file, line: t.line, function: null },
              messageId,
              data: { value: t.value },
              related: [],
              key: `${commit.subject}|${tag}|${t.value}`,
            });
          if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t.value)) {
            report('url', 'url');
            continue;
          }
          // a Coverity defect (`Fixes: CID 1458134`, `Fixes: Coverity CID 1458134`) is how QEMU credits those
          if (/^(Coverity\s+)?CIDs?\s*#?\d+/i.test(t.value)) continue;
          // and a security fix names its CVE (`Fixes: CVE-2024-1234`, 26 on master since 2023)
          if (/^CVE-\d{4}-\d{4,}/i.test(t.value)) continue;
          const m = LEADING_ID.exec(t.value);
          if (!m) {
            report('noId', 'no-id');
            continue;
          }
          const id = m[2] as string;
          const rest = (m[3] as string).trim();
          const quoted = QUOTED_SUBJECT.exec(rest);
          // what reviewers act on (problems) and what they merge every week (nits)
          const problems: string[] = [];
          const nits: string[] = [];
          if (m[1]) nits.push(context.format('dropCommit'));
          if (id.length < 12) nits.push(context.format('shortId', { digits: id.length }));
          if (id !== id.toLowerCase()) nits.push(context.format('upperCase'));
          if (!quoted) {
            if (rest === '') problems.push(context.format('noSubject'));
            else nits.push(context.format('unquoted', { rest }));
          }
          const ref = context.lookups?.get(id.toLowerCase());
          let right: string | null = null;
          if (ref === null) {
            problems.push(context.format('unknownCommit', { id }));
          } else if (ref !== undefined) {
            right = `Fixes: ${ref.sha.slice(0, Math.max(12, id.length))} ("${ref.subject}")`;
            if (quoted && model.normalizeSpace(quoted[1] as string) !== model.normalizeSpace(ref.subject)) {
              problems.push(context.format('wrongSubject', { id, subject: ref.subject }));
            }
          }
          if (problems.length === 0 && nits.length === 0) continue;
          const style = context.options.styleSeverity;
          if (problems.length === 0 && style === 'off') continue;
          const listed = [...problems, ...nits].join('; ');
          context.report({
            at: { file, line: t.line, function: null },
            ...(right !== null
              ? { messageId: 'malformedRight', data: { value: t.value, problems: listed, right } }
              : { messageId: 'malformedHint', data: { value: t.value, problems: listed } }),
            related: [],
            key: `${commit.subject}|malformed|${t.value}`,
            ...(problems.length === 0 && (style === 'info' || style === 'warning') ? { maxSeverity: style } : {}),
          });
        }
      },
    };
  },
};
