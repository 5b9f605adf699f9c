/**
 * Commit messages: subjects of patch mails (`[PATCH v2 3/7]` prefixes),
 * where a mail body's message ends and its patch begins (git mailinfo's
 * patchbreak, scissors and in-body headers), trailers, and the cleanup git
 * applies to a commit message file.
 */
import type { PatchNumber, Trailer } from '../series/model.js';
import { isBlank, normalizeNewlines, splitLines, type NumberedLines } from './text.js';

export interface SplitSubject {
  /** the subject without `Re:`, `[...]` prefixes, white space collapsed */
  subject: string;
  /** from the first `n/m` inside a leading bracket group, else null */
  patchNumber: PatchNumber | null;
  /** a `Re:` was stripped: the mail is a reply */
  reply: boolean;
}

const PATCH_NUMBER = /(?:^|[^0-9])([0-9]+)\/([0-9]+)(?![0-9])/;

/**
 * Strip what git mailinfo strips from the start of a subject (cleanup_subject):
 * any mix of `Re:`, `:`, white space and bracket groups (`[PATCH]`,
 * `[RFC PATCH v2 3/7]`, `[PULL 01/12]`). `raw` may be folded.
 */
export function splitSubject(raw: string): SplitSubject {
  const s = raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
  let patchNumber: PatchNumber | null = null;
  let reply = false;
  let at = 0;
  while (at < s.length) {
    const c = s[at];
    if ((c === 'r' || c === 'R') && s.length > at + 3 && (s[at + 1] === 'e' || s[at + 1] === 'E') && s[at + 2] === ':') {
      reply = true;
      at += 3;
    } else if (c === ' ' || c === '\t' || c === ':') {
      at++;
    } else if (c === '[') {
      const close = s.indexOf(']', at);
      if (close < 0) break;
      if (patchNumber === null) {
        const m = PATCH_NUMBER.exec(s.slice(at + 1, close));
        if (m) patchNumber = { index: Number(m[1]), total: Number(m[2]) };
      }
      at = close + 1;
    } else break;
  }
  return { subject: s.slice(at).replace(/\s+/g, ' ').trim(), patchNumber, reply };
}

/**
 * git mailinfo's patchbreak(): the line where the patch starts in a mail
 * body: `diff -`, `Index: `, `---` with only white space after it, or
 * `--- ` followed by a non-space (a file name).
 */
export function isPatchBreak(line: string): boolean {
  if (line.startsWith('diff -') || line.startsWith('Index: ')) return true;
  if (!line.startsWith('---')) return false;
  if (line.length >= 5 && line[3] === ' ' && !/\s/.test(line[4] as string)) return true;
  return line.slice(3).trim() === '';
}

/** Index of the first patch break in lines [from, to), or `to`. */
export function findPatchBreak(lines: readonly string[], from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) if (isPatchBreak(lines[i] as string)) return i;
  return to;
}

/**
 * git mailinfo's is_scissors_line(): a "cut here" line such as `-- >8 --`
 * or `--8<-- cut here --8<--`: scissors (`>8`, `8<`, `>%`, `%<`) in a
 * perforation of dashes at least 8 characters wide.
 */
export function isScissorsLine(line: string): boolean {
  let scissors = 0;
  let gap = 0;
  let first = -1;
  let last = -1;
  let perforation = 0;
  let inPerforation = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (/\s/.test(c)) {
      if (inPerforation) {
        perforation++;
        gap++;
      }
      continue;
    }
    last = i;
    if (first < 0) first = i;
    if (c === '-') {
      inPerforation = true;
      perforation++;
      continue;
    }
    const two = line.slice(i, i + 2);
    if (two === '>8' || two === '8<' || two === '>%' || two === '%<') {
      inPerforation = true;
      perforation += 2;
      scissors += 2;
      i++;
      continue;
    }
    inPerforation = false;
  }
  const visible = first >= 0 ? last - first + 1 : 0;
  return scissors > 0 && visible >= 8 && visible < perforation * 3 && gap * 2 < perforation;
}

/**
 * git's stripspace: trailing white space removed from every line, runs of
 * blank lines collapsed to one, leading and trailing blank lines dropped.
 */
export function stripSpace(lines: readonly string[]): string[] {
  const out: string[] = [];
  let blank = false;
  for (const raw of lines) {
    const l = raw.trimEnd();
    if (l === '') {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push('');
    blank = false;
    out.push(l);
  }
  return out;
}

export type InBodyHeader = 'from' | 'subject' | 'date';

export interface MailBodyParts {
  /** `From:`/`Subject:`/`Date:` lines at the top of the body (raw values) */
  inBody: Partial<Record<InBodyHeader, string>>;
  /** the commit message body (not the subject), as git am stores it */
  body: string[];
  /** index in the body of the first line of the patch part, or the body length */
  patchStart: number;
}

const IN_BODY = /^(from|subject|date):[ \t]*(.*)$/i;

/**
 * Split a decoded mail body into the commit message and the patch part the
 * way git mailinfo does: leading blank lines and in-body `From:`/`Subject:`/
 * `Date:` headers (ended by a blank line) are taken off the top; a scissors
 * line (`-- >8 --`) throws away everything above it; the message ends at the
 * first patch break (see isPatchBreak).
 */
export function splitMailBody(body: NumberedLines, options: { scissors?: boolean } = {}): MailBodyParts {
  const scissors = options.scissors ?? true;
  const { lines } = body;
  let inBody: Partial<Record<InBodyHeader, string>> = {};
  let message: string[] = [];
  let headerStage = true;
  let accum: { key: InBodyHeader; value: string } | null = null;
  const flush = (): void => {
    if (accum !== null) inBody[accum.key] = accum.value.trim();
    accum = null;
  };
  let i = 0;
  for (; i < lines.length; i++) {
    const l = lines[i] as string;
    if (headerStage) {
      if (l === '') {
        if (accum !== null) {
          flush();
          headerStage = false;
        }
        continue;
      }
      if (accum !== null && (l[0] === ' ' || l[0] === '\t')) {
        (accum as { value: string }).value += l;
        continue;
      }
      flush();
      const m = IN_BODY.exec(l);
      if (m) {
        const key = (m[1] as string).toLowerCase() as InBodyHeader;
        if (inBody[key] === undefined) {
          accum = { key, value: m[2] as string };
          continue;
        }
      }
      if (/^\[PATCH\]\s/.test(l)) {
        inBody.subject = l;
        continue;
      }
      headerStage = false;
    }
    if (scissors && isScissorsLine(l)) {
      message = [];
      inBody = {};
      headerStage = true;
      continue;
    }
    if (isPatchBreak(l)) break;
    message.push(l);
  }
  flush();
  return { inBody, body: stripSpace(message), patchStart: i };
}

/** The whole commit message: subject, blank line, body (just the subject when the body is empty). */
export function buildMessage(subject: string, body: readonly string[]): string {
  return body.length === 0 ? subject : `${subject}\n\n${body.join('\n')}`;
}

/** git's %s: the first paragraph of a message, its lines joined with spaces. */
export function subjectOfMessage(message: string): string {
  const out: string[] = [];
  for (const l of message.split('\n')) {
    if (isBlank(l)) {
      if (out.length > 0) break;
      continue;
    }
    out.push(l.trim());
  }
  return out.join(' ');
}

/** git-generated trailer-block prefixes that make a block count as trailers (trailer.c). */
const GIT_GENERATED = ['Signed-off-by: ', '(cherry picked from commit '];

/** Position of the `:` of a `Token: value` line (git trailer.c find_separator), or -1. */
function trailerSeparator(line: string): number {
  let whitespace = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === ':') return i;
    if (!whitespace && /[A-Za-z0-9-]/.test(c)) continue;
    if (i > 0 && (c === ' ' || c === '\t')) {
      whitespace = true;
      continue;
    }
    break;
  }
  return -1;
}

/**
 * Trailers (`Key-Name: value`) of the last paragraph of a commit message,
 * decided as git interpret-trailers does: the paragraph (never the subject)
 * is a trailer block when all its lines are trailers, or when it holds a
 * git-generated line (Signed-off-by, "(cherry picked from commit ...)") and
 * at least a quarter of its lines are trailers. Indented lines continue the
 * value before them. `(cherry picked from ...)` lines stay message text.
 */
export function parseTrailers(message: string): Trailer[] {
  const lines = normalizeNewlines(message).split('\n');
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1] as string)) end--;
  let start = end;
  while (start > 0 && !isBlank(lines[start - 1] as string)) start--;
  let first = 0;
  while (first < lines.length && isBlank(lines[first] as string)) first++;
  if (start <= first) return [];

  let trailerLines = 0;
  let nonTrailer = 0;
  let recognized = false;
  let afterTrailer = false; // an indented line continues a trailer only right after one
  const found: Trailer[] = [];
  let current: Trailer | null = null;
  for (let k = start; k < end; k++) {
    const l = lines[k] as string;
    if (GIT_GENERATED.some((p) => l.startsWith(p))) recognized = true;
    if (l.startsWith('(cherry picked from commit ')) {
      trailerLines++;
      afterTrailer = true;
      current = null;
      continue;
    }
    const indented = /\s/.test(l[0] as string);
    const sep = indented ? -1 : trailerSeparator(l);
    if (sep >= 1) {
      trailerLines++;
      afterTrailer = true;
      const value = l.slice(sep + 1).trim();
      // a bare URL ("https://...") has the shape of a trailer (and counts as one) but is not one
      current = value.startsWith('//') ? null : { key: l.slice(0, sep).trim(), value, line: k + 1 };
      if (current !== null) found.push(current);
    } else if (indented && afterTrailer) {
      if (current !== null) current.value = `${current.value} ${l.trim()}`.trim();
    } else {
      nonTrailer++;
      afterTrailer = false;
      current = null;
    }
  }
  const isBlock = (trailerLines > 0 && nonTrailer === 0) || (recognized && trailerLines * 3 >= nonTrailer);
  return isBlock ? found : [];
}

/** Values of `Based-on:` lines (cover letters and commit messages point at the series they need). */
export function basedOnValues(lines: Iterable<string>): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^Based-on:[ \t]*(\S.*)$/i.exec(l);
    if (m) out.push((m[1] as string).trim());
  }
  return out;
}

/** The cut line of `git commit -v` / cleanup=scissors. */
export const COMMIT_MSG_SCISSORS = '# ------------------------ >8 ------------------------';

/**
 * Clean a commit message file (the argument of a commit-msg hook) as git's
 * default cleanup does: CRLF to LF, everything from the scissors line on
 * dropped, `#` comment lines dropped, then stripspace (trailing white space,
 * repeated, leading and trailing blank lines). No final newline.
 */
export function readCommitMsgFile(text: string): string {
  const kept: string[] = [];
  for (const l of splitLines(normalizeNewlines(text))) {
    if (l === COMMIT_MSG_SCISSORS) break;
    if (l.startsWith('#')) continue;
    kept.push(l);
  }
  return stripSpace(kept).join('\n');
}
