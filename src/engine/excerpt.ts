/** Source lines around a location, for code frames in the text report. */
import type { Excerpt, ExcerptLine } from '../rule/finding.js';

/** The lines of the last text asked about: a commit's findings mostly cite one or two files. */
let lastText: string | null = null;
let lastLines: string[] = [];

function linesOf(text: string): string[] {
  if (text !== lastText) {
    lastText = text;
    lastLines = text.split('\n');
  }
  return lastLines;
}

export function excerpt(file: string, text: string | null, line: number, context = 1): Excerpt | null {
  if (text === null) return null;
  const all = linesOf(text);
  const from = Math.max(1, line - context);
  const to = Math.min(all.length, line + context);
  const lines: ExcerptLine[] = [];
  for (let n = from; n <= to; n++) lines.push({ line: n, text: all[n - 1] ?? '' });
  if (lines.every((l) => l.text.trim() === '')) return null;
  return { file, line, lines };
}
