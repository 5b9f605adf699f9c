import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { applyFileDiff, hunkHeader } from '../../src/images/apply.js';
import { parseDiffText } from '../../src/input/diff.js';
import type { FileDiff } from '../../src/series/model.js';
import { cleanupTempDirs, diffTexts, numberedLines } from '../git/helpers.js';

afterAll(cleanupTempDirs);

function fileDiff(oldText: string | null, newText: string | null, path = 'f.c', context = 3): FileDiff {
  const files = parseDiffText(diffTexts(oldText, newText, path, context), { source: 'test' });
  expect(files).toHaveLength(1);
  return files[0] as FileDiff;
}

function replaceLine(text: string, n: number, by: string): string {
  const lines = text.split('\n');
  lines[n - 1] = by;
  return lines.join('\n');
}

describe('applyFileDiff', () => {
  const base = numberedLines(40);

  it('applies hunks at their exact position', () => {
    const next = replaceLine(replaceLine(base, 5, 'five'), 30, 'thirty');
    const d = fileDiff(base, next);
    expect(d.hunks).toHaveLength(2);
    const r = applyFileDiff(base, d, 'the base');
    expect(r?.text).toBe(next);
    expect(r?.shifts).toEqual([
      { oldShift: 0, newShift: 0 },
      { oldShift: 0, newShift: 0 },
    ]);
  });

  it('finds a hunk at an offset and carries the offset to the next hunk', () => {
    const next = replaceLine(replaceLine(base, 10, 'ten'), 30, 'thirty');
    const d = fileDiff(base, next);
    const shifted = 'extra 1\nextra 2\nextra 3\n' + base;
    const r = applyFileDiff(shifted, d, 'the base');
    expect(r?.text).toBe('extra 1\nextra 2\nextra 3\n' + next);
    expect(r?.shifts).toEqual([
      { oldShift: 3, newShift: 3 },
      { oldShift: 3, newShift: 3 },
    ]);
    // the shift maps hunk line numbers onto the images
    const hunk = d.hunks[1];
    const added = hunk?.lines.find((l) => l.kind === '+');
    expect(r?.text.split('\n')[(added?.newLine ?? 0) + 3 - 1]).toBe('thirty');
  });

  it('takes the nearest match when the context occurs more than once', () => {
    const block = 'a\nb\nc\nd\ne\nf\ng\n';
    const pre = block + numberedLines(20, 'x') + block + numberedLines(20, 'y') + block;
    // change the "d" of the middle block
    const lines = pre.split('\n');
    const mid = 7 + 20 + 3; // 0-based index of the middle "d"
    expect(lines[mid]).toBe('d');
    lines[mid] = 'D';
    const post = lines.join('\n');
    const d = fileDiff(pre, post);
    // the same file with 4 lines inserted at the top: the hunk now points between
    // the first and the middle block, nearer to the middle one
    const r = applyFileDiff('p\nq\nr\ns\n' + pre, d, 'the base');
    expect(r?.text).toBe('p\nq\nr\ns\n' + post);
  });

  it('names file, hunk index and header when a hunk matches nowhere', () => {
    const next = replaceLine(replaceLine(base, 5, 'five'), 30, 'thirty');
    const d = fileDiff(base, next, 'hw/vfio/listener.c');
    const broken = replaceLine(base, 30, 'something else');
    let err: unknown;
    try {
      applyFileDiff(broken, d, 'the file in /src/qemu');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(
      'hw/vfio/listener.c: hunk 2 (@@ -27,7 +27,7 @@) does not apply to the file in /src/qemu',
    );
    expect((err as Error).message).not.toContain('\n');
  });

  it('writes headers the way git does', () => {
    const d = fileDiff('a\n', 'b\n');
    expect(hunkHeader(d.hunks[0] as FileDiff['hunks'][number])).toBe('@@ -1 +1 @@');
  });

  it('adds and removes the newline at the end of the file', () => {
    const withEol = 'a\nb\nc\n';
    const noEol = 'a\nb\nc';
    expect(applyFileDiff(withEol, fileDiff(withEol, noEol), 'x')?.text).toBe(noEol);
    expect(applyFileDiff(noEol, fileDiff(noEol, withEol), 'x')?.text).toBe(withEol);
    const changed = 'a\nb\nC';
    expect(applyFileDiff(noEol, fileDiff(noEol, changed), 'x')?.text).toBe(changed);
  });

  it('keeps a missing final newline when a hunk does not reach the end', () => {
    const pre = numberedLines(20).replace(/\n$/, '');
    const post = replaceLine(pre, 2, 'two');
    const r = applyFileDiff(pre, fileDiff(pre, post), 'x');
    expect(r?.text).toBe(post);
    expect(r?.text.endsWith('\n')).toBe(false);
  });

  it('does not apply a hunk that expects no final newline to a file that has one', () => {
    const noEol = 'a\nb\nc';
    const d = fileDiff(noEol, 'a\nb\nC');
    expect(() => applyFileDiff('a\nb\nc\n', d, 'x')).toThrow(/hunk 1 \(@@ -1,3 \+1,3 @@\) does not apply to x/);
  });

  it('builds a new file from the hunk and returns null for a deleted one', () => {
    const added = fileDiff(null, 'int x;\nint y;\n');
    expect(added.status).toBe('added');
    expect(applyFileDiff(null, added, 'x')?.text).toBe('int x;\nint y;\n');
    const addedNoEol = fileDiff(null, 'int x;');
    expect(applyFileDiff(null, addedNoEol, 'x')?.text).toBe('int x;');
    const deleted = fileDiff('int x;\n', null);
    expect(deleted.status).toBe('deleted');
    expect(applyFileDiff('int x;\n', deleted, 'x')).toBeNull();
  });

  it('applies zero-context hunks', () => {
    const next = replaceLine(base, 12, 'twelve').replace('line 20\n', 'line 20\ninserted\n');
    const d = fileDiff(base, next, 'f.c', 0);
    expect(applyFileDiff(base, d, 'x')?.text).toBe(next);
    expect(applyFileDiff('top\n' + base, d, 'x')?.text).toBe('top\n' + next);
  });

  it('agrees with git on many generated edits', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 25; round++) {
      const pre = numberedLines(30 + rand(40), `r${round}`);
      const lines = pre.split('\n');
      lines.pop();
      const edits = 1 + rand(6);
      for (let e = 0; e < edits; e++) {
        const at = rand(lines.length + 1);
        const op = rand(3);
        if (op === 0) lines.splice(at, 0, `new ${round}.${e}`);
        else if (op === 1 && lines.length > 1) lines.splice(Math.min(at, lines.length - 1), 1);
        else lines[Math.min(at, lines.length - 1)] = `changed ${round}.${e}`;
      }
      const post = lines.join('\n') + (rand(4) === 0 ? '' : '\n');
      const d = fileDiff(pre, post);
      expect(applyFileDiff(pre, d, 'x')?.text).toBe(post);
      // and the same at an offset (as git, a hunk at line 1 must match at the top)
      if ((d.hunks[0]?.oldStart ?? 0) > 1) {
        expect(applyFileDiff('o1\no2\n' + pre, d, 'x')?.text).toBe('o1\no2\n' + post);
      } else {
        expect(() => applyFileDiff('o1\no2\n' + pre, d, 'x')).toThrow(InputError);
      }
    }
  });
});
