/**
 * Line handling shared by the input modules: newline normalisation, splitting,
 * and one-line InputErrors that name the source (and line when known).
 */
import { InputError } from '../errors.js';

/**
 * Lines of (part of) the input with the 1-based input line number of each.
 * Decoded mail bodies (quoted-printable, base64) do not map one to one onto
 * the input, hence an explicit number per line instead of an offset.
 */
export interface NumberedLines {
  lines: string[];
  nos: number[];
}

/** Drop a leading byte-order mark and turn CRLF into LF. */
export function normalizeNewlines(text: string): string {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.includes('\r')) t = t.replace(/\r\n/g, '\n');
  return t;
}

/** Split normalised text into lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Lines numbered from `first` (1-based input line of lines[0]). */
export function numbered(lines: string[], first = 1): NumberedLines {
  const nos = new Array<number>(lines.length);
  for (let i = 0; i < lines.length; i++) nos[i] = first + i;
  return { lines, nos };
}

/** Lines [start, end) of `src`, keeping their numbers. */
export function sliceLines(src: NumberedLines, start: number, end = src.lines.length): NumberedLines {
  return { lines: src.lines.slice(start, end), nos: src.nos.slice(start, end) };
}

/** `source:line: message`, or `source: message` when the line is unknown. */
export function inputError(source: string, line: number | undefined, message: string): InputError {
  return new InputError(line === undefined ? `${source}: ${message}` : `${source}:${line}: ${message}`);
}

/** A line of input quoted in an error message: one line, at most `max` characters. */
export function quoteLine(line: string, max = 60): string {
  const s = line.length > max ? `${line.slice(0, max)}...` : line;
  return JSON.stringify(s);
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}
