/**
 * `--format text` (default): `file:line: severity: message [rule]`, then a
 * short code frame of each location. Colour only when asked (TTY, no NO_COLOR).
 */
import type { Finding, Severity } from '../engine/finding.js';
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
      lines.push(`${f.file}:${f.line}: ${sev}: ${f.message} [${f.ruleId}]`);
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
