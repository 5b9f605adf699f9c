/**
 * Split an mbox (or several `git format-patch` files concatenated) into
 * messages at their `From <sender> <date>` lines, as git mailsplit does, and
 * undo mboxrd's `>From ` quoting.
 */
import type { NumberedLines } from './text.js';

/** git format-patch's first line: `From <sha> Mon Sep 17 00:00:00 2001`. */
const FORMAT_PATCH_FROM = /^From ([0-9a-f]{40}|[0-9a-f]{64}) Mon Sep 17 00:00:00 2001$/;
const SHA_FROM = /^From ([0-9a-f]{40}|[0-9a-f]{64}) /;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Does the line start a message in an mbox? A port of git mailsplit's
 * is_from_line(): `From ` then anything, then a time `hh:mm` followed by a
 * year after 1990 somewhere after the last colon.
 */
export function isMboxFromLine(line: string): boolean {
  if (line.length < 19 || !line.startsWith('From ')) return false;
  const colon = line.lastIndexOf(':', line.length - 2);
  if (colon < 5) return false;
  if (!isDigit(line[colon - 4]) || !isDigit(line[colon - 2]) || !isDigit(line[colon - 1])) return false;
  if (!isDigit(line[colon + 1]) || !isDigit(line[colon + 2])) return false;
  // strtol: optional sign, then digits
  const year = /^\s*([+-]?\d+)/.exec(line.slice(colon + 3, colon + 40));
  return year !== null && Number(year[1]) > 90;
}

/** The commit id of a format-patch `From <sha> ...` line, or null. */
export function shaOfFromLine(line: string): string | null {
  const m = SHA_FROM.exec(line);
  return m ? (m[1] as string) : null;
}

export interface MboxMessage {
  /** the `From ...` line that opened the message */
  fromLine: string;
  /** commit id from a format-patch From line, else null */
  sha: string | null;
  /** 1-based input line of the From line */
  fromLineNo: number;
  /** the message (headers and body) after the From line, `>From ` unquoted */
  lines: NumberedLines;
}

/**
 * Is line i the start of a message? A From line counts when it is the first
 * line, follows an empty line (the mbox rule), or is format-patch's own
 * (files concatenated without a blank line between them).
 */
function startsMessage(src: NumberedLines, i: number, first: boolean): boolean {
  const line = src.lines[i] as string;
  if (!isMboxFromLine(line)) return false;
  return first || src.lines[i - 1] === '' || FORMAT_PATCH_FROM.test(line);
}

/** Split numbered lines that start (after blank lines) with a From line into messages. */
export function splitMbox(src: NumberedLines): MboxMessage[] {
  const { lines, nos } = src;
  const out: MboxMessage[] = [];
  let i = 0;
  while (i < lines.length && lines[i] === '') i++;
  let current: MboxMessage | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('From ') && startsMessage(src, i, current === null)) {
      current = { fromLine: line, sha: shaOfFromLine(line), fromLineNo: nos[i] as number, lines: { lines: [], nos: [] } };
      out.push(current);
      continue;
    }
    if (current === null) continue;
    current.lines.lines.push(line.charCodeAt(0) === 0x3e && /^>+From /.test(line) ? line.slice(1) : line);
    current.lines.nos.push(nos[i] as number);
  }
  return out;
}
