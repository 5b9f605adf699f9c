/**
 * Edits between two images of a file, for re-modelling the new image from
 * the old one's tree. The caller's edits come from a diff and are only a
 * hint: every stretch between two edits is checked to be the same text in
 * both images (the original and the parsed text), and edits are merged
 * across any stretch that is not, so a wrong hint costs time, never a wrong
 * model.
 */
import { lowerBound } from '../sorted.js';

/**
 * Lines [oldStart, oldEnd) of the old image became lines [newStart, newEnd)
 * of the new one (1-based, end exclusive; an empty range is an insertion or
 * a deletion before that line).
 */
export interface LineEdit {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** The same as offsets into the two texts (UTF-16 code units, end exclusive). */
export interface TextEdit {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

export interface Point {
  row: number;
  column: number;
}

/** Offsets at which the lines of `text` start; line n (1-based) starts at [n - 1]. */
export function lineStarts(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
  return starts;
}

/** Offset of the start of 1-based `line`; past the last line: the text's length. */
function offsetOfLine(starts: Int32Array, length: number, line: number): number {
  if (line <= 1) return 0;
  return line - 1 < starts.length ? (starts[line - 1] as number) : length;
}

/** Row (0-based) and column of an offset. */
export function pointAt(starts: Int32Array, offset: number): Point {
  // the last line starting at or before the offset
  const row = Math.max(0, lowerBound(starts, offset + 1) - 1);
  return { row, column: offset - (starts[row] as number) };
}

/** One pair of images as the checks see them. */
export interface TextPair {
  old: string;
  new: string;
}

function sameStretch(pairs: readonly TextPair[], oldFrom: number, oldTo: number, newFrom: number, newTo: number): boolean {
  if (oldTo - oldFrom !== newTo - newFrom) return false;
  for (const p of pairs) {
    // slices share the strings' storage; === compares their contents
    if (p.old.slice(oldFrom, oldTo) !== p.new.slice(newFrom, newTo)) return false;
  }
  return true;
}

/**
 * Offset edits from line edits, checked against the texts: the result is
 * sorted, disjoint, and every stretch outside it is identical in the old and
 * new text of each pair. `lines` are the line starts of the first pair's
 * texts (all pairs have the same lines: the parsed text keeps every offset).
 */
export function checkedEdits(
  hints: readonly LineEdit[],
  pairs: readonly TextPair[],
  oldLines: Int32Array,
  newLines: Int32Array,
): TextEdit[] {
  const first = pairs[0] as TextPair;
  const oldLength = first.old.length;
  const newLength = first.new.length;
  const sorted = hints
    .map((h) => ({
      oldStart: offsetOfLine(oldLines, oldLength, h.oldStart),
      oldEnd: offsetOfLine(oldLines, oldLength, h.oldEnd),
      newStart: offsetOfLine(newLines, newLength, h.newStart),
      newEnd: offsetOfLine(newLines, newLength, h.newEnd),
    }))
    .filter((e) => e.oldStart <= e.oldEnd && e.newStart <= e.newEnd)
    .sort((a, b) => a.oldStart - b.oldStart || a.newStart - b.newStart);
  if (sorted.length === 0) {
    if (sameStretch(pairs, 0, oldLength, 0, newLength)) return [];
    return [{ oldStart: 0, oldEnd: oldLength, newStart: 0, newEnd: newLength }];
  }
  const out: TextEdit[] = [];
  let cur = { ...(sorted[0] as TextEdit) };
  if (!sameStretch(pairs, 0, cur.oldStart, 0, cur.newStart)) {
    cur.oldStart = 0;
    cur.newStart = 0;
  }
  for (let i = 1; i < sorted.length; i++) {
    const next = sorted[i] as TextEdit;
    const apart = next.oldStart >= cur.oldEnd && next.newStart >= cur.newEnd;
    if (apart && sameStretch(pairs, cur.oldEnd, next.oldStart, cur.newEnd, next.newStart)) {
      out.push(cur);
      cur = { ...next };
    } else {
      cur.oldEnd = Math.max(cur.oldEnd, next.oldEnd);
      cur.newEnd = Math.max(cur.newEnd, next.newEnd);
    }
  }
  if (!sameStretch(pairs, cur.oldEnd, oldLength, cur.newEnd, newLength)) {
    cur.oldEnd = oldLength;
    cur.newEnd = newLength;
  }
  out.push(cur);
  return out;
}
