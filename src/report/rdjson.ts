/**
 * `--format rdjson`: the Reviewdog Diagnostic Format, JSON form of the
 * `DiagnosticResult` message (reviewdog/reviewdog proto/rdf/reviewdog.proto;
 * use `reviewdog -f=rdjson`).
 *
 *   { source: {name, url?}, severity?, diagnostics: [{ message,
 *     location: {path, range: {start: {line, column?}, end?: {line, column?}}},
 *     severity: ERROR|WARNING|INFO, code: {value, url?},
 *     related_locations?: [{message, location}], suggestions?: [{range, text}] }] }
 *
 * Ranges are line-wise: reviewdog's proto says a range whose start and end
 * both omit `column` covers whole lines and includes the end line, whereas
 * with columns the end is exclusive. pairlint knows lines, not columns, so it
 * omits them (`start.line` to `end.line`, both included).
 */
import type { Finding, Severity } from '../rule/finding.js';
import { projectHomepage } from './project.js';
import type { Reporter } from './types.js';

type RdSeverity = 'ERROR' | 'WARNING' | 'INFO';

export const RD_SEVERITY: Readonly<Record<Severity, RdSeverity>> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

export interface RdPosition {
  line: number;
  column?: number;
}

export interface RdRange {
  start: RdPosition;
  end?: RdPosition;
}

/** Whole lines `line`..`endLine` (both included), as reviewdog reads a range without columns. */
export function lineRange(line: number, endLine?: number): RdRange {
  return { start: { line }, ...(endLine !== undefined && endLine >= line ? { end: { line: endLine } } : {}) };
}

/**
 * reviewdog suggestions for a finding: the edits of its fix (src/fix/) in the
 * finding's own file whose lines all lie inside a hunk of the diff, as
 * reviewdog shows a suggestion only there. A replacement of whole lines is the
 * range from column 1 of the first line to column 1 of the line after the
 * last (the end is exclusive when columns are given), and the text ends with
 * a newline.
 */
export function rdSuggestions(f: Finding): { range: RdRange; text: string }[] {
  return (f.fix?.edits ?? [])
    .filter((e) => e.file === f.file && e.inHunk)
    .map((e) => ({
      range: { start: { line: e.line, column: 1 }, end: { line: e.endLine + 1, column: 1 } },
      text: e.text === '' || e.text.endsWith('\n') ? e.text : e.text + '\n',
    }));
}

function diagnostic(f: Finding) {
  const suggestions = rdSuggestions(f);
  return {
    message: f.message,
    location: { path: f.file, range: lineRange(f.line, f.endLine) },
    severity: RD_SEVERITY[f.severity],
    code: { value: f.ruleId },
    ...(f.related.length > 0
      ? {
          related_locations: f.related.map((r) => ({
            message: r.message,
            location: { path: r.file, range: lineRange(r.line) },
          })),
        }
      : {}),
    ...(suggestions.length > 0 ? { suggestions } : {}),
  };
}

const ORDER: readonly Severity[] = ['error', 'warning', 'info'];

export const rdjsonReporter: Reporter = {
  name: 'rdjson',
  description: 'reviewdog diagnostic format (reviewdog -f=rdjson)',
  format(result) {
    const homepage = projectHomepage();
    const worst = ORDER.find((s) => result.findings.some((f) => f.severity === s));
    const out = {
      source: { name: 'pairlint', ...(homepage ? { url: homepage } : {}) },
      ...(worst ? { severity: RD_SEVERITY[worst] } : {}),
      diagnostics: result.findings.map(diagnostic),
    };
    return JSON.stringify(out, null, 2) + '\n';
  },
};
