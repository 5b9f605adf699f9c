/**
 * Decode one mail message: headers (unfolded, RFC 2047 words decoded with
 * postal-mime's decodeWords, From parsed with its addressParser), then the
 * body (transfer encoding, charset, and the text parts of a multipart
 * message, concatenated as git mailinfo does).
 */
import { addressParser, decodeWords } from 'postal-mime';
import type { Person } from '../series/model.js';
import { sliceLines, type NumberedLines } from './text.js';
import { decodeBase64Body, decodeQuotedPrintable } from './transfer.js';

export interface MailHeader {
  /** name as written */
  name: string;
  /** raw value, unfolded, not decoded */
  value: string;
  /** 1-based input line of the header */
  line: number;
}

export interface DecodedMail {
  headers: MailHeader[];
  /** From header, or null */
  from: Person | null;
  /** Subject header, decoded and unfolded (prefixes not stripped), or null */
  subject: string | null;
  /** Date header as written, or null */
  date: string | null;
  /** the decoded text of the body */
  body: NumberedLines;
  /** 1-based input line of the first header */
  firstLine: number | undefined;
}

const HEADER_NAME = /^[!-9;-~]+:/;
const MAX_DEPTH = 8;

/** Read headers from `start`; stops after the blank line (or at a line that is no header). */
export function readHeaders(src: NumberedLines, start = 0): { headers: MailHeader[]; bodyStart: number } {
  const headers: MailHeader[] = [];
  const parts: string[][] = [];
  let i = start;
  for (; i < src.lines.length; i++) {
    const l = src.lines[i] as string;
    if (l === '') {
      i++;
      break;
    }
    const c = l[0];
    if ((c === ' ' || c === '\t') && parts.length > 0) {
      (parts[parts.length - 1] as string[]).push(l);
      continue;
    }
    if (!HEADER_NAME.test(l)) break;
    const colon = l.indexOf(':');
    headers.push({ name: l.slice(0, colon), value: '', line: src.nos[i] as number });
    parts.push([l.slice(colon + 1)]);
  }
  // RFC 5322 unfolding: remove the line breaks, keep the white space
  headers.forEach((h, k) => {
    h.value = (parts[k] as string[]).join('').trim();
  });
  return { headers, bodyStart: i };
}

export function headerValue(headers: MailHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** Decode RFC 2047 encoded words and collapse the white space of folding. */
export function decodeHeader(value: string): string {
  const d = decodeWords(value);
  return d.includes('\n') ? d.split('\n').map((l) => l.trim()).join(' ') : d;
}

/** First mailbox of an address header (`Name <addr>`, `"Doe, J" <addr>`, encoded words). */
export function parsePerson(value: string): Person | null {
  const found = addressParser(value);
  for (const a of found) {
    if ('address' in a && typeof a.address === 'string' && a.address !== '') {
      return { name: decodeHeader(a.name ?? ''), email: a.address };
    }
  }
  const v = decodeHeader(value).trim();
  return v === '' ? null : { name: v, email: '' };
}

export interface ContentType {
  /** lower-case type/subtype */
  type: string;
  /** lower-case parameter names, unquoted values */
  params: Map<string, string>;
}

export function parseContentType(value: string | undefined): ContentType {
  const params = new Map<string, string>();
  if (value === undefined) return { type: 'text/plain', params };
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase() || 'text/plain';
  if (semi >= 0) {
    const re = /;\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;
    for (let m = re.exec(value); m; m = re.exec(value)) {
      const raw = m[2] as string;
      const v = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      params.set((m[1] as string).toLowerCase(), v);
    }
  }
  return { type, params };
}

/** Parts of a multipart body between its `--boundary` lines (preamble and epilogue dropped). */
function multipartParts(body: NumberedLines, boundary: string): NumberedLines[] {
  const delim = `--${boundary}`;
  const parts: NumberedLines[] = [];
  let start = -1;
  for (let i = 0; i < body.lines.length; i++) {
    const l = body.lines[i] as string;
    if (!l.startsWith(delim)) continue;
    const rest = l.slice(delim.length);
    const close = rest.startsWith('--');
    if ((close ? rest.slice(2) : rest).trim() !== '') continue;
    if (start >= 0) parts.push(sliceLines(body, start, i));
    if (close) return parts;
    start = i + 1;
  }
  if (start >= 0) parts.push(sliceLines(body, start));
  return parts;
}

/** Is a part of a multipart message text that belongs in the commit message or patch? */
function isTextPart(ct: ContentType, headers: MailHeader[]): boolean {
  if (ct.type === 'text/html') return false;
  if (ct.type.startsWith('text/')) return true;
  if (ct.type === 'application/x-patch' || ct.type === 'application/x-diff') return true;
  const name = ct.params.get('name') ?? parseContentType(headerValue(headers, 'Content-Disposition')).params.get('filename');
  return name !== undefined && /\.(patch|diff)$/i.test(name);
}

function decodeBody(headers: MailHeader[], body: NumberedLines, depth: number): NumberedLines {
  const ct = parseContentType(headerValue(headers, 'Content-Type'));
  const boundary = ct.params.get('boundary');
  if (ct.type.startsWith('multipart/') && boundary !== undefined && boundary !== '' && depth < MAX_DEPTH) {
    const out: NumberedLines = { lines: [], nos: [] };
    for (const part of multipartParts(body, boundary)) {
      const h = readHeaders(part);
      const pct = parseContentType(headerValue(h.headers, 'Content-Type'));
      if (!pct.type.startsWith('multipart/') && !isTextPart(pct, h.headers)) continue;
      const decoded = decodeBody(h.headers, sliceLines(part, h.bodyStart), depth + 1);
      for (let k = 0; k < decoded.lines.length; k++) {
        out.lines.push(decoded.lines[k] as string);
        out.nos.push(decoded.nos[k] as number);
      }
    }
    return out;
  }
  const cte = (headerValue(headers, 'Content-Transfer-Encoding') ?? '').trim().toLowerCase();
  const charset = ct.params.get('charset');
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body, charset);
  if (cte === 'base64') return decodeBase64Body(body, charset);
  // 7bit/8bit/binary: the text was decoded when the input was read
  return body;
}

/** Decode one message (headers and body lines, without the mbox From line). */
export function decodeMail(src: NumberedLines): DecodedMail {
  const { headers, bodyStart } = readHeaders(src);
  const from = headerValue(headers, 'From');
  const subject = headerValue(headers, 'Subject');
  const date = headerValue(headers, 'Date');
  return {
    headers,
    from: from === undefined ? null : parsePerson(from),
    subject: subject === undefined ? null : decodeHeader(subject),
    date: date === undefined ? null : date,
    body: decodeBody(headers, sliceLines(src, bodyStart), 0),
    firstLine: src.nos[0],
  };
}

/** Does text starting at `start` look like a mail header block (with From, Subject or Date)? */
export function looksLikeMailHeaders(lines: readonly string[], start: number): boolean {
  let seen = false;
  for (let i = start; i < lines.length && i < start + 200; i++) {
    const l = lines[i] as string;
    if (l === '') return seen;
    if ((l[0] === ' ' || l[0] === '\t') && i > start) continue;
    if (!HEADER_NAME.test(l)) return false;
    if (/^(from|subject|date):/i.test(l)) seen = true;
  }
  return seen;
}
