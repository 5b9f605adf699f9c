/**
 * One hunk (`@@ -a,b +c,d @@ section` and its body), read strictly by its
 * header counts.
 *
 * Why not the `parse-diff` package: it reads a hunk body until the counts are
 * used up but never reports a body that ends early (a truncated hunk simply
 * swallows the next `diff --git` line as a context line, since every line
 * matches its "normal" pattern), accepts any line as context, and does not
 * give the position of lines in the input. Reporting bad input with
 * source:line is a requirement here, so hunks are counted by hand.
 */
import type { Hunk, HunkLine, HunkLineKind } from '../series/model.js';
import { inputError, quoteLine } from './text.js';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** Does the line start like a hunk header (whether or not it parses)? */
export function looksLikeHunkHeader(line: string): boolean {
  return line.startsWith('@@ ') || line === '@@';
}

/** Does the line parse as a hunk header? */
export function isHunkHeader(line: string): boolean {
  return HUNK_HEADER.test(line);
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

/** Parse the hunk whose header is at `start`; `index` is its 1-based position in the file. */
export function parseHunk(input: HunkInput, start: number, index: number): ParsedHunk {
  const { lines, nos, source, path } = input;
  const header = lines[start] as string;
  const m = HUNK_HEADER.exec(header);
  if (!m) {
    throw inputError(source, nos[start], `hunk ${index} of ${path}: hunk header does not parse: ${quoteLine(header)}`);
  }
  const oldStart = Number(m[1]);
  const oldLines = m[2] === undefined ? 1 : Number(m[2]);
  const newStart = Number(m[3]);
  const newLines = m[4] === undefined ? 1 : Number(m[4]);
  const hunk: Hunk = {
    index,
    oldStart,
    oldLines,
    newStart,
    newLines,
    section: (m[5] ?? '').trim(),
    lines: [],
    oldNoNewlineAtEnd: false,
    newNoNewlineAtEnd: false,
    patchLine: nos[start],
  };
  let oldLeft = oldLines;
  let newLeft = newLines;
  let oldNo = oldStart;
  let newNo = newStart;
  let last: HunkLineKind | null = null;

  const noNewline = (): void => {
    if (last === '-' || last === ' ') hunk.oldNoNewlineAtEnd = true;
    if (last === '+' || last === ' ') hunk.newNoNewlineAtEnd = true;
  };

  let i = start + 1;
  while (oldLeft > 0 || newLeft > 0) {
    if (i >= lines.length) {
      throw inputError(
        source,
        nos[start],
        `hunk ${index} of ${path}: hunk is truncated: the input ends with ${oldLeft} old and ${newLeft} new lines missing`,
      );
    }
    const line = lines[i] as string;
    const c = line === '' ? ' ' : line[0];
    let entry: HunkLine;
    if (c === ' ') {
      // An empty line is a blank context line whose space a mailer stripped (git does the same).
      if (oldLeft === 0 || newLeft === 0) throw countsMismatch(input, i, index);
      entry = { kind: ' ', text: line.slice(1), oldLine: oldNo++, newLine: newNo++, patchLine: nos[i] };
      oldLeft--;
      newLeft--;
    } else if (c === '-' && !(oldLeft === 0 && (line === '-- ' || line === '--'))) {
      // ("-- " that does not fit is the mail signature: the hunk is truncated, below)
      if (oldLeft === 0) throw countsMismatch(input, i, index);
      entry = { kind: '-', text: line.slice(1), oldLine: oldNo++, patchLine: nos[i] };
      oldLeft--;
    } else if (c === '+') {
      if (newLeft === 0) throw countsMismatch(input, i, index);
      entry = { kind: '+', text: line.slice(1), newLine: newNo++, patchLine: nos[i] };
      newLeft--;
    } else if (c === '\\' && last !== null) {
      noNewline();
      i++;
      continue;
    } else {
      throw inputError(
        source,
        nos[i],
        `hunk ${index} of ${path}: hunk is truncated: its body ends before its header counts are met ` +
          `(${oldLeft} old and ${newLeft} new lines missing; found ${quoteLine(line, 40)})`,
      );
    }
    hunk.lines.push(entry);
    last = entry.kind;
    i++;
  }
  if (i < lines.length && (lines[i] as string).startsWith('\\') && last !== null) {
    noNewline();
    i++;
  }
  return { hunk, next: i };
}
