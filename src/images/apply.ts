/**
 * Applying a file diff's hunks to a text, the way `git apply` does: each hunk
 * at its expected position first, then at the nearest offset where its
 * context and removed lines match exactly (no fuzz, no whitespace slack).
 * Unlike git, the expected position carries the offset at which the earlier
 * hunks of the file landed (as GNU patch does), and a hunk is never placed
 * before the end of the previous one.
 */
import { InputError } from '../errors.js';
import { displayPath, type FileDiff, type Hunk } from '../series/model.js';

/**
 * Where a hunk landed relative to its header: add `oldShift` to a
 * HunkLine.oldLine to get its line in the pre-image text, `newShift` to a
 * HunkLine.newLine to get its line in the post-image text.
 */
export interface HunkShift {
  oldShift: number;
  newShift: number;
}

export interface ApplyResult {
  text: string;
  /** one per hunk, in FileDiff.hunks order */
  shifts: HunkShift[];
}

/** `@@ -614,6 +614,12 @@`, as git writes it (",1" omitted). */
export function hunkHeader(h: Hunk): string {
  const range = (start: number, count: number): string => (count === 1 ? `${start}` : `${start},${count}`);
  return `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`;
}

interface Image {
  lines: string[];
  /** the last line has no newline */
  noEol: boolean;
}

export function splitText(text: string): Image {
  if (text === '') return { lines: [], noEol: false };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
    return { lines, noEol: false };
  }
  return { lines, noEol: true };
}

export function joinLines(lines: readonly string[], noEol: boolean): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (noEol ? '' : '\n');
}

function matchesAt(lines: readonly string[], pre: readonly string[], pos: number): boolean {
  for (let i = 0; i < pre.length; i++) {
    if (lines[pos + i] !== pre[i]) return false;
  }
  return true;
}

/**
 * Apply the hunks of `file` to `pre` (null or '' for a file that does not
 * exist yet). Returns null for a deleted file. Throws InputError
 * `<path>: hunk <n> (<header>) does not apply to <where>` when a hunk matches
 * nowhere.
 */
export function applyFileDiff(pre: string | null, file: FileDiff, where: string): ApplyResult | null {
  if (file.status === 'deleted' || file.newPath === null) return null;
  const img = splitText(pre ?? '');
  const lines = img.lines;
  let noEol = img.noEol;
  const shifts: HunkShift[] = [];
  let lenDelta = 0; // lines added minus removed by the hunks applied so far
  let drift = 0; // how far the hunks applied so far landed from where expected
  let minPos = 0; // a hunk may not start inside or before the previous one

  for (const hunk of file.hunks) {
    const preLines: string[] = [];
    const postLines: string[] = [];
    for (const l of hunk.lines) {
      if (l.kind !== '+') preLines.push(l.text);
      if (l.kind !== '-') postLines.push(l.text);
    }
    let trailing = 0;
    while (trailing < hunk.lines.length && hunk.lines[hunk.lines.length - 1 - trailing]?.kind === ' ') trailing++;
    const unidiffZero = !hunk.lines.some((l) => l.kind === ' ');
    const matchBeginning = hunk.oldStart === 0 || (hunk.oldStart === 1 && !unidiffZero);
    const matchEnd = !unidiffZero && trailing === 0;

    const oldIdx = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const expected = oldIdx + lenDelta + drift;
    const lo = minPos;
    const hi = lines.length - preLines.length;

    const fits = (p: number): boolean => {
      if (p < lo || p > hi) return false;
      if (matchBeginning && p !== 0) return false;
      if (matchEnd && p !== hi) return false;
      const atEnd = p + preLines.length === lines.length;
      if (hunk.oldNoNewlineAtEnd) {
        if (!atEnd || !noEol) return false;
      } else if (atEnd && noEol && preLines.length > 0) {
        return false;
      }
      return matchesAt(lines, preLines, p);
    };

    let found = -1;
    if (hi >= lo) {
      const start = Math.min(Math.max(expected, lo), hi);
      if (fits(start)) found = start;
      for (let d = 1; found < 0 && (start + d <= hi || start - d >= lo); d++) {
        if (fits(start + d)) found = start + d;
        else if (fits(start - d)) found = start - d;
      }
    }
    if (found < 0) {
      throw new InputError(`${displayPath(file)}: hunk ${hunk.index} (${hunkHeader(hunk)}) does not apply to ${where}`);
    }

    const atEnd = found + preLines.length === lines.length;
    lines.splice(found, preLines.length, ...postLines);
    if (atEnd && (preLines.length > 0 || postLines.length > 0)) noEol = hunk.newNoNewlineAtEnd;
    if (lines.length === 0) noEol = false;

    const preIdx = found - lenDelta;
    shifts.push({
      oldShift: (hunk.oldLines > 0 ? preIdx + 1 : preIdx) - hunk.oldStart,
      newShift: (hunk.newLines > 0 ? found + 1 : found) - hunk.newStart,
    });
    drift += found - expected;
    lenDelta += postLines.length - preLines.length;
    minPos = found + postLines.length;
  }
  return { text: joinLines(lines, noEol), shifts };
}
