/**
 * `--format markdown`: a compact report for a pull-request comment or a job
 * summary ($GITHUB_STEP_SUMMARY): a heading with the totals, then a table per
 * commit. The whole text stays under MARKDOWN_LIMIT bytes (GitHub caps a
 * comment at 65,536 characters): when the next row would not fit, rows stop
 * and a last line says how many findings were left out. A clean run is one line.
 *
 * Commit subjects and messages come from the patch, which on a pull request is
 * a stranger's text: outside code spans Markdown and HTML punctuation is
 * escaped and `@` gets a zero-width space so a subject cannot ping anyone.
 */
import type { Finding, Severity } from '../rule/finding.js';
import type { LintResult } from '../engine/lint.js';
import { commitTitle } from './commit-title.js';
import { isCommitMessageFinding } from '../model/commit-message.js';
import { plural, scope, severityCounts } from './summary.js';
import type { Reporter } from './types.js';

/** Bytes (UTF-8) the report may take, "… and N more findings" line included. */
export const MARKDOWN_LIMIT = 60_000;

const SEVERITY_LABEL: Readonly<Record<Severity, string>> = { error: '**error**', warning: 'warning', info: 'info' };

/** Escape text outside code spans; keep code spans (`...`) literal except for `|`, which a table cell needs escaped. */
export function escapeMarkdown(text: string): string {
  const oneLine = text.replace(/\r?\n|\r/g, ' ');
  let out = '';
  let last = 0;
  for (const m of oneLine.matchAll(/`[^`]+`/g)) {
    out += escapePlain(oneLine.slice(last, m.index));
    out += m[0].replace(/\|/g, '\\|');
    last = m.index + m[0].length;
  }
  return out + escapePlain(oneLine.slice(last));
}

function escapePlain(text: string): string {
  return (
    text
      .replace(/[\\`*[\]<>|~]/g, (c) => `\\${c}`)
      // `_` inside a word (vfio_container_dma_map) never starts emphasis; only escape it at a word edge.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
      .replace(/@/g, '@\u200b')
  );
}

const code = (text: string) => (text.includes('`') ? escapeMarkdown(text) : escapeMarkdown(`\`${text}\``));

function location(file: string, line: number): string {
  return code(`${file}:${line}`);
}

function row(f: Finding): string {
  const others = f.related.map((r) => location(r.file, r.line)).join('<br>') || '–';
  // a commit message is not a file: its findings say which line of the message (the heading names the commit)
  const where = isCommitMessageFinding(f) ? `message line ${f.line}` : location(f.file, f.line);
  const cells = [SEVERITY_LABEL[f.severity], code(f.ruleId), where, others, escapeMarkdown(f.message)];
  return `| ${cells.join(' | ')} |`;
}

const TABLE_HEAD = ['| severity | rule | location | related | message |', '| --- | --- | --- | --- | --- |'];

function commitHeading(f: Finding): string {
  const title = commitTitle(f);
  return `### ${title ? escapeMarkdown(title) : 'staged change'}`;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function formatMarkdown(result: LintResult, limit = MARKDOWN_LIMIT): string {
  const s = result.summary;
  if (result.findings.length === 0) return `**pairlint**: no findings in ${scope(s)}.\n`;

  const head: string[] = [`## pairlint: ${severityCounts(s)}`, ''];
  let intro = `${plural(result.findings.length, 'finding')} in ${scope(s)}.`;
  if (result.series.coverSubject) intro += ` Series: ${escapeMarkdown(result.series.coverSubject)}`;
  head.push(intro);
  for (const note of result.notes) head.push('', `> note: ${escapeMarkdown(note)}`);

  const lines = [...head];
  let used = bytes(lines.join('\n') + '\n');
  // Room for the last line, whatever N turns out to be.
  const reserve = bytes(`\n… and ${result.findings.length} more findings\n`) + 1;
  let lastGroup: string | null = null;
  let shown = 0;
  for (const f of result.findings) {
    const group = commitHeading(f);
    const add = group !== lastGroup ? ['', group, '', ...TABLE_HEAD, row(f)] : [row(f)];
    const cost = bytes(add.join('\n') + '\n');
    if (used + cost + reserve > limit) break;
    lines.push(...add);
    used += cost;
    lastGroup = group;
    shown++;
  }
  const left = result.findings.length - shown;
  if (left > 0) lines.push('', `… and ${left} more finding${left === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

export const markdownReporter: Reporter = {
  name: 'markdown',
  description: 'compact Markdown for a pull-request comment or job summary',
  format(result) {
    return formatMarkdown(result);
  },
};
