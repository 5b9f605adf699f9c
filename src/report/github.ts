/**
 * `--format github`: GitHub Actions workflow commands, one line per finding,
 * which the runner turns into annotations on the pull request:
 *
 *   ::error file=hw/vfio/listener.c,line=617,endLine=621,title=pairlint skip-asymmetry::message
 *
 * warning → `::warning`, info → `::notice`. Escaping follows the Actions
 * toolkit (packages/core/src/command.ts): in the message (data) `%` → `%25`,
 * CR → `%0D`, LF → `%0A`; in a property value additionally `:` → `%3A` and
 * `,` → `%2C`. `%` goes first so the escapes themselves are not re-escaped.
 * Related locations go into the message, one per line.
 *
 * A finding in a commit message (pseudo file COMMIT_MSG) has no file GitHub
 * could show it on: it becomes an annotation without `file=`, which GitHub
 * shows on the workflow run, with the commit and message line in the text.
 */
import type { Finding, Severity } from '../rule/finding.js';
import type { Reporter } from './types.js';
import { scope, severityCounts } from './summary.js';
import { messagePlace } from './commit-title.js';
import { isCommitMessageFinding } from '../model/commit-message.js';

const COMMAND: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escape workflow-command data (the message after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a workflow-command property value (`file=`, `title=`...). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The message with each related location on its own line: the other side of the pair, or more context. */
export function annotationMessage(f: Finding): string {
  const lines = [isCommitMessageFinding(f) ? `${messagePlace(f)}: ${f.message}` : f.message];
  for (const r of f.related) {
    const label = r.function !== null && r.function !== f.function ? 'other side' : 'see also';
    lines.push(`${label}: ${r.file}:${r.line}: ${r.message}`);
  }
  return lines.join('\n');
}

export function workflowCommand(f: Finding): string {
  const props: [string, string][] = [];
  if (!isCommitMessageFinding(f)) {
    props.push(['file', f.file], ['line', String(f.line)]);
    if (f.endLine !== undefined && f.endLine >= f.line) props.push(['endLine', String(f.endLine)]);
  }
  props.push(['title', `pairlint ${f.ruleId}`]);
  const propText = props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',');
  return `::${COMMAND[f.severity]} ${propText}::${escapeData(annotationMessage(f))}`;
}

export const githubReporter: Reporter = {
  name: 'github',
  description: 'GitHub Actions workflow commands (annotations on the pull request)',
  format(result) {
    // A plain last line for the job log; the runner only acts on lines starting with `::`.
    const summary = `pairlint: ${severityCounts(result.summary)} in ${scope(result.summary)}`;
    return [...result.findings.map(workflowCommand), summary].join('\n') + '\n';
  },
};
