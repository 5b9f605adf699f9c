import { describe, expect, it } from 'vitest';
import { checkedEdits, lineStarts } from '../../src/cmodel/edits.js';
import { lineEditsOf } from '../../src/engine/line-edits.js';
import { parsePatchInput } from '../../src/input/patch-input.js';

const PATCH = `diff --git a/f.c b/f.c
--- a/f.c
+++ b/f.c
@@ -1,6 +1,5 @@
 a
-b
+B
 c
 d
-e
 f
@@ -9,0 +9,2 @@ g
+x
+y
`;

describe('line edits of a diff', () => {
  it('one edit per run of removed and added lines, insertions after an empty side', () => {
    const series = parsePatchInput(PATCH, 'p.diff');
    const diff = series.commits[0]?.files[0];
    if (!diff) throw new Error('no diff');
    expect(lineEditsOf(diff)).toEqual([
      { oldStart: 2, oldEnd: 3, newStart: 2, newEnd: 3 },
      { oldStart: 5, oldEnd: 6, newStart: 5, newEnd: 5 },
      { oldStart: 10, oldEnd: 10, newStart: 9, newEnd: 11 },
    ]);
  });
});

describe('checked edits', () => {
  const old = ['a', 'b', 'c', 'd', 'e', 'f', ''].join('\n');
  const now = ['a', 'B', 'c', 'd', 'f', ''].join('\n');
  const lines = (t: string) => lineStarts(t);

  it('turns true line edits into offsets', () => {
    const edits = checkedEdits(
      [
        { oldStart: 2, oldEnd: 3, newStart: 2, newEnd: 3 },
        { oldStart: 5, oldEnd: 6, newStart: 5, newEnd: 5 },
      ],
      [{ old, new: now }],
      lines(old),
      lines(now),
    );
    expect(edits).toEqual([
      { oldStart: 2, oldEnd: 4, newStart: 2, newEnd: 4 },
      { oldStart: 8, oldEnd: 10, newStart: 8, newEnd: 8 },
    ]);
  });

  it('merges across a stretch that differs, and widens to the ends when a hint is wrong or missing', () => {
    const wrong = checkedEdits([{ oldStart: 2, oldEnd: 3, newStart: 2, newEnd: 3 }], [{ old, new: now }], lines(old), lines(now));
    expect(wrong).toEqual([{ oldStart: 2, oldEnd: old.length, newStart: 2, newEnd: now.length }]);
    expect(checkedEdits([], [{ old, new: now }], lines(old), lines(now))).toEqual([
      { oldStart: 0, oldEnd: old.length, newStart: 0, newEnd: now.length },
    ]);
    expect(checkedEdits([], [{ old, new: old }], lines(old), lines(old))).toEqual([]);
    // a second pair of texts (the parsed text) that differs where the first does not
    const parsedOld = old.replace('a', 'A');
    const both = checkedEdits(
      [{ oldStart: 2, oldEnd: 3, newStart: 2, newEnd: 6 }],
      [
        { old, new: now.replace('f', 'e\nf') },
        { old: parsedOld, new: now.replace('f', 'e\nf') },
      ],
      lines(old),
      lines(now.replace('f', 'e\nf')),
    );
    expect(both[0]?.oldStart).toBe(0);
  });
});
