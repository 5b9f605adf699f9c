/**
 * What kind of patch input a text is, from its first lines.
 */
import { findFileHeader } from './diff.js';
import { isGitCommitLine } from './git-log.js';
import { looksLikeMailHeaders } from './mail.js';
import { isMboxFromLine } from './mbox.js';

/**
 * - mbox: an mbox, or one or more `git format-patch` files (first line `From <sha> <date>`)
 * - mail: a single mail without the mbox From line (starts with headers)
 * - git-log: `git show` / `git log -p` output (first line `commit <sha>`)
 * - diff: a plain diff (`git diff`, `diff -u`), maybe after some text
 */
export type InputKind = 'mbox' | 'mail' | 'git-log' | 'diff';

/** The kind of input, or null when it holds no diff, mail or commit. `start`: first non-blank line. */
export function detectInputKind(lines: readonly string[]): { kind: InputKind; start: number } | null {
  let start = 0;
  while (start < lines.length && (lines[start] as string).trim() === '') start++;
  if (start >= lines.length) return null;
  const first = lines[start] as string;
  if (isMboxFromLine(first)) return { kind: 'mbox', start };
  if (isGitCommitLine(first)) return { kind: 'git-log', start };
  if (looksLikeMailHeaders(lines, start)) return { kind: 'mail', start };
  if (findFileHeader(lines, start) >= 0) return { kind: 'diff', start };
  return null;
}
