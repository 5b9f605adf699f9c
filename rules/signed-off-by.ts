/**
 * signed-off-by: a commit message carries a well-formed `Signed-off-by:`
 * trailer; with the `qemu` preset one of them is the author's.
 */
import type { Rule, RuleOptionSpecs } from '../src/rule/rule.js';
import type { Commit } from '../src/series/model.js';

const RULE_ID = 'signed-off-by';

/** `Name <email>`: a name, one address in angle brackets. */
const IDENT = /^([^<>]*[^<>\s])\s+<([^<>\s@]+@[^<>\s]+)>$/;

/** Lists that rewrite From: (DMARC), whose address says nothing about the author. */
const LIST_ADDRESS = /^(qemu-devel|qemu-block|qemu-arm|qemu-riscv|qemu-ppc|qemu-s390x|qemu-stable|qemu-trivial)@nongnu\.org$/i;

const OPTIONS = {
  authorMatch: {
    type: 'boolean',
    default: true,
    description: 'one Signed-off-by: must name the author (by name or email); preset qemu sets true, downstream false',
  },
} satisfies RuleOptionSpecs;

const WRITE = 'Write `Signed-off-by: Full Name <user@example.org>`';

const MESSAGES = {
  misspelled: `\`{{text}}\` is not a Signed-off-by: trailer (misspelled), so the patch has no sign-off. ${WRITE} (what \`git commit --amend -s\` writes).`,
  // in a commit-msg hook the commit is not made yet, so `--amend` would
  // change the commit before it: the *Hook messages say to commit again
  misspelledHook:
    `\`{{text}}\` is not a Signed-off-by: trailer (misspelled), so the patch has no sign-off. ${WRITE}, as \`git commit -s\` does: ` +
    'this commit was not made, so commit again with -s or fix the line in the message.',
  missing:
    "no Signed-off-by: trailer: QEMU takes no patch without the author's sign-off (the Developer's Certificate of Origin). " +
    'Add one with `git commit --amend -s`.',
  missingHook:
    "no Signed-off-by: trailer: QEMU takes no patch without the author's sign-off (the Developer's Certificate of Origin). " +
    'This commit was not made: commit again with `git commit -s`, or add the line to the message.',
  notTrailer:
    'Signed-off-by: is not in the trailer block: only the last paragraph of the message holds trailers, so ' +
    '`git interpret-trailers` and patchew do not see it (checkpatch does). Move it into the last paragraph ' +
    '(a blank line before it, only trailers after it).',
  malformedValue: `malformed Signed-off-by: \`{{value}}\` is not \`Name <email>\`. ${WRITE} (what \`git commit -s\` writes).`,
  malformedKey: `malformed Signed-off-by: the key is written \`{{key}}\`. ${WRITE} (what \`git commit -s\` writes).`,
  notAuthor:
    "no Signed-off-by: is the author's ({{who}}): the author certifies the Developer's Certificate of Origin. " +
    'Add `Signed-off-by: {{who}}` (`git commit --amend -s` as the author), or fix the author with `git commit --amend --author`.',
  notAuthorHook:
    "no Signed-off-by: is the author's ({{who}}): the author certifies the Developer's Certificate of Origin. " +
    'This commit was not made: commit again with `git commit -s` as the author, or add `Signed-off-by: {{who}}` to the message, ' +
    'or fix the author with `git commit --author`.',
};

export const signedOffBy: Rule<typeof OPTIONS, keyof typeof MESSAGES> = {
  meta: {
    id: RULE_ID,
    category: 'commit',
    severity: 'error',
    summary: 'A commit message without a well-formed Signed-off-by: trailer (with preset qemu: none by the author)',
    messages: MESSAGES,
    options: OPTIONS,
    docs: {
      what:
        'The commit message has no `Signed-off-by:` line, or one in its final trailer block that is not ' +
        '`Name <email>`, or (with `authorMatch`, on in preset qemu) none whose name or email is the author\'s. ' +
        'As in checkpatch, a sign-off counts wherever it is in the message; one outside the final trailer block, ' +
        'when that block has no Signed-off-by at all, is a warning (placement), never an error. ' +
        'The staged change and a plain diff have no message and are not checked; `fixup!`/`squash!`/`amend!` commits are not checked either. ' +
        'When the author is unknown (`--commit-msg` outside a repository) the author match is skipped.',
      why:
        'QEMU takes no patch without the author\'s Signed-off-by: it certifies the Developer\'s Certificate of Origin. ' +
        'A Signed-off-by outside the last paragraph is not a trailer, so git and patchew do not see it; a malformed one ' +
        'cannot be matched to a person.',
      fix:
        'Sign off as the author: `git commit -s` for a new commit (what the commit-msg hook asks), `git commit --amend -s` ' +
        'for the last one, `git format-patch -s`. Keep the trailer in ' +
        'the last paragraph of the message, as `Signed-off-by: Full Name <user@example.org>`.',
      bad: ['vfio/listener: skip the map for marked regions', '', 'Mark the regions at creation time.', '', 'Reviewed-by: Someone Else <else@example.org>'].join('\n'),
      good: [
        'vfio/listener: skip the map for marked regions',
        '',
        'Mark the regions at creation time.',
        '',
        'Signed-off-by: Dev Example <dev@example.org>',
        'Reviewed-by: Someone Else <else@example.org>',
      ].join('\n'),
    },
  },
  create(context) {
    const { commit, model } = context;
    return {
      commitMessage() {
        if (/^(fixup|squash|amend)! /.test(commit.subject)) return;
        const file = model.commitMessagePath(commit);
        const key = commit.subject;
        const sobs = model.trailersNamed(commit, 'Signed-off-by');
        const lines = model.messageLines(commit);
        const hook = commit.source.kind === 'commit-msg';
        // Every `Signed-off-by:` line of the body, wherever it is: checkpatch
        // accepts a sign-off anywhere in the message, and merged commits often
        // have the author's above a blank line that separates it from the
        // maintainer's trailers.
        const anywhere: { value: string; line: number }[] = [];
        lines.forEach((l, i) => {
          const m = i > 0 ? /^\s*signed-off-by:\s*(.*?)\s*$/i.exec(l) : null;
          if (m) anywhere.push({ value: m[1] as string, line: i + 1 });
        });
        if (sobs.length === 0) {
          if (anywhere.length === 0) {
            const stray = lines.findIndex((l, i) => i > 0 && /^\s*signed\s*-?\s*off\s*-?\s*by\s*:/i.test(l));
            if (stray >= 0) {
              const text = (lines[stray] as string).trim();
              context.report({
                at: { file, line: stray + 1, function: null },
                messageId: hook ? 'misspelledHook' : 'misspelled',
                data: { text: text.slice(0, text.indexOf(':') + 1) },
                related: [],
                key: `${key}|stray`,
              });
              return;
            }
            context.report({
              at: { file, line: Math.max(1, lines.length), function: null },
              messageId: hook ? 'missingHook' : 'missing',
              related: [],
              key: `${key}|missing`,
            });
            return;
          }
          // signed off, but outside the last paragraph: a placement warning at most
          const first = anywhere[0] as { value: string; line: number };
          context.report({
            at: { file, line: first.line, function: null },
            messageId: 'notTrailer',
            related: [],
            key: `${key}|stray`,
            maxSeverity: 'warning',
          });
        }
        const wellFormed: { name: string; email: string; line: number }[] = [];
        for (const t of sobs) {
          const m = IDENT.exec(t.value);
          if (!m || t.key !== 'Signed-off-by') {
            context.report({
              at: { file, line: t.line, function: null },
              ...(!m ? { messageId: 'malformedValue', data: { value: t.value } } : { messageId: 'malformedKey', data: { key: t.key } }),
              related: [],
              key: `${key}|malformed|${t.key}: ${t.value}`,
            });
            if (!m) continue;
          }
        }
        for (const t of anywhere) {
          const m = IDENT.exec(t.value);
          if (m) wellFormed.push({ name: (m[1] as string).toLowerCase().replace(/\s+/g, ' '), email: (m[2] as string).toLowerCase(), line: t.line });
        }
        const author = commit.author;
        if (!context.options.authorMatch || !author || wellFormed.length === 0) return;
        const name = model.personName(author);
        const email = LIST_ADDRESS.test(author.email) ? '' : author.email.toLowerCase();
        if (name === '' && email === '') return;
        if (wellFormed.some((s) => (name !== '' && s.name === name) || (email !== '' && s.email === email))) return;
        const last = sobs[sobs.length - 1] ?? anywhere[anywhere.length - 1];
        const who = author.email ? `${author.name} <${author.email}>` : author.name;
        context.report({
          at: { file, line: last?.line ?? 1, function: null },
          messageId: hook ? 'notAuthorHook' : 'notAuthor',
          data: { who },
          related: [],
          key: `${key}|author|${name}|${email}`,
        });
      },
    };
  },
};
