import { describe, expect, it } from 'vitest';
import { parseDiffText } from '../../src/input/diff.js';
import type { FileDiff } from '../../src/series/model.js';
import { fixture, inputErrorOf, text } from './helpers.js';

const byPath = (files: FileDiff[], path: string): FileDiff => {
  const f = files.find((x) => (x.newPath ?? x.oldPath) === path);
  if (!f) throw new Error(`no file ${path} in ${files.map((x) => x.newPath ?? x.oldPath).join(', ')}`);
  return f;
};

describe('parseDiffText: git diff kinds (fixture kinds.diff)', () => {
  const files = parseDiffText(fixture('kinds.diff'), { source: 'kinds.diff' });

  it('finds every file section in order', () => {
    expect(files.map((f) => f.newPath ?? f.oldPath)).toEqual([
      'docs/café.txt',
      'docs/logo.bin',
      'docs/odd\tname.txt',
      'docs/run.sh',
      'docs/with space.txt',
      'hw/vfio/helper.c',
      'hw/vfio/listener.c',
      'hw/vfio/new-device.c',
      'hw/vfio/obsolete.c',
      'hw/vfio/region-common.c',
      'include/hw/vfio/example-container.h',
    ]);
  });

  it('reads a new file', () => {
    const f = byPath(files, 'hw/vfio/new-device.c');
    expect(f).toMatchObject({ oldPath: null, status: 'added', newMode: '100644', binary: false, modeOnly: false });
    expect(f.oldMode).toBeUndefined();
    expect(f.hunks).toHaveLength(1);
    const h = f.hunks[0]!;
    expect(h).toMatchObject({ oldStart: 0, oldLines: 0, newStart: 1, newLines: 6 });
    expect(h.lines.map((l) => l.newLine)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.lines.every((l) => l.kind === '+' && l.oldLine === undefined)).toBe(true);
    expect(h.lines[3]!.text).toBe('void example_new_init(void)');
  });

  it('reads a deletion', () => {
    const f = byPath(files, 'hw/vfio/obsolete.c');
    expect(f).toMatchObject({ newPath: null, status: 'deleted', oldMode: '100644', oldBlob: '87c1cb7', newBlob: '0000000' });
    expect(f.hunks[0]!.lines.map((l) => [l.kind, l.text, l.oldLine])).toEqual([
      ['-', 'obsolete', 1],
      ['-', 'file', 2],
    ]);
  });

  it('reads a pure rename (100%) without hunks', () => {
    const f = byPath(files, 'hw/vfio/region-common.c');
    expect(f).toMatchObject({
      oldPath: 'hw/vfio/region.c',
      newPath: 'hw/vfio/region-common.c',
      status: 'renamed',
      similarity: 100,
      hunks: [],
      modeOnly: false,
    });
  });

  it('reads a rename with changes', () => {
    const f = byPath(files, 'include/hw/vfio/example-container.h');
    expect(f).toMatchObject({
      oldPath: 'include/hw/vfio/example.h',
      status: 'renamed',
      similarity: 76,
      oldBlob: '4c6f3be',
      newBlob: 'f1061e0',
    });
    expect(f.hunks).toHaveLength(1);
    expect(f.hunks[0]!.lines.filter((l) => l.kind === '+').map((l) => l.text)).toEqual([
      '#ifndef HW_VFIO_EXAMPLE_CONTAINER_H',
      '#define HW_VFIO_EXAMPLE_CONTAINER_H',
    ]);
  });

  it('reads a mode-only change', () => {
    const f = byPath(files, 'docs/run.sh');
    expect(f).toMatchObject({ status: 'modified', modeOnly: true, oldMode: '100644', newMode: '100755', hunks: [] });
  });

  it('reads a GIT binary patch', () => {
    const f = byPath(files, 'docs/logo.bin');
    expect(f).toMatchObject({ status: 'added', binary: true, hunks: [] });
    expect(f.newBlob).toBe('a42dbc1a72fbce9fe3a539a50a83c664959d48b5');
  });

  it('unquotes C-quoted names (octal UTF-8, \\t) and cuts the TAB git adds after names with spaces', () => {
    expect(byPath(files, 'docs/café.txt').status).toBe('added');
    expect(byPath(files, 'docs/odd\tname.txt').hunks[0]!.lines[0]!.text).toBe('tab\tname');
    expect(byPath(files, 'docs/with space.txt').newPath).toBe('docs/with space.txt');
  });

  it('reads "\\ No newline at end of file" as flags, not as lines', () => {
    const f = byPath(files, 'hw/vfio/helper.c');
    const h = f.hunks[0]!;
    expect(h.oldNoNewlineAtEnd).toBe(true);
    expect(h.newNoNewlineAtEnd).toBe(true);
    expect(h.lines.map((l) => l.kind).join('')).toBe(' --++');
    expect(h.lines.some((l) => l.text.includes('No newline'))).toBe(false);
  });

  it('numbers old, new and patch lines and keeps the section text', () => {
    const f = byPath(files, 'hw/vfio/listener.c');
    const h = f.hunks[0]!;
    expect(h).toMatchObject({ oldStart: 2, oldLines: 7, newStart: 2, newLines: 7, section: '' });
    const minus = h.lines.find((l) => l.kind === '-')!;
    const plus = h.lines.find((l) => l.kind === '+')!;
    expect(minus).toMatchObject({ text: '#include "hw/vfio/example.h"', oldLine: 5 });
    expect(minus.newLine).toBeUndefined();
    expect(plus).toMatchObject({ text: '#include "hw/vfio/example-container.h"', newLine: 5 });
    const lines = fixture('kinds.diff').split('\n');
    expect(lines[h.patchLine! - 1]).toMatch(/^@@ -2,7 \+2,7 @@/);
    expect(lines[minus.patchLine! - 1]).toBe('-#include "hw/vfio/example.h"');
    const ctx = h.lines[h.lines.length - 1]!;
    expect(ctx).toMatchObject({ kind: ' ', oldLine: 8, newLine: 8 });
  });
});

describe('parseDiffText: other shapes', () => {
  it('reads a copy', () => {
    const [f] = parseDiffText(fixture('copy.diff'), { source: 'copy.diff' });
    expect(f).toMatchObject({
      oldPath: 'hw/vfio/listener.c',
      newPath: 'hw/vfio/listener-copy.c',
      status: 'copied',
      similarity: 96,
    });
    expect(f!.hunks[0]!.section).toBe('static void example_region_del(MemoryListener *listener,');
  });

  it('reads "Binary files ... differ"', () => {
    const files = parseDiffText(
      text(
        'diff --git a/docs/logo.bin b/docs/logo.bin',
        'index 3f2a1b0..a42dbc1 100644',
        'Binary files a/docs/logo.bin and b/docs/logo.bin differ',
        'diff --git a/docs/new.bin b/docs/new.bin',
        'new file mode 100644',
        'index 0000000..a42dbc1',
        'Binary files /dev/null and b/docs/new.bin differ',
      ),
      { source: 'bin.diff' },
    );
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({ status: 'modified', binary: true, hunks: [], oldPath: 'docs/logo.bin' });
    expect(files[1]).toMatchObject({ status: 'added', binary: true, hunks: [], oldPath: null });
  });

  it('reads a plain diff -u (timestamps, -p1 names, epoch = added/deleted)', () => {
    const files = parseDiffText(fixture('plain-u.diff'), { source: 'plain-u.diff' });
    expect(files.map((f) => [f.status, f.oldPath, f.newPath])).toEqual([
      ['added', null, 'hw/vfio/fresh.c'],
      ['deleted', 'hw/vfio/gone.c', null],
      ['modified', 'hw/vfio/listener.c', 'hw/vfio/listener.c'],
    ]);
    const h = files[2]!.hunks[0]!;
    expect(h).toMatchObject({ oldStart: 19, oldLines: 6, newStart: 19, newLines: 11 });
    expect(h.lines.filter((l) => l.kind === '+')).toHaveLength(5);
    expect(files[1]!.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 1, newStart: 0, newLines: 0 });
  });

  it('reads a diff -u of two plain files and /dev/null sides', () => {
    const files = parseDiffText(
      text(
        '--- listener.c.orig\t2026-01-02 03:04:05.000000000 +0100',
        '+++ listener.c\t2026-01-02 03:04:06.000000000 +0100',
        '@@ -1,2 +1,2 @@',
        ' a',
        '-b',
        '+c',
        '--- /dev/null',
        '+++ b/hw/vfio/x.c',
        '@@ -0,0 +1 @@',
        '+x',
      ),
      { source: 'u.diff' },
    );
    expect(files.map((f) => [f.status, f.oldPath, f.newPath])).toEqual([
      ['modified', 'listener.c', 'listener.c'],
      ['added', null, 'hw/vfio/x.c'],
    ]);
  });

  it('counts an empty line inside a hunk as a blank context line', () => {
    const [f] = parseDiffText(
      text(
        'diff --git a/hw/vfio/listener.c b/hw/vfio/listener.c',
        '--- a/hw/vfio/listener.c',
        '+++ b/hw/vfio/listener.c',
        '@@ -10,3 +10,4 @@ static void example_region_del(void)',
        '     }',
        '',
        '+    example_flush(c);',
        '     example_dma_unmap(c);',
      ),
      { source: 'x.diff' },
    );
    const lines = f!.hunks[0]!.lines;
    expect(lines.map((l) => l.kind).join('')).toBe('  + ');
    expect(lines[1]).toMatchObject({ kind: ' ', text: '', oldLine: 11, newLine: 11 });
    expect(lines[3]).toMatchObject({ oldLine: 12, newLine: 13 });
  });

  it('uses lineOffset and normalises CRLF', () => {
    const [f] = parseDiffText(
      'diff --git a/a.c b/a.c\r\n--- a/a.c\r\n+++ b/a.c\r\n@@ -1 +1 @@\r\n-x\r\n+y\r\n',
      { source: 'p', lineOffset: 40 },
    );
    const h = f!.hunks[0]!;
    expect(h.patchLine).toBe(44);
    expect(h.lines.map((l) => [l.text, l.patchLine])).toEqual([
      ['x', 45],
      ['y', 46],
    ]);
  });

  it('accepts the diff part of git log -p output (leading blank lines, several files, hunks without section)', () => {
    const files = parseDiffText(
      text(
        '',
        'diff --git a/hw/a.c b/hw/a.c',
        'index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644',
        '--- a/hw/a.c',
        '+++ b/hw/a.c',
        '@@ -1,2 +1,2 @@',
        ' int a;',
        '-int b;',
        '+long b;',
        '@@ -20 +20 @@ int f(void)',
        '-    return 0;',
        '+    return 1;',
        '',
      ),
      { source: 'commit 123456789abc' },
    );
    expect(files).toHaveLength(1);
    expect(files[0]!.hunks.map((h) => [h.index, h.oldStart, h.oldLines, h.section])).toEqual([
      [1, 1, 2, ''],
      [2, 20, 1, 'int f(void)'],
    ]);
    expect(files[0]!.oldBlob).toHaveLength(40);
  });

  it('skips combined diffs of merges', () => {
    const files = parseDiffText(
      text(
        'diff --cc hw/a.c',
        'index 1111111,2222222..3333333',
        '--- a/hw/a.c',
        '+++ b/hw/a.c',
        '@@@ -1,1 -1,1 +1,1 @@@',
        '- a',
        ' -b',
        '++c',
        'diff --git a/hw/b.c b/hw/b.c',
        '--- a/hw/b.c',
        '+++ b/hw/b.c',
        '@@ -1 +1 @@',
        '-x',
        '+y',
      ),
      { source: 'merge' },
    );
    expect(files.map((f) => f.newPath)).toEqual(['hw/b.c']);
  });

  it('returns no files for an empty diff', () => {
    expect(parseDiffText('', { source: 'empty' })).toEqual([]);
    expect(parseDiffText('\n\n', { source: 'empty' })).toEqual([]);
  });
});

describe('parseDiffText: strictness', () => {
  const header = ['diff --git a/hw/vfio/listener.c b/hw/vfio/listener.c', '--- a/hw/vfio/listener.c', '+++ b/hw/vfio/listener.c'];

  it('rejects a truncated hunk (input ends)', () => {
    const msg = inputErrorOf(() =>
      parseDiffText(text(...header, '@@ -1,3 +1,4 @@', ' a', '+b'), { source: 'cut.patch', lineOffset: 10 }),
    );
    expect(msg).toMatch(/^cut\.patch:14: hunk 1 of hw\/vfio\/listener\.c: hunk is truncated/);
  });

  it('rejects a truncated hunk (body ends at the next file header)', () => {
    const msg = inputErrorOf(() =>
      parseDiffText(text(...header, '@@ -1,3 +1,3 @@', ' a', '-b', '+c', ...header, '@@ -1 +1 @@', '-x', '+y'), {
        source: 'cut.patch',
      }),
    );
    expect(msg).toMatch(/^cut\.patch:8: hunk 1 of hw\/vfio\/listener\.c: hunk is truncated/);
  });

  it('rejects hunk lines after the counts are used up (counts lie)', () => {
    const msg = inputErrorOf(() =>
      parseDiffText(
        text(...header, '@@ -1,2 +1,2 @@ f', ' a', '-b', '+c', '@@ -9,2 +9,2 @@', ' d', '-e', '+f', '+g'),
        { source: 'patch.mbox', lineOffset: 50 },
      ),
    );
    expect(msg).toBe(
      'patch.mbox:62: hunk 2 of hw/vfio/listener.c: line is not part of the hunk (its header counts do not match its body)',
    );
  });

  it('rejects a body line that does not fit the remaining counts', () => {
    const msg = inputErrorOf(() =>
      parseDiffText(text(...header, '@@ -1,1 +1,2 @@', '-a', '-b', '+c'), { source: 'lie.patch' }),
    );
    expect(msg).toMatch(/^lie\.patch:6: hunk 1 of hw\/vfio\/listener\.c: line is not part of the hunk/);
  });

  it('rejects a hunk header that does not parse', () => {
    const msg = inputErrorOf(() => parseDiffText(text(...header, '@@ -1,x +1 @@', ' a'), { source: 'bad.patch' }));
    expect(msg).toMatch(/^bad\.patch:4: hunk 1 of hw\/vfio\/listener\.c: hunk header does not parse/);
  });

  it('rejects a file header without hunks or any other change', () => {
    const msg = inputErrorOf(() =>
      parseDiffText(text('diff --git a/hw/a.c b/hw/a.c', 'index 1234567..89abcde 100644'), { source: 'n.diff' }),
    );
    expect(msg).toMatch(/^n\.diff:1: hw\/a\.c: file header with no hunks/);
    const msg2 = inputErrorOf(() => parseDiffText(text(...header), { source: 'n.diff' }));
    expect(msg2).toMatch(/no hunks/);
    const msg3 = inputErrorOf(() => parseDiffText(text('--- a/x.c', '+++ b/x.c', 'text'), { source: 'n.diff' }));
    expect(msg3).toMatch(/^n\.diff:1: x\.c: file header with no hunks/);
  });

  it('rejects a hunk with no file header', () => {
    const msg = inputErrorOf(() => parseDiffText(text('@@ -1 +1 @@', '-a', '+b'), { source: 'h.diff' }));
    expect(msg).toBe('h.diff:1: hunk without a file header before it');
  });

  it('accepts a mail signature after the last hunk, but not before another file', () => {
    const body = [...header, '@@ -1 +1 @@', '-a', '+b'];
    const files = parseDiffText(text(...body, '-- ', '2.43.0', ''), { source: 'sig' });
    expect(files[0]!.hunks[0]!.lines).toHaveLength(2);
    expect(parseDiffText(text(...body, '--', '2.43.0'), { source: 'sig' })).toHaveLength(1);
    const msg = inputErrorOf(() => parseDiffText(text(...body, '-- ', ...body), { source: 'sig' }));
    expect(msg).toMatch(/^sig:7: hunk 1 of hw\/vfio\/listener\.c: line is not part of the hunk/);
  });

  it('rejects a hunk header that counts no lines, as git apply does', () => {
    const msg = inputErrorOf(() =>
      parseDiffText(text(...header, '@@ -1,0 +1,0 @@', ...header, '@@ -1 +1 @@', '-x', '+y'), { source: 'z.patch' }),
    );
    expect(msg).toBe('z.patch:4: hunk 1 of hw/vfio/listener.c: hunk header counts no lines: "@@ -1,0 +1,0 @@"');
  });

  it('rejects a "\\ No newline" marker right after a hunk header (no crash in parse-diff)', () => {
    const msg = inputErrorOf(() =>
      parseDiffText(text(...header, '@@ -1 +1 @@', '\\ No newline at end of file', '-a', '+b'), { source: 'm.patch' }),
    );
    expect(msg).toMatch(/^m\.patch:5: hunk 1 of hw\/vfio\/listener\.c: hunk is truncated: .*found "\\\\ No newline/);
  });

  it('reads a translated "\\" marker (GNU diff) as the no-newline marker', () => {
    const [f] = parseDiffText(
      text(...header, '@@ -1,2 +1,2 @@', ' a', '-b', '\\ Kein Zeilenumbruch am Dateiende.', '+c', '\\ Kein Zeilenumbruch am Dateiende.'),
      { source: 'de.patch' },
    );
    expect(f!.hunks[0]).toMatchObject({ oldNoNewlineAtEnd: true, newNoNewlineAtEnd: true });
    expect(f!.hunks[0]!.lines.map((l) => [l.kind, l.oldLine, l.newLine, l.patchLine])).toEqual([
      [' ', 1, 1, 5],
      ['-', 2, undefined, 6],
      ['+', undefined, 2, 8],
    ]);
  });

  it('a header only a lax reader would take does not swallow the next file', () => {
    const files = parseDiffText(
      text(...header, '@@ -1 +1 @@', '-a', '+b', 'trailing text', '@@  -5 +5 @@', ...header, '@@ -7 +7 @@', '-x', '+y'),
      { source: 'lax.patch' },
    );
    expect(files.map((f) => f.hunks.map((h) => h.oldStart))).toEqual([[1], [7]]);
    expect(files[1]!.hunks[0]!.patchLine).toBe(12);
  });

  it('reads "-- " inside a hunk as a removed line while the counts are not met', () => {
    const [f] = parseDiffText(text(...header, '@@ -1,2 +1 @@', '-- ', ' x'), { source: 'dash' });
    expect(f!.hunks[0]!.lines[0]).toMatchObject({ kind: '-', text: '- ' });
  });
});
