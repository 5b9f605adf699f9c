import { describe, expect, it } from 'vitest';
import { parsePatchInput } from '../../src/input/patch-input.js';
import { fixture, inputErrorOf, text } from './helpers.js';

describe('parsePatchInput: git format-patch', () => {
  it('reads a single format-patch file', () => {
    const s = parsePatchInput(fixture('format-patch-single.patch'), '0001-x.patch');
    expect(s.info).toEqual({ coverSubject: null, coverBody: null, basedOn: [] });
    expect(s.commits).toHaveLength(1);
    const c = s.commits[0]!;
    expect(c.sha).toBe('bc0f662a3a2f50aa39ac24908b8a766a37171488');
    expect(c.author).toEqual({ name: 'Ada Example', email: 'ada@example.org' });
    expect(c.date).toBe('Fri, 20 Nov 2026 22:47:49 +0000');
    expect(c.subject).toBe('hw/vfio: Skip the DMA map of marked RAM device sections');
    expect(c.patchNumber).toBeNull();
    expect(c.source).toEqual({ kind: 'mail', file: '0001-x.patch' });
    expect(c.files).toHaveLength(1);
    expect(c.files[0]).toMatchObject({ oldPath: 'hw/vfio/listener.c', newPath: 'hw/vfio/listener.c', status: 'modified' });
    const h = c.files[0]!.hunks[0]!;
    expect(h).toMatchObject({ oldStart: 19, oldLines: 6, newStart: 19, newLines: 11, section: 'static void example_region_add(MemoryListener *listener,' });
    // the signature after the last hunk is not part of it
    expect(h.lines).toHaveLength(11);
    expect(h.lines.at(-1)).toMatchObject({ kind: ' ', text: '}' });
    const input = fixture('format-patch-single.patch').split('\n');
    expect(input[h.patchLine! - 1]).toMatch(/^@@ -19,6 \+19,11 @@/);
  });

  it('keeps "diff between ..." and "@@ ..." lines in the message and reads the trailers', () => {
    const c = parsePatchInput(fixture('format-patch-single.patch'), 'p').commits[0]!;
    expect(c.message).toBe(
      [
        'hw/vfio: Skip the DMA map of marked RAM device sections',
        '',
        'Some RAM device regions must never be placed in the IOMMU. Let',
        'example_region_add() leave sections of such regions alone.',
        '',
        'The diff between old and new behaviour is only for marked regions;',
        'unmarked ones are mapped as before.',
        '@@ this line starts with two at-signs and is part of the message @@',
        'diff between v1 and v2: rebased.',
        '',
        'Fixes: 0123456789ab ("hw/vfio: Add the example listener")',
        'Reviewed-by: Bob Reviewer <bob@example.org>',
        'Signed-off-by: Ada Example <ada@example.org>',
      ].join('\n'),
    );
    expect(c.trailers).toEqual([
      { key: 'Fixes', value: '0123456789ab ("hw/vfio: Add the example listener")', line: 11 },
      { key: 'Reviewed-by', value: 'Bob Reviewer <bob@example.org>', line: 12 },
      { key: 'Signed-off-by', value: 'Ada Example <ada@example.org>', line: 13 },
    ]);
  });

  it('reads a series with a cover letter: the cover becomes SeriesInfo', () => {
    const s = parsePatchInput(fixture('series-v2.mbox'), 'series.mbox');
    expect(s.info.coverSubject).toBe('hw/vfio: Let RAM device regions skip the IOMMU');
    expect(s.info.coverBody).toMatch(/^This series lets a RAM device region opt out/);
    expect(s.info.coverBody).toMatch(/2 files changed, 10 insertions\(\+\)$/);
    expect(s.info.coverBody).not.toContain('2.39.5');
    expect(s.info.basedOn).toEqual([
      '<20251224093000.555-1-someone@example.org>',
      '<20260101120000.1234-1-ada@example.org>',
    ]);
    expect(s.commits.map((c) => [c.patchNumber, c.subject])).toEqual([
      [{ index: 1, total: 2 }, 'hw/vfio: Skip the DMA map of marked RAM device sections'],
      [{ index: 2, total: 2 }, 'hw/vfio: Skip the DMA unmap of marked sections too'],
    ]);
    expect(s.commits[1]!.files.map((f) => f.newPath)).toEqual(['hw/vfio/listener.c', 'hw/vfio/trace-events']);
    expect(s.commits[1]!.trailers.map((t) => t.key)).toEqual(['Based-on', 'Signed-off-by']);
  });

  it('reads concatenated format-patch files as a series', () => {
    const one = fixture('format-patch-single.patch');
    const s = parsePatchInput(one + one, 'two.patch');
    expect(s.commits).toHaveLength(2);
    expect(s.commits[1]!.files[0]!.hunks[0]!.patchLine).toBe(s.commits[0]!.files[0]!.hunks[0]!.patchLine! + one.split('\n').length - 1);
  });

  it('treats a numbered mail without a diff as the cover letter when there is none', () => {
    const s = parsePatchInput(
      text(
        'From: A <a@example.org>',
        'Subject: [PATCH 1/3] vfio: about this series',
        '',
        'Blurb.',
        'Based-on: 20260101.1-1-a@example.org',
        '-- ',
        '2.43.0',
      ),
      'cover.eml',
    );
    expect(s.commits).toEqual([]);
    expect(s.info).toEqual({ coverSubject: 'vfio: about this series', coverBody: 'Blurb.\nBased-on: 20260101.1-1-a@example.org', basedOn: ['20260101.1-1-a@example.org'] });
  });
});

describe('parsePatchInput: mbox', () => {
  it('reads a list archive mbox: in-body From, >From unquoting, replies skipped, empty context lines', () => {
    const s = parsePatchInput(fixture('thread.mbox'), 'thread.mbox');
    expect(s.commits.map((c) => c.subject)).toEqual([
      'hw/vfio: Drop the stale region_add trace point',
      'hw/vfio: Skip the DMA unmap of marked sections',
    ]);
    const [first, second] = s.commits;
    expect(first!.author).toEqual({ name: 'Dan Original', email: 'dan@example.org' });
    expect(first!.sha).toBeNull();
    expect(first!.message).toContain('\nFrom now on only the region_del one is kept.\n>From this line');
    expect(first!.trailers.map((t) => t.value)).toEqual(['Dan Original <dan@example.org>', 'Carol Maintainer <carol@example.org>']);
    expect(second!.author).toEqual({ name: 'Carol Maintainer', email: 'carol@example.org' });
    const h = second!.files[0]!.hunks[0]!;
    expect(h.lines.map((l) => l.kind).join('')).toBe('   ++++   ');
    expect(h.lines[2]).toMatchObject({ kind: ' ', text: '', oldLine: 39, newLine: 39 });
  });
});

describe('parsePatchInput: replies and scissors', () => {
  const diff = ['diff --git a/hw/a.c b/hw/a.c', '--- a/hw/a.c', '+++ b/hw/a.c', '@@ -1 +1 @@', '-a', '+b'];

  it('takes the patch after a scissors line in a reply, with its in-body Subject', () => {
    const s = parsePatchInput(
      text(
        'From: Bob Reviewer <bob@example.org>',
        'Subject: Re: [PATCH 1/2] vfio: old subject',
        '',
        'Thanks. How about this instead?',
        '',
        '-- >8 --',
        'Subject: [PATCH] vfio: better subject',
        '',
        'Body.',
        '',
        'Signed-off-by: Bob Reviewer <bob@example.org>',
        '---',
        ...diff,
      ),
      'reply.eml',
    );
    expect(s.commits).toHaveLength(1);
    expect(s.commits[0]!.subject).toBe('vfio: better subject');
    expect(s.commits[0]!.message).toBe('vfio: better subject\n\nBody.\n\nSigned-off-by: Bob Reviewer <bob@example.org>');
  });

  it('never takes a reply to the cover letter for the cover letter', () => {
    const s = parsePatchInput(
      text(
        'From mboxrd@z Thu Jan  1 00:00:00 1970',
        'From: Bob <bob@example.org>',
        'Subject: Re: [PATCH 0/1] vfio: the series',
        '',
        'Looks good.',
        '',
        'From mboxrd@z Thu Jan  1 00:00:00 1970',
        'From: Ada <ada@example.org>',
        'Subject: [PATCH 0/1] vfio: the series',
        '',
        'The blurb.',
        '',
        'From mboxrd@z Thu Jan  1 00:00:00 1970',
        'From: Ada <ada@example.org>',
        'Subject: [PATCH 1/1] vfio: the patch',
        '',
        'Body.',
        '---',
        ...diff,
      ),
      'thread.mbox',
    );
    expect(s.info.coverBody).toBe('The blurb.');
    expect(s.commits.map((c) => c.subject)).toEqual(['vfio: the patch']);
  });

  it('rejects an mbox of replies only', () => {
    const msg = inputErrorOf(() =>
      parsePatchInput(text('From: Bob <bob@example.org>', 'Subject: Re: [PATCH] vfio: x', '', '> quoted'), 'r.eml'),
    );
    expect(msg).toBe('r.eml: not a patch (only replies without a diff)');
  });
});

describe('parsePatchInput: git show / git log -p output', () => {
  it('reads git show --stat -p', () => {
    const s = parsePatchInput(fixture('git-show.txt'), 'show.txt');
    expect(s.commits).toHaveLength(1);
    const c = s.commits[0]!;
    expect(c.sha).toBe('bc0f662a3a2f50aa39ac24908b8a766a37171488');
    expect(c.author).toEqual({ name: 'Ada Example', email: 'ada@example.org' });
    expect(c.date).toBe('Fri Nov 20 22:47:49 2026 +0000');
    expect(c.subject).toBe('hw/vfio: Skip the DMA map of marked RAM device sections');
    expect(c.message).toBe(parsePatchInput(fixture('format-patch-single.patch'), 'p').commits[0]!.message);
    expect(c.trailers.map((t) => t.key)).toEqual(['Fixes', 'Reviewed-by', 'Signed-off-by']);
    expect(c.files.map((f) => f.newPath)).toEqual(['hw/vfio/listener.c']);
    expect(c.files[0]!.hunks[0]!.lines).toHaveLength(11);
    expect(c.source.kind).toBe('patch');
  });

  it('reads git log -p (newest first) oldest first', () => {
    const s = parsePatchInput(fixture('git-log.txt'), 'log.txt');
    expect(s.commits.map((c) => c.subject)).toEqual([
      'hw/vfio: Remove obsolete.c',
      'hw/vfio: Add new-device.c',
      'docs: Add a logo',
    ]);
    expect(s.commits.map((c) => c.files[0]!.status)).toEqual(['deleted', 'added', 'added']);
    expect(s.commits[2]!.files[0]).toMatchObject({ binary: true, hunks: [] });
  });
});

describe('parsePatchInput: plain diffs', () => {
  it('reads a plain diff -u as one commit without message', () => {
    const s = parsePatchInput(fixture('plain-u.diff'), 'u.diff');
    expect(s.commits).toHaveLength(1);
    expect(s.commits[0]).toMatchObject({ sha: null, author: null, date: null, subject: '', message: '', trailers: [], patchNumber: null });
    expect(s.commits[0]!.source).toEqual({ kind: 'patch', file: 'u.diff' });
    expect(s.commits[0]!.files).toHaveLength(3);
  });

  it('reads a git diff with CRLF line ends', () => {
    const s = parsePatchInput(fixture('kinds.diff').replace(/\n/g, '\r\n'), 'k.diff');
    expect(s.commits[0]!.files).toHaveLength(11);
    expect(JSON.stringify(s)).not.toContain('\\r');
  });
});

describe('parsePatchInput: errors', () => {
  it('rejects empty input', () => {
    expect(inputErrorOf(() => parsePatchInput('', 'empty.patch'))).toBe('empty.patch: empty input');
    expect(inputErrorOf(() => parsePatchInput(' \n\r\n\n', '-'))).toBe('-: empty input');
  });

  it('rejects text that is not a patch', () => {
    expect(inputErrorOf(() => parsePatchInput('Hello,\n\nthis is a letter.\n', 'notes.txt'))).toBe(
      'notes.txt: not a patch (no diff, mail or commit found)',
    );
    expect(inputErrorOf(() => parsePatchInput('int main(void)\n{\n}\n', 'main.c'))).toBe(
      'main.c: not a patch (no diff, mail or commit found)',
    );
  });

  it('rejects a non-numbered mail without a diff', () => {
    const msg = inputErrorOf(() =>
      parsePatchInput(text('', 'From: A <a@example.org>', 'Subject: [PATCH] vfio: hello', '', 'No diff here.'), 'x.eml'),
    );
    expect(msg).toBe('x.eml:2: not a patch: mail "vfio: hello" has no diff');
  });

  it('rejects a numbered patch without a diff once the series has a cover letter', () => {
    const series = fixture('series-v2.mbox');
    const broken = series.replace(/^---\n hw\/vfio\/listener\.c \| 5 [\s\S]*?(?=^From )/m, '\n');
    const msg = inputErrorOf(() => parsePatchInput(broken, 's.mbox'));
    expect(msg).toMatch(/^s\.mbox:24: not a patch: patch 1\/2 "hw\/vfio: Skip the DMA map/);
  });

  it('names the mbox line of a broken hunk', () => {
    const bad = fixture('series-v2.mbox').replace('@@ -19,6 +19,11 @@', '@@ -19,6 +19,12 @@');
    const msg = inputErrorOf(() => parsePatchInput(bad, 'series.mbox'));
    expect(msg).toMatch(/^series\.mbox:\d+: hunk 1 of hw\/vfio\/listener\.c: hunk is truncated/);
  });
});
