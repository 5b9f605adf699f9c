/**
 * `--format text` (default): `file:line: severity: what is wrong [rule]` on
 * one short line, the why and the fix wrapped on indented lines under it,
 * the related locations, then a short code frame of each location. Colour
 * as useColor() in cli/main.ts decides (a terminal, NO_COLOR, FORCE_COLOR,
 * TERM=dumb, --color/--no-color).
 */
import type { Finding, Severity } from '../rule/finding.js';
import type { Reporter } from './types.js';
import { commitTitle } from './commit-title.js';

const CODES = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;

function painter(color: boolean) {
  return (code: keyof typeof CODES, text: string) => (color ? `\u001b[${CODES[code]}m${text}\u001b[0m` : text);
}

const SEVERITY_COLOR: Record<Severity, keyof typeof CODES> = { error: 'red', warning: 'yellow', info: 'cyan' };

function frame(finding: Finding, paint: ReturnType<typeof painter>): string[] {
  const out: string[] = [];
  for (const ex of finding.excerpts ?? []) {
    const width = String(ex.lines[ex.lines.length - 1]?.line ?? ex.line).length;
    out.push(paint('dim', `    ${ex.file}:${ex.line}`));
    for (const l of ex.lines) {
      const marker = l.line === ex.line ? '>' : ' ';
      out.push(`  ${marker} ${String(l.line).padStart(width)} | ${l.text}`);
    }
  }
  return out;
}

/** Width the explanation lines are wrapped to (after their indent). */
const WRAP = 96;
/** A first line longer than this is cut at a clause boundary; the rest goes below. */
const HEADLINE = 110;
const INDENT = '    ';

/**
 * Offsets in `text` outside backticks, quotes and brackets, where `pred`
 * holds: the places a message may be split without cutting code apart.
 */
function topLevel(text: string, pred: (i: number) => boolean): number[] {
  const out: number[] = [];
  let depth = 0;
  let tick = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') tick = !tick;
    else if (!tick && (c === '(' || c === '[' || c === '{')) depth++;
    else if (!tick && (c === ')' || c === ']' || c === '}')) depth = Math.max(0, depth - 1);
    else if (!tick && depth === 0 && pred(i)) out.push(i);
  }
  return out;
}

/**
 * A finding's message as a short first line (what is wrong) and the rest
 * (why, and the fix). The first line ends at the first top-level `: ` or
 * sentence end; past HEADLINE characters, at the last clause boundary
 * (`, ` or `; `) before it, or the last space.
 */
export function splitMessage(message: string): { headline: string; rest: string } {
  const text = message.replace(/\s*\n\s*/g, ' ').trim();
  // a colon after a trailer key (`Signed-off-by:`, `Fixes:`) names the key, it ends nothing
  const ends = topLevel(
    text,
    (i) => (text[i] === ':' || text[i] === '.') && text[i + 1] === ' ' && i >= 12 && !(text[i] === ':' && /\b[A-Z][a-z]+(-[a-z]+)*$/.test(text.slice(0, i))),
  );
  let cut = ends[0] ?? text.length;
  let keep = text[cut] === '.' ? 1 : 0;
  if (cut > HEADLINE) {
    const clauses = topLevel(text, (i) => (text[i] === ',' || text[i] === ';') && text[i + 1] === ' ' && i <= HEADLINE && i >= 24);
    const space = text.lastIndexOf(' ', HEADLINE);
    if (clauses.length > 0) {
      cut = clauses[clauses.length - 1] as number;
      keep = 1;
    } else if (space > 24) {
      cut = space;
      keep = 0;
    }
  }
  const headline = text.slice(0, cut + keep).trim().replace(/[,;]$/, '');
  const rest = text.slice(cut + (text[cut] === ' ' ? 1 : keep === 1 || text[cut] === ':' ? 1 : 0)).trim();
  return { headline, rest };
}

/** `text` wrapped at spaces to `width` columns, each line after `indent`. */
export function wrap(text: string, width = WRAP, indent = INDENT): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

export const textReporter: Reporter = {
  name: 'text',
  description: 'human-readable findings with code frames (default)',
  format(result, options) {
    const paint = painter(options.color);
    const lines: string[] = [];
    const { series } = result;
    if (series.coverSubject) lines.push(paint('bold', `series: ${series.coverSubject}`));
    for (const b of series.basedOn) lines.push(`based on: ${b}`);
    let lastCommit: string | null = null;
    for (const f of result.findings) {
      const title = commitTitle(f);
      if (title && title !== lastCommit) {
        lines.push(paint('bold', `commit ${title}`));
        lastCommit = title;
      }
      const sev = paint(SEVERITY_COLOR[f.severity], f.severity);
      // what is wrong and where on the first line; why and how to fix below it, wrapped
      const { headline, rest } = splitMessage(f.message);
      lines.push(`${f.file}:${f.line}: ${sev}: ${headline} [${f.ruleId}]`);
      if (rest !== '') lines.push(...wrap(rest));
      for (const r of f.related) lines.push(paint('dim', `  ${r.file}:${r.line}: note: ${r.message}`));
      lines.push(...frame(f, paint));
      lines.push('');
    }
    for (const note of result.notes) lines.push(paint('dim', `note: ${note}`));
    const s = result.summary;
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    lines.push(
      `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')} ` +
        `in ${plural(s.commits, 'commit')} (${plural(s.files, 'C file')} checked)`,
    );
    return lines.join('\n') + '\n';
  },
};
