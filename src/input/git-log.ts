/**
 * `git show` / `git log -p` output saved to a file: `commit <sha>` blocks
 * with `Author:`/`Date:` headers, a message indented by four spaces, then
 * (maybe a diffstat and) the diff.
 */
import type { Commit, Person } from '../series/model.js';
import { parseDiffLines } from './diff.js';
import { parseTrailers, subjectOfMessage } from './message.js';
import { sliceLines, type NumberedLines } from './text.js';

const COMMIT_LINE = /^commit ([0-9a-f]{7,64})(?:\s|$)/;

/** Does the line open a commit of `git log`/`git show` output? */
export function isGitCommitLine(line: string): boolean {
  return COMMIT_LINE.test(line);
}

/** `Name <email>` of an Author: line. */
function parseIdent(value: string): Person {
  const lt = value.lastIndexOf('<');
  const gt = value.lastIndexOf('>');
  if (lt < 0 || gt < lt) return { name: value.trim(), email: '' };
  return { name: value.slice(0, lt).trim(), email: value.slice(lt + 1, gt).trim() };
}

/**
 * git log lists the newest commit first, the series model wants the oldest
 * first. The text does not say which order it is in (`--reverse`, `git show
 * A B`), so go by the dates: reverse when they never rise and fall at least once.
 */
function newestFirst(times: number[]): boolean {
  if (times.length < 2 || times.some((t) => Number.isNaN(t))) return false;
  let fell = false;
  for (let k = 1; k < times.length; k++) {
    if ((times[k] as number) > (times[k - 1] as number)) return false;
    if ((times[k] as number) < (times[k - 1] as number)) fell = true;
  }
  return fell;
}

/** Parse git log/show output (lines from the first `commit` line on) into commits. */
export function parseGitLog(src: NumberedLines, source: string): Commit[] {
  const { lines } = src;
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).startsWith('commit ') && COMMIT_LINE.test(lines[i] as string)) starts.push(i);
  }
  const commits: Commit[] = [];
  const times: number[] = [];
  starts.forEach((s, k) => {
    const e = starts[k + 1] ?? lines.length;
    const sha = (COMMIT_LINE.exec(lines[s] as string) as RegExpExecArray)[1] as string;
    let author: Person | null = null;
    let date: string | null = null;
    let authorDate: string | null = null;
    let commitDate: string | null = null;
    let i = s + 1;
    for (; i < e && lines[i] !== ''; i++) {
      const l = lines[i] as string;
      const colon = l.indexOf(':');
      if (colon < 0) continue;
      const key = l.slice(0, colon);
      const value = l.slice(colon + 1).trim();
      if (key === 'Author') author = parseIdent(value);
      else if (key === 'Date') date = value;
      else if (key === 'AuthorDate') authorDate = value;
      else if (key === 'CommitDate') commitDate = value;
    }
    if (i < e) i++; // the blank line before the message
    const body: string[] = [];
    for (; i < e; i++) {
      const l = lines[i] as string;
      if (l === '' || l.trim() === '') body.push('');
      else if (l.startsWith('    ')) body.push(l.slice(4));
      else break;
    }
    while (body.length > 0 && (body[body.length - 1] as string).trim() === '') body.pop();
    while (body.length > 0 && (body[0] as string).trim() === '') body.shift();
    const message = body.join('\n');
    commits.push({
      sha,
      author,
      date: date ?? authorDate,
      subject: subjectOfMessage(message),
      patchNumber: null,
      message,
      trailers: parseTrailers(message),
      files: parseDiffLines(sliceLines(src, i, e), source),
      source: { kind: 'patch', file: source },
    });
    times.push(Date.parse(commitDate ?? date ?? authorDate ?? ''));
  });
  return newestFirst(times) ? commits.reverse() : commits;
}
