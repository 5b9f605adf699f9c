/** `--format json`: the documented, versioned shape (see README). */
import type { Finding } from '../rule/finding.js';
import type { Reporter } from './types.js';

function publicFinding(f: Finding) {
  return {
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    function: f.function,
    commit: f.commit
      ? {
          sha: f.commit.sha,
          subject: f.commit.subject,
          ...(f.commit.index !== null ? { index: f.commit.index, total: f.commit.total } : {}),
        }
      : null,
    related: f.related.map((r) => ({ file: r.file, line: r.line, function: r.function, message: r.message })),
    fingerprint: f.fingerprint,
    ...(f.diffOnly ? { diffOnly: true } : {}),
    ...(f.fix
      ? {
          fix: {
            kind: f.fix.kind,
            description: f.fix.description,
            applicability: 'suggestion',
            edits: f.fix.edits.map((e) => ({ file: e.file, line: e.line, endLine: e.endLine, text: e.text })),
          },
        }
      : {}),
  };
}

export const jsonReporter: Reporter = {
  name: 'json',
  description: 'machine-readable findings, version 1',
  format(result) {
    return (
      JSON.stringify(
        {
          version: 1,
          findings: result.findings.map(publicFinding),
          summary: result.summary,
          series: result.series,
          notes: result.notes,
        },
        null,
        2,
      ) + '\n'
    );
  },
};
