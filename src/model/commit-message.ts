/**
 * Where commit-message findings point. A commit message is not a file in the
 * tree, so its findings name the file given to `--commit-msg`, or the pseudo
 * path COMMIT_MSG (the `commit` field of the finding says which commit), and
 * the line within the message (line 1 is the subject line).
 */
import type { Commit } from '../series/model.js';

/** The pseudo path of a commit message read from a patch, a mail or git. */
export const COMMIT_MSG_PATH = 'COMMIT_MSG';

/** The path commit-message findings of `commit` are reported under. */
export function commitMessagePath(commit: Commit): string {
  return commit.source.kind === 'commit-msg' && commit.source.file ? commit.source.file : COMMIT_MSG_PATH;
}

/**
 * Does `commit` carry a message to check? The staged change and a plain `git
 * diff` have none, and an empty `--commit-msg` file is git's to refuse (it
 * aborts the commit). A git commit always has one, even if empty.
 */
export function hasCommitMessage(commit: Commit): boolean {
  return commit.source.kind === 'git' || commit.message.trim() !== '';
}

/** Is `f` a finding in a commit message read from a patch, a mail or git (the pseudo path COMMIT_MSG)? */
export function isCommitMessageFinding(f: { readonly file: string }): boolean {
  return f.file === COMMIT_MSG_PATH;
}

/**
 * Where a commit-message finding of `commit` can be shown in the repository
 * (Finding.anchor): the first added line of the first text file the commit
 * changes and keeps (or the start of its first hunk when it only removes lines).
 */
export function messageAnchor(commit: Commit): { file: string; line: number } | null {
  for (const diff of commit.files) {
    const hunk = diff.hunks[0];
    if (diff.newPath === null || diff.binary || !hunk || diff.context) continue;
    for (const h of diff.hunks) {
      const added = h.lines.find((l) => l.kind === '+');
      if (added?.newLine !== undefined) return { file: diff.newPath, line: added.newLine };
    }
    return { file: diff.newPath, line: Math.max(1, hunk.newStart) };
  }
  return null;
}
