/** Mail encodings for tests that feed pairlint mails. */

/**
 * Quoted-printable, as a mailer writes it: `=`, 8-bit bytes (of the UTF-8
 * text) and control characters escaped, a trailing space or tab protected,
 * lines cut at `width` with soft line breaks.
 */
export function quotedPrintable(text: string, width = 72): string {
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .split('\n')
    .map((line) => {
      let e = '';
      for (const ch of line) {
        const c = ch.charCodeAt(0);
        e += c === 0x3d || c > 0x7e || (c < 0x20 && c !== 0x09) ? `=${c.toString(16).toUpperCase().padStart(2, '0')}` : ch;
      }
      if (/[ \t]$/.test(e)) e = e.slice(0, -1) + `=${e.charCodeAt(e.length - 1).toString(16).toUpperCase().padStart(2, '0')}`;
      const out: string[] = [];
      while (e.length > width) {
        let cut = width;
        while (e[cut - 1] === '=' || e[cut - 2] === '=') cut--;
        out.push(e.slice(0, cut) + '=');
        e = e.slice(cut);
      }
      out.push(e);
      return out.join('\n');
    })
    .join('\n');
}
