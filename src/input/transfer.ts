/**
 * Content-Transfer-Encodings of a mail body (quoted-printable, base64) and
 * charsets, line by line so that every decoded line keeps the input line it
 * came from (for hunk positions and error messages).
 *
 * postal-mime does this too, but only through its asynchronous parse(), and
 * parsePatchInput is synchronous; its synchronous helpers (decodeWords,
 * addressParser) are used for headers in mail.ts.
 */
import type { NumberedLines } from './text.js';

const encoder = new TextEncoder();
const decoders = new Map<string, TextDecoder>();

/** A decoder for a MIME charset label; UTF-8 when the label is unknown. */
export function charsetDecoder(charset: string | undefined): TextDecoder {
  const label = (charset ?? 'utf-8').trim().toLowerCase() || 'utf-8';
  let d = decoders.get(label);
  if (!d) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = new TextDecoder('utf-8');
    }
    decoders.set(label, d);
  }
  return d;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

function pushText(bytes: number[], s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes.push(c);
    else {
      // not 7-bit (the input was already decoded as text): keep the character as UTF-8
      const end = c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1;
      for (const b of encoder.encode(s.slice(i, end))) bytes.push(b);
      i = end - 1;
    }
  }
}

/**
 * Decode a quoted-printable body. A soft line break (`=` at the end) joins
 * lines; the joined line is numbered by its first input line.
 */
export function decodeQuotedPrintable(src: NumberedLines, charset: string | undefined): NumberedLines {
  const dec = charsetDecoder(charset);
  const out: NumberedLines = { lines: [], nos: [] };
  let bytes: number[] = [];
  let startNo: number | null = null;
  for (let k = 0; k < src.lines.length; k++) {
    // trailing white space is transport padding (RFC 2045 6.7 (3))
    let l = (src.lines[k] as string).trimEnd();
    startNo ??= src.nos[k] as number;
    const soft = l.endsWith('=');
    if (soft) l = l.slice(0, -1);
    let from = 0;
    for (let at = l.indexOf('='); at >= 0; at = l.indexOf('=', at + 1)) {
      const h = hexValue(l.charCodeAt(at + 1));
      const lo = hexValue(l.charCodeAt(at + 2));
      if (h < 0 || lo < 0) continue; // a lone '=' stays as it is
      pushText(bytes, l.slice(from, at));
      bytes.push(h * 16 + lo);
      from = at + 3;
      at += 2;
    }
    pushText(bytes, l.slice(from));
    if (!soft) {
      out.lines.push(dec.decode(Uint8Array.from(bytes)).replace(/\r$/, ''));
      out.nos.push(startNo);
      bytes = [];
      startNo = null;
    }
  }
  if (startNo !== null) {
    out.lines.push(dec.decode(Uint8Array.from(bytes)).replace(/\r$/, ''));
    out.nos.push(startNo);
  }
  return out;
}

/**
 * Decode a base64 body. Each decoded line is numbered by the encoded line
 * that holds its first byte.
 */
export function decodeBase64Body(src: NumberedLines, charset: string | undefined): NumberedLines {
  const dec = charsetDecoder(charset);
  const chunks: string[] = [];
  // decoded byte offset at which each encoded line ends
  const ends: number[] = [];
  let chars = 0;
  for (const line of src.lines) {
    const clean = line.replace(/[^A-Za-z0-9+/]/g, '');
    chunks.push(clean);
    chars += clean.length;
    ends.push(Math.floor((chars * 3) / 4));
  }
  const buf = Buffer.from(chunks.join(''), 'base64');
  const out: NumberedLines = { lines: [], nos: [] };
  let e = 0;
  let start = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl;
    while (e < ends.length - 1 && (ends[e] as number) <= start) e++;
    let text = dec.decode(buf.subarray(start, end));
    if (text.endsWith('\r')) text = text.slice(0, -1);
    out.lines.push(text);
    out.nos.push((src.nos[e] ?? src.nos[0] ?? 0) as number);
    if (nl < 0) nl = buf.length;
    start = nl + 1;
  }
  return out;
}
