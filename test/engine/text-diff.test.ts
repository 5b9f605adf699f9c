/**
 * The squashed-series diff: hunks that git's applier semantics (our
 * applyFileDiff) turn from the first text into the second, with unified
 * diff headers and 3 lines of context.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFileDiff } from '../../src/images/apply.js';
import { lineEditsBetween, lineHunks } from '../../src/engine/text-diff.js';
import type { FileDiff } from '../../src/series/model.js';

function asDiff(pre: string, post: string): FileDiff {
  return { oldPath: 'f.c', newPath: 'f.c', status: 'modified', binary: false, modeOnly: false, hunks: lineHunks(pre, post) };
}

const linesArb = fc.array(fc.constantFrom('a', 'b', 'c', '{', '}', '', 'x = 1;'), { maxLength: 40 });

describe('line hunks of two texts', () => {
  it('a hunk per cluster of changes, with context, in diff -u numbering', () => {
    const pre = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', ''].join('\n');
    const post = ['1', '2', '3', 'four', '5', '6', '7', '8', '9', '10', '11', '12', '13', ''].join('\n');
    const hunks = lineHunks(pre, post);
    expect(hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [1, 7, 1, 7],
      [10, 3, 10, 4],
    ]);
    expect(hunks[0]?.lines.filter((l) => l.kind !== ' ').map((l) => `${l.kind}${l.text}`)).toEqual(['-4', '+four']);
    expect(lineHunks('', 'a\n').map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([[0, 0, 1, 1]]);
    expect(lineHunks('a\nb\n', 'a\nb\n')).toEqual([]);
  });

  it('applying the hunks to the first text gives the second', () => {
    fc.assert(
      fc.property(linesArb, linesArb, (a, b) => {
        const pre = a.map((l) => `${l}\n`).join('');
        const post = b.map((l) => `${l}\n`).join('');
        const diff = asDiff(pre, post);
        for (const h of diff.hunks) {
          expect(h.lines.filter((l) => l.kind !== '+').length).toBe(h.oldLines);
          expect(h.lines.filter((l) => l.kind !== '-').length).toBe(h.newLines);
        }
        expect(applyFileDiff(pre, diff, 'test')?.text).toBe(post);
      }),
      { numRuns: 300 },
    );
  });

  it('line edits between two texts replace exactly the lines that differ', () => {
    fc.assert(
      fc.property(linesArb, linesArb, (a, b) => {
        const edits = lineEditsBetween(a.map((l) => `${l}\n`).join(''), b.map((l) => `${l}\n`).join(''));
        // replay the edits on a's lines, taking new lines from b
        const out: string[] = [];
        let at = 1;
        for (const e of edits) {
          expect(e.newStart - out.length - 1).toBe(e.oldStart - at);
          out.push(...a.slice(at - 1, e.oldStart - 1), ...b.slice(e.newStart - 1, e.newEnd - 1));
          at = e.oldEnd;
        }
        out.push(...a.slice(at - 1));
        expect(out).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
});
