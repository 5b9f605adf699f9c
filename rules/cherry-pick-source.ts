/**
 * cherry-pick-source: a `(cherry picked from commit <sha>)` line names the
 * branch it was picked from after the sha (downstream trees; off in preset qemu).
 */
import type { Rule, RuleOptionSpecs } from '../src/rule/rule.js';

const RULE_ID = 'cherry-pick-source';

const PICK_LINE = /^\(cherry picked from commit ([0-9a-fA-F]{4,64})\b(.*)\)\s*$/;

export const DEFAULT_BRANCH_PATTERN = '[A-Za-z0-9_][A-Za-z0-9_.+/-]*';

const OPTIONS = {
  branchPattern: {
    type: 'regex',
    default: DEFAULT_BRANCH_PATTERN,
    description: 'what the source branch after the sha must look like (a regular expression matched against the whole branch name)',
  },
} satisfies RuleOptionSpecs;

const MESSAGES = {
  noBranch:
    'the cherry-pick line names no source branch: reviewers of a downstream tree need to know which branch {{short}} ' +
    'was picked from. Add it after the sha: `(cherry picked from commit {{sha}} <branch>)`, e.g. `nvidia_stable-11.0`.',
  notBranch:
    'the cherry-pick line names `{{rest}}` after the sha, which is not a source branch (it must match `{{pattern}}`). ' +
    'Write `(cherry picked from commit {{sha}} <branch>)`.',
};

export const cherryPickSource: Rule<typeof OPTIONS, keyof typeof MESSAGES> = {
  meta: {
    id: RULE_ID,
    category: 'commit',
    severity: 'warning',
    summary: 'A "(cherry picked from commit <sha>)" line that does not name its source branch (preset downstream; off in qemu)',
    messages: MESSAGES,
    options: OPTIONS,
    docs: {
      what:
        'A `(cherry picked from commit <sha>)` line (what `git cherry-pick -x` adds) with nothing after the sha, or with ' +
        'something that does not match the `branchPattern` option (default: one branch-like word such as ' +
        '`nvidia_stable-11.0`). Off in preset `qemu`, a warning in preset `downstream`.',
      why:
        'In a downstream tree a sha alone does not say where the commit came from: the same change may exist on several ' +
        'stable branches, and reviewers ask which one was picked ("It looks like you picked this from nvidia_stable-11.0, ' +
        'is that correct?"). Naming the branch lets them compare the pick with its source.',
      fix:
        'Pick with `git cherry-pick -x -s`, then add the source branch after the sha in the pick line: ' +
        '`(cherry picked from commit 2e963ffd374c... nvidia_stable-11.0)`.',
      bad: '(cherry picked from commit 2e963ffd374c0b1a9d7e5f3c2a8b6d4e1f0a9c7b)',
      good: '(cherry picked from commit 2e963ffd374c0b1a9d7e5f3c2a8b6d4e1f0a9c7b nvidia_stable-11.0)',
    },
  },
  create(context) {
    return {
      commitMessage() {
        const commit = context.commit;
        const file = context.model.commitMessagePath(commit);
        const pattern = context.options.branchPattern;
        const branch = new RegExp(`^(?:${pattern})$`);
        context.model.messageLines(commit).forEach((text, i) => {
          const m = PICK_LINE.exec(text.trim());
          if (!m) return;
          const sha = m[1] as string;
          const rest = (m[2] as string).trim();
          if (rest !== '' && rest.length <= 200 && branch.test(rest)) return;
          context.report({
            at: { file, line: i + 1, function: null },
            messageId: rest === '' ? 'noBranch' : 'notBranch',
            data: rest === '' ? { short: sha.slice(0, 12), sha } : { rest, pattern, sha },
            related: [],
            key: `${commit.subject}|${sha}|${rest}`,
          });
        });
      },
    };
  },
};
