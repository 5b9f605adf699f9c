/**
 * Commit message trailers (`Signed-off-by: ...`), found the way
 * `git interpret-trailers` finds them, in-process.
 */
import type { Trailer } from '../series/model.js';

const TRAILER_RE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;
const GIT_GENERATED = ['Signed-off-by: ', '(cherry picked from commit '];

/**
 * Trailers of the last paragraph of `message`. As in git, the paragraph counts
 * as a trailer block when every line is a trailer (or a continuation line
 * starting with whitespace), or when it holds a git-generated line
 * (`Signed-off-by:`) and at least a quarter of its lines are trailers (so that
 * QEMU's `[maintainer: fixed typo]` notes do not hide the trailers). The
 * subject paragraph is never a trailer block. Continuation lines are joined
 * to the value with one space. `line` is 1-based within `message`.
 */
export function parseTrailers(message: string): Trailer[] {
  const lines = message.split('\n').map((l) => l.replace(/\r$/, ''));
  let end = lines.length;
  while (end > 0 && (lines[end - 1] as string).trim() === '') end--;
  if (end === 0) return [];
  let start = end;
  while (start > 0 && (lines[start - 1] as string).trim() !== '') start--;
  // the first paragraph is the subject
  let first = 0;
  while (first < lines.length && (lines[first] as string).trim() === '') first++;
  if (start <= first) return [];

  const found: Trailer[] = [];
  let trailerLines = 0;
  let otherLines = 0;
  let recognized = false;
  let last: Trailer | null = null;
  for (let i = start; i < end; i++) {
    const line = lines[i] as string;
    if (line.startsWith('#')) continue;
    if (GIT_GENERATED.some((p) => line.startsWith(p))) recognized = true;
    if (line.startsWith('(cherry picked from commit ')) {
      trailerLines++;
      last = null;
      continue;
    }
    if (last && /^[ \t]/.test(line)) {
      last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const m = TRAILER_RE.exec(line);
    if (m) {
      trailerLines++;
      last = { key: m[1] as string, value: (m[2] as string).trim(), line: i + 1 };
      found.push(last);
    } else {
      otherLines++;
      last = null;
    }
  }
  if (trailerLines === 0) return [];
  if (otherLines === 0 || (recognized && trailerLines * 3 >= otherLines)) return found;
  return [];
}
