import { describe, expect, it } from 'vitest';
import {
  isPatchBreak,
  isScissorsLine,
  parseTrailers,
  readCommitMsgFile,
  splitMailBody,
  splitSubject,
  subjectOfMessage,
} from '../../src/input/message.js';
import { numbered } from '../../src/input/text.js';

describe('splitSubject', () => {
  it.each([
    ['[PATCH] hw/vfio: Fix the unmap', 'hw/vfio: Fix the unmap', null],
    ['[PATCH v2 3/7] hw/vfio: Fix the unmap', 'hw/vfio: Fix the unmap', { index: 3, total: 7 }],
    ['[RFC PATCH v2 03/10] memory: Add a flag', 'memory: Add a flag', { index: 3, total: 10 }],
    ['[PULL 0/12] vfio queue', 'vfio queue', { index: 0, total: 12 }],
    ['[PATCH for-8.2] [RFC] x: y', 'x: y', null],
    ['[PATCH] [2/3] x: y', 'x: y', { index: 2, total: 3 }],
    ['vfio: plain subject [not a prefix]', 'vfio: plain subject [not a prefix]', null],
    ['[PATCH 1/2] hw/vfio: Skip the DMA map of marked RAM device\n sections', 'hw/vfio: Skip the DMA map of marked RAM device sections', { index: 1, total: 2 }],
  ])('%j', (raw, subject, patchNumber) => {
    const s = splitSubject(raw);
    expect(s.subject).toBe(subject);
    expect(s.patchNumber).toEqual(patchNumber);
    expect(s.reply).toBe(false);
  });

  it('strips Re: as git mailinfo does and says it was a reply', () => {
    expect(splitSubject('Re: [PATCH 1/2] hw/vfio: x')).toEqual({
      subject: 'hw/vfio: x',
      patchNumber: { index: 1, total: 2 },
      reply: true,
    });
  });
});

describe('isPatchBreak (git mailinfo patchbreak)', () => {
  it.each([
    ['---', true],
    ['---   ', true],
    ['--- a/hw/vfio/listener.c', true],
    ['diff --git a/x b/x', true],
    ['diff -u a b', true],
    ['Index: hw/x.c', true],
    ['diff between old and new', false],
    ['@@ -1 +1 @@', false],
    ['--- ', true],
    ['---  two spaces then name', false],
    ['----', false],
    ['-- ', false],
    ['--', false],
  ])('%j -> %s', (line, expected) => {
    expect(isPatchBreak(line)).toBe(expected);
  });
});

describe('isScissorsLine', () => {
  it.each([
    ['-- >8 --', true],
    ['-- 8< --', true],
    ['--8<-- cut here --8<--', true],
    ['------------------------ >8 ------------------------', true],
    ['-- >8', false],
    ['cut here >8', false],
    ['---', false],
  ])('%j -> %s', (line, expected) => {
    expect(isScissorsLine(line)).toBe(expected);
  });
});

describe('splitMailBody', () => {
  const split = (...lines: string[]) => splitMailBody(numbered(lines, 10));

  it('takes in-body From/Subject/Date headers off the top', () => {
    const r = split('', 'From: Dan Original <dan@example.org>', 'Date: Mon, 5 Jan 2026', '', 'Body.', '---', ' x | 1 +');
    expect(r.inBody).toEqual({ from: 'Dan Original <dan@example.org>', date: 'Mon, 5 Jan 2026' });
    expect(r.body).toEqual(['Body.']);
    expect(r.patchStart).toBe(5);
  });

  it('keeps a From: line that is not at the top in the message', () => {
    const r = split('Body.', 'From: someone', '---');
    expect(r.inBody).toEqual({});
    expect(r.body).toEqual(['Body.', 'From: someone']);
  });

  it('drops what is above a scissors line and reads headers after it', () => {
    const r = split('Thanks for the review!', '', '-- >8 --', 'Subject: [PATCH] vfio: real subject', '', 'Real body.', '---');
    expect(r.inBody).toEqual({ subject: '[PATCH] vfio: real subject' });
    expect(r.body).toEqual(['Real body.']);
  });

  it('keeps "diff between" and "@@" lines in the message and cuts at "---"', () => {
    const r = split('The diff between A and B', '@@ odd line @@', 'end', '', '', '---', 'diff --git a/x b/x');
    expect(r.body).toEqual(['The diff between A and B', '@@ odd line @@', 'end']);
    expect(r.patchStart).toBe(5);
  });
});

describe('parseTrailers', () => {
  it('reads the trailers of the last paragraph with their lines', () => {
    const msg = [
      'hw/vfio: Fix the unmap', // 1
      '',
      'Body text: with a colon.', // 3
      '',
      'Fixes: 0123456789ab ("hw/vfio: Add it")', // 5
      'Based-on: <20260101.1-1-a@example.org>',
      'Reviewed-by: Bob Reviewer <bob@example.org>',
      'Pairlint-Ignore: region_add/region_del',
      'Signed-off-by: Ada Example <ada@example.org>', // 9
    ].join('\n');
    expect(parseTrailers(msg)).toEqual([
      { key: 'Fixes', value: '0123456789ab ("hw/vfio: Add it")', line: 5 },
      { key: 'Based-on', value: '<20260101.1-1-a@example.org>', line: 6 },
      { key: 'Reviewed-by', value: 'Bob Reviewer <bob@example.org>', line: 7 },
      { key: 'Pairlint-Ignore', value: 'region_add/region_del', line: 8 },
      { key: 'Signed-off-by', value: 'Ada Example <ada@example.org>', line: 9 },
    ]);
  });

  it('keeps "(cherry picked from commit ...)" out of the trailers but still sees the block', () => {
    const msg = 'x: y\n\nBody.\n\n(cherry picked from commit 0123456789abcdef)\nSigned-off-by: A <a@x>';
    expect(parseTrailers(msg)).toEqual([{ key: 'Signed-off-by', value: 'A <a@x>', line: 6 }]);
  });

  it('joins indented continuation lines', () => {
    const msg = 'x: y\n\nLink: https://example.org/a\n  /b\nSigned-off-by: A <a@x>';
    expect(parseTrailers(msg)[0]).toEqual({ key: 'Link', value: 'https://example.org/a /b', line: 3 });
  });

  it('ignores a last paragraph that is mostly prose', () => {
    expect(parseTrailers('x: y\n\nNote: this is text.\nIt goes on and on.\nAnd on.')).toEqual([]);
    // with a Signed-off-by, a quarter of trailer lines is enough (git's rule)
    expect(parseTrailers('x: y\n\n[ mst: fixed a typo ]\nSigned-off-by: A <a@x>').map((t) => t.key)).toEqual([
      'Signed-off-by',
    ]);
  });

  it('never reads the subject as a trailer', () => {
    expect(parseTrailers('Fixes: something')).toEqual([]);
    expect(parseTrailers('')).toEqual([]);
  });
});

describe('readCommitMsgFile', () => {
  it('cleans a commit message file as git does for commit-msg', () => {
    const file = [
      'hw/vfio: Fix the unmap  ',
      '',
      '',
      'Body line.',
      '# Please enter the commit message for your changes.',
      '#',
      'Signed-off-by: A <a@x>',
      '',
      '# ------------------------ >8 ------------------------',
      '# Do not modify or remove the line above.',
      'diff --git a/x b/x',
      '',
    ].join('\r\n');
    expect(readCommitMsgFile(file)).toBe('hw/vfio: Fix the unmap\n\nBody line.\nSigned-off-by: A <a@x>');
  });

  it('returns an empty string for an all-comment file', () => {
    expect(readCommitMsgFile('# only comments\n\n#\n')).toBe('');
  });
});

describe('subjectOfMessage', () => {
  it('joins the first paragraph', () => {
    expect(subjectOfMessage('\nfirst line\nsecond line\n\nbody')).toBe('first line second line');
  });
});
