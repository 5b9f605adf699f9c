/**
 * A line diff of two texts as unified-diff hunks (3 lines of context), for
 * the squashed-series check: the series as one change from the first
 * pre-image to the last post-image of a file. Over a long range the two
 * images differ in thousands of places, so lines are interned to numbers
 * and diffed with jest's linear-space Myers (@jest/diff-sequences).
 */
import diffSequencesExport from '@jest/diff-sequences';
import type { Hunk, HunkLine } from '../series/model.js';
import type { LineEdit } from '../cmodel/parse.js';

type DiffSequences = (
  aLength: number,
  bLength: number,
  isCommon: (aIndex: number, bIndex: number) => boolean,
  foundSubsequence: (count: number, aCommon: number, bCommon: number) => void,
) => void;

// The package's types describe its CommonJS build (default export under
// `default`); its ESM build, which Node and esbuild load, exports the function.
const diffSequences = (typeof diffSequencesExport === 'function'
  ? diffSequencesExport
  : (diffSequencesExport as { default: unknown }).default) as unknown as DiffSequences;

const CONTEXT = 3;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** A changed region: a[aStart, aEnd) became b[bStart, bEnd). */
interface Region {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

function changedRegions(a: readonly string[], b: readonly string[]): Region[] {
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const ai = Int32Array.from(a, idOf);
  const bi = Int32Array.from(b, idOf);
  const regions: Region[] = [];
  let aPos = 0;
  let bPos = 0;
  diffSequences(
    a.length,
    b.length,
    (i, j) => ai[i] === bi[j],
    (count, aCommon, bCommon) => {
      if (aCommon > aPos || bCommon > bPos) regions.push({ aStart: aPos, aEnd: aCommon, bStart: bPos, bEnd: bCommon });
      aPos = aCommon + count;
      bPos = bCommon + count;
    },
  );
  if (aPos < a.length || bPos < b.length) regions.push({ aStart: aPos, aEnd: a.length, bStart: bPos, bEnd: b.length });
  return regions;
}

/**
 * The line edits that turn `pre` into `post` (1-based, end exclusive), for
 * modelling an image incrementally from another image of the same file
 * when no diff between the two was given.
 */
export function lineEditsBetween(pre: string, post: string): LineEdit[] {
  return changedRegions(splitLines(pre), splitLines(post)).map((r) => ({
    oldStart: r.aStart + 1,
    oldEnd: r.aEnd + 1,
    newStart: r.bStart + 1,
    newEnd: r.bEnd + 1,
  }));
}

export function lineHunks(pre: string, post: string): Hunk[] {
  const a = splitLines(pre);
  const b = splitLines(post);
  const regions = changedRegions(a, b);
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < regions.length) {
    // regions closer than two contexts share a hunk
    let j = i;
    while (j + 1 < regions.length && (regions[j + 1] as Region).aStart - (regions[j] as Region).aEnd <= 2 * CONTEXT) j++;
    const first = regions[i] as Region;
    const last = regions[j] as Region;
    const lead = Math.min(CONTEXT, first.aStart);
    const trail = Math.min(CONTEXT, a.length - last.aEnd);
    let aLine = first.aStart - lead;
    let bLine = first.bStart - lead;
    const lines: HunkLine[] = [];
    const context = (until: number) => {
      while (aLine < until) {
        lines.push({ kind: ' ', text: a[aLine] as string, oldLine: aLine + 1, newLine: bLine + 1 });
        aLine++;
        bLine++;
      }
    };
    for (let k = i; k <= j; k++) {
      const r = regions[k] as Region;
      context(r.aStart);
      for (let x = r.aStart; x < r.aEnd; x++) lines.push({ kind: '-', text: a[x] as string, oldLine: x + 1 });
      for (let y = r.bStart; y < r.bEnd; y++) lines.push({ kind: '+', text: b[y] as string, newLine: y + 1 });
      aLine = r.aEnd;
      bLine = r.bEnd;
    }
    context(last.aEnd + trail);
    const oldLines = lines.filter((l) => l.kind !== '+').length;
    const newLines = lines.filter((l) => l.kind !== '-').length;
    const oldFrom = first.aStart - lead;
    const newFrom = first.bStart - lead;
    hunks.push({
      index: hunks.length + 1,
      // an empty side names the line before it, as diff -u does
      oldStart: oldLines === 0 ? oldFrom : oldFrom + 1,
      oldLines,
      newStart: newLines === 0 ? newFrom : newFrom + 1,
      newLines,
      section: '',
      lines,
      oldNoNewlineAtEnd: false,
      newNoNewlineAtEnd: false,
    });
    i = j + 1;
  }
  return hunks;
}
