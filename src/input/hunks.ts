/**
 * Hunks: read by the `parse-diff` package, checked here.
 *
 * parse-diff reads every `@@ -a,b +c,d @@` hunk of a diff and gives each body
 * line its kind and its old/new line numbers. It is lenient where pairlint
 * must not be: a hunk body that ends early simply swallows the next
 * `diff --git` line (and everything after it) as context lines, any line
 * counts as context, a header that does not parse is ignored, and no
 * position in the input is kept. So this layer:
 *
 *  - maps each hunk parse-diff read to the input line of its header
 *    (`readChunks`), which gives every body line its source:line;
 *  - walks the body against the header's counts (`checkedHunk`) and rejects
 *    a truncated hunk, a hunk whose counts lie, a header that does not parse,
 *    with one-line InputErrors naming source:line, the hunk and the file;
 *  - handles `\ No newline at end of file` itself: parse-diff knows only
 *    git's English text (GNU diff translates it; git apply takes any line
 *    starting with `\`), crashes on a marker right after a header, and
 *    files a marker that follows the counted body under the hunk. Before
 *    parse-diff sees the text, every `\` line becomes git's marker and a
 *    marker right after a header becomes an empty line (the walk rejects
 *    it from the raw input as today);
 *  - rejects a header that counts no lines at all (`@@ -1,0 +1,0 @@`, which
 *    git apply rejects too): parse-diff would read the rest of the input as
 *    its body, so such a header is hidden from it and rejected here, and so
 *    is a header only parse-diff's laxer pattern accepts (the walk says it
 *    does not parse).
 */
import parseDiff from 'parse-diff';
import type { Hunk, HunkLine } from '../series/model.js';
import { inputError, quoteLine } from './text.js';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;
/** parse-diff's own hunk header pattern (laxer than ours: any white space) */
const PD_HUNK_HEADER = /^@@\s+-(\d+),?(\d+)?\s+\+(\d+),?(\d+)?\s@@/;
const PD_NO_NEWLINE = '\\ No newline at end of file';

/** Does the line start like a hunk header (whether or not it parses)? */
export function looksLikeHunkHeader(line: string): boolean {
  return line.startsWith('@@ ') || line === '@@';
}

/** Does the line parse as a hunk header? */
export function isHunkHeader(line: string): boolean {
  return HUNK_HEADER.test(line);
}

/** A header whose counts are both zero (parse-diff reads an absent count as 1, and so does git). */
function countsNoLines(m: RegExpExecArray): boolean {
  return m[2] !== undefined && Number(m[2]) === 0 && m[4] !== undefined && Number(m[4]) === 0;
}

/**
 * The text parse-diff reads: the input lines, with the `\` lines and
 * empty hunk headers it misreads rewritten (see the top of this file).
 * Returns the lines themselves when nothing needs rewriting.
 */
function pdLines(lines: readonly string[]): readonly string[] {
  let out: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    const c = l.charCodeAt(0);
    let r: string | null = null;
    if (c === 0x5c /* \ */) {
      const prev = i > 0 ? PD_HUNK_HEADER.test(lines[i - 1] as string) : false;
      if (prev) r = '';
      else if (l !== PD_NO_NEWLINE) r = PD_NO_NEWLINE;
    } else if (c === 0x40 /* @ */) {
      // a header only parse-diff reads (odd white space) would start a hunk where the walk sees none
      const m = PD_HUNK_HEADER.exec(l);
      if (m && (countsNoLines(m) || !HUNK_HEADER.test(l))) r = '@@';
    }
    if (r !== null) {
      out ??= lines.slice();
      out[i] = r;
    }
  }
  return out ?? lines;
}

/** The hunks parse-diff reads in `lines`, by the index of their header line. */
export function readChunks(lines: readonly string[]): Map<number, parseDiff.Chunk> {
  const byLine = new Map<number, parseDiff.Chunk>();
  const text = pdLines(lines);
  if (text.length === 0) return byLine;
  let cursor = 0;
  for (const file of parseDiff(text.join('\n'))) {
    for (const chunk of file.chunks) {
      // parse-diff reads lines in order and starts a hunk at the first header
      // after the previous hunk's body, so the next equal line is this one
      const at = text.indexOf(chunk.content, cursor);
      if (at < 0) return byLine;
      byLine.set(at, chunk);
      // the body's lines follow the header (a trailing marker may come later)
      cursor = at + 1 + chunk.changes.length;
    }
  }
  return byLine;
}

export interface HunkInput {
  source: string;
  /** the file the hunk belongs to, for messages */
  path: string;
  lines: string[];
  nos: number[];
}

export interface ParsedHunk {
  hunk: Hunk;
  /** index of the first line after the hunk (and its "\ No newline" marker) */
  next: number;
}

function countsMismatch(input: HunkInput, i: number, index: number): Error {
  return inputError(
    input.source,
    input.nos[i],
    `hunk ${index} of ${input.path}: line is not part of the hunk (its header counts do not match its body)`,
  );
}

/**
 * The hunk whose header is at `start`, from parse-diff's `chunk` for that
 * line, checked line by line against the raw input and the header's counts;
 * `index` is its 1-based position in the file.
 */
export function checkedHunk(
  input: HunkInput,
  chunk: parseDiff.Chunk | undefined,
  start: number,
  index: number,
): ParsedHunk {
  const { lines, nos, source, path } = input;
  const header = lines[start] as string;
  const m = HUNK_HEADER.exec(header);
  if (m && countsNoLines(m)) {
    throw inputError(source, nos[start], `hunk ${index} of ${path}: hunk header counts no lines: ${quoteLine(header)}`);
  }
  if (!m || chunk === undefined) {
    throw inputError(source, nos[start], `hunk ${index} of ${path}: hunk header does not parse: ${quoteLine(header)}`);
  }
  const hunk: Hunk = {
    index,
    oldStart: chunk.oldStart,
    oldLines: chunk.oldLines,
    newStart: chunk.newStart,
    newLines: chunk.newLines,
    section: (m[5] ?? '').trim(),
    lines: [],
    oldNoNewlineAtEnd: false,
    newNoNewlineAtEnd: false,
    patchLine: nos[start],
  };
  let oldLeft = chunk.oldLines;
  let newLeft = chunk.newLines;
  let last: HunkLine['kind'] | null = null;

  const noNewline = (): void => {
    if (last === '-' || last === ' ') hunk.oldNoNewlineAtEnd = true;
    if (last === '+' || last === ' ') hunk.newNoNewlineAtEnd = true;
  };
  const truncated = (i: number, line: string): Error =>
    inputError(
      source,
      nos[i],
      `hunk ${index} of ${path}: hunk is truncated: its body ends before its header counts are met ` +
        `(${oldLeft} old and ${newLeft} new lines missing; found ${quoteLine(line, 40)})`,
    );

  // While the counts are not met, parse-diff reads input line start+1+k as change k.
  let i = start + 1;
  for (let k = 0; oldLeft > 0 || newLeft > 0; k++, i++) {
    const change = chunk.changes[k];
    if (i >= lines.length || change === undefined) {
      throw inputError(
        source,
        nos[start],
        `hunk ${index} of ${path}: hunk is truncated: the input ends with ${oldLeft} old and ${newLeft} new lines missing`,
      );
    }
    const line = lines[i] as string;
    const c = line === '' ? ' ' : line[0];
    if (c === '\\') {
      if (last === null) throw truncated(i, line);
      noNewline();
      continue;
    }
    let entry: HunkLine;
    if (change.type === 'normal' && c === ' ') {
      // An empty line is a blank context line whose space a mailer stripped (git does the same).
      if (oldLeft === 0 || newLeft === 0) throw countsMismatch(input, i, index);
      entry = { kind: ' ', text: change.content.slice(1), oldLine: change.ln1, newLine: change.ln2, patchLine: nos[i] };
      oldLeft--;
      newLeft--;
    } else if (change.type === 'del' && !(oldLeft === 0 && (line === '-- ' || line === '--'))) {
      // ("-- " that does not fit is the mail signature: the hunk is truncated, below)
      if (oldLeft === 0) throw countsMismatch(input, i, index);
      entry = { kind: '-', text: change.content.slice(1), oldLine: change.ln, patchLine: nos[i] };
      oldLeft--;
    } else if (change.type === 'add') {
      if (newLeft === 0) throw countsMismatch(input, i, index);
      entry = { kind: '+', text: change.content.slice(1), newLine: change.ln, patchLine: nos[i] };
      newLeft--;
    } else {
      // parse-diff took any other line (the next file header, a mail signature) as context
      throw truncated(i, line);
    }
    hunk.lines.push(entry);
    last = entry.kind;
  }
  if (i < lines.length && (lines[i] as string).startsWith('\\') && last !== null) {
    noNewline();
    i++;
  }
  return { hunk, next: i };
}
