import { describe, expect, it } from 'vitest';
import { decodeMail } from '../../src/input/mail.js';
import { isMboxFromLine, splitMbox } from '../../src/input/mbox.js';
import { parsePatchInput } from '../../src/input/patch-input.js';
import { numbered, splitLines } from '../../src/input/text.js';
import { decodeBase64Body, decodeQuotedPrintable } from '../../src/input/transfer.js';
import { fixture, text } from './helpers.js';

const lines = (s: string) => numbered(splitLines(s));

describe('mbox splitting', () => {
  it('recognises From lines as git mailsplit does', () => {
    expect(isMboxFromLine('From 903b7af44f48c50d892f64ca089569c237de1e55 Mon Sep 17 00:00:00 2001')).toBe(true);
    expect(isMboxFromLine('From mboxrd@z Thu Jan  1 00:00:00 1970')).toBe(true);
    expect(isMboxFromLine('From ada@example.org Tue, 16 Jun 2026 10:10:00 +0530')).toBe(true);
    expect(isMboxFromLine('From the start this was wrong')).toBe(false);
    expect(isMboxFromLine('From: Ada <ada@example.org>')).toBe(false);
  });

  it('splits at From lines after a blank line and unquotes >From', () => {
    const msgs = splitMbox(lines(fixture('thread.mbox')));
    expect(msgs.map((m) => m.fromLineNo)).toEqual([1, 34, 48]);
    expect(msgs.every((m) => m.sha === null)).toBe(true);
    const body = msgs[0]!.lines.lines;
    expect(body).toContain('From now on only the region_del one is kept.');
    expect(body).toContain('>From this line one quote level is removed.');
  });

  it('splits concatenated format-patch files even without a blank line between them', () => {
    const one = fixture('format-patch-single.patch').replace(/\n-- \n2\.39\.5\n\n$/, '\n');
    const msgs = splitMbox(lines(one + one));
    expect(msgs).toHaveLength(2);
    expect(msgs[1]!.sha).toBe('bc0f662a3a2f50aa39ac24908b8a766a37171488');
  });
});

describe('transfer encodings', () => {
  it('decodes quoted-printable with soft line breaks, numbering joined lines by their first line', () => {
    const out = decodeQuotedPrintable(
      numbered(['+    /* caf=C3=A9 window: see docs=', '.  */', 'ctx=20', '=3D=3D done'], 7),
      'utf-8',
    );
    expect(out.lines).toEqual(['+    /* café window: see docs.  */', 'ctx ', '== done']);
    expect(out.nos).toEqual([7, 9, 10]);
  });

  it('decodes quoted-printable in a legacy charset', () => {
    expect(decodeQuotedPrintable(numbered(['caf=E9']), 'iso-8859-1').lines).toEqual(['café']);
  });

  it('decodes base64 in a charset, numbering lines by their encoded line', () => {
    const bytes = Buffer.from('caf\u00e9\nline two\r\nthree\n', 'latin1').toString('base64');
    const enc = [bytes.slice(0, 8), bytes.slice(8, 16), bytes.slice(16)];
    const out = decodeBase64Body(numbered(enc, 20), 'ISO-8859-1');
    expect(out.lines).toEqual(['café', 'line two', 'three']);
    // "line two" starts in the bytes of the first encoded line
    expect(out.nos).toEqual([20, 20, 22]);
  });
});

describe('decodeMail', () => {
  it('decodes RFC 2047 From and folded Subject, keeps the Date as written', () => {
    const m = decodeMail(
      lines(
        text(
          'From: =?UTF-8?q?Eug=C3=A9nie=20D=C3=A9velopeuse?= <eugenie@example.org>',
          'Date: Fri, 20 Nov 2026 22:48:06 +0000',
          'Subject: [PATCH] =?UTF-8?q?hw/vfio:=20caf=C3=A9?=',
          ' =?UTF-8?q?=20window?= skip',
          '',
          'body',
        ),
      ),
    );
    expect(m.from).toEqual({ name: 'Eugénie Dévelopeuse', email: 'eugenie@example.org' });
    expect(m.subject).toBe('[PATCH] hw/vfio: café window skip');
    expect(m.date).toBe('Fri, 20 Nov 2026 22:48:06 +0000');
    expect(m.body.lines).toEqual(['body']);
    expect(m.body.nos).toEqual([6]);
  });

  it('reads From with quotes and commas', () => {
    const m = decodeMail(lines(text('From: "Doe, Jane" <jane@example.org>', '', 'x')));
    expect(m.from).toEqual({ name: 'Doe, Jane', email: 'jane@example.org' });
  });

  it('concatenates the text parts of a multipart mail (patch as attachment)', () => {
    const m = decodeMail(
      lines(
        text(
          'From: A <a@example.org>',
          'Subject: [PATCH] x: y',
          'Content-Type: multipart/mixed; boundary="=-b1"',
          '',
          'preamble',
          '--=-b1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The message.',
          '--=-b1',
          'Content-Type: text/html',
          '',
          '<p>The message.</p>',
          '--=-b1',
          'Content-Type: text/x-patch; name="0001-x.patch"',
          'Content-Transfer-Encoding: quoted-printable',
          '',
          '---',
          'diff --git a/x.c b/x.c',
          '--=-b1--',
          'epilogue',
        ),
      ),
    );
    expect(m.body.lines).toEqual(['The message.', '---', 'diff --git a/x.c b/x.c']);
    expect(m.body.nos).toEqual([9, 18, 19]);
  });
});

describe('encoded mails through parsePatchInput (fixture encoded.mbox)', () => {
  const series = parsePatchInput(fixture('encoded.mbox'), 'encoded.mbox');

  it('reads the quoted-printable UTF-8 mail and the base64 ISO-8859-1 mail alike', () => {
    expect(series.commits).toHaveLength(2);
    const [qp, b64] = series.commits;
    for (const c of [qp!, b64!]) {
      expect(c.subject).toBe('hw/vfio: Explain the café window skip');
      expect(c.author).toEqual({ name: 'Eugénie Dévelopeuse', email: 'eugenie@example.org' });
      expect(c.message).toBe(
        'hw/vfio: Explain the café window skip\n\nÉlaborate the comment; trace the skip.\n\n' +
          'Signed-off-by: Eugénie Dévelopeuse <eugenie@example.org>',
      );
      expect(c.files.map((f) => f.newPath)).toEqual(['hw/vfio/listener.c', 'hw/vfio/trace-events']);
      const added = c.files[0]!.hunks[0]!.lines.find((l) => l.kind === '+')!;
      expect(added.text).toBe('    /* Marked regions (e.g. the café window) are not mapped: see docs.  */');
      // QP "=20" at the end of a line is real trailing white space
      const trace = c.files[1]!.hunks[0]!.lines.at(-1)!;
      expect(trace.text.endsWith('PRIx64 ')).toBe(true);
    }
    expect(qp!.patchNumber).toEqual({ index: 1, total: 2 });
    expect(b64!.patchNumber).toEqual({ index: 2, total: 2 });
    expect(qp!.sha).toBe('bf2a63eaff159f3dd481a97e861d8249e7bf0085');
  });

  it('points QP hunk lines at their input lines', () => {
    const input = fixture('encoded.mbox').split('\n');
    const h = series.commits[0]!.files[0]!.hunks[0]!;
    expect(input[h.patchLine! - 1]).toMatch(/^@@ -19,6 \+19,7 @@/);
    const added = h.lines.find((l) => l.kind === '+')!;
    expect(input[added.patchLine! - 1]).toMatch(/^\+ {4}\/\* Marked regions/);
  });
});

describe('CRLF mails', () => {
  it('parses a format-patch with CRLF line ends like the LF one', () => {
    const lf = parsePatchInput(fixture('format-patch-single.patch'), 'p');
    const crlf = parsePatchInput(fixture('format-patch-single.patch').replace(/\n/g, '\r\n'), 'p');
    expect(crlf).toEqual(lf);
    expect(crlf.commits[0]!.message).not.toContain('\r');
  });
});
