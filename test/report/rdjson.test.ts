/**
 * --format rdjson: reviewdog's DiagnosticResult (proto/rdf/reviewdog.proto),
 * and conformance with reviewdog's JSON schema for it
 * (test/schemas/rdjson/DiagnosticResult.json, vendored with its MIT licence).
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { lineRange, rdSuggestions, rdjsonReporter } from '../../src/report/rdjson.js';
import type { Fix, FixEdit } from '../../src/rule/fix.js';
import { runJson } from '../support/cli.js';
import { EXAMPLE_PATCH, EXAMPLE_TREE, RDJSON_SCHEMA_PATH, finding, lintResult, rdjsonValidator, runClean, runExample } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const opts = { color: false, rules: RULES, cwd: '/' };

const validate = rdjsonValidator();
if (!validate) console.warn(`rdjson schema validation skipped: ${RDJSON_SCHEMA_PATH} not found`);

function expectValid(out: unknown) {
  const ok = validate!(out);
  expect(validate!.errors ?? null, JSON.stringify(validate!.errors, null, 2)).toBeNull();
  expect(ok).toBe(true);
}

describe.runIf(validate !== null)('rdjson against reviewdog\'s DiagnosticResult schema', () => {
  it('a finding with related locations (the example patch) conforms', async () => {
    const run = await runExample('rdjson');
    const out: Json = JSON.parse(run.stdout);
    expect(out.diagnostics[0].related_locations.length).toBeGreaterThan(0);
    expectValid(out);
  });

  it('a clean run conforms', async () => {
    const run = await runClean('rdjson');
    expect(run.code).toBe(0);
    const out: Json = JSON.parse(run.stdout);
    expect(out.diagnostics).toEqual([]);
    expectValid(out);
  });

  it('hand-made findings of every severity, a commit-message finding and a suggestion conform', () => {
    const f0 = finding({ severity: 'info' });
    const withSuggestion = { ...f0, fix: fixOf([{ file: f0.file, line: 3, endLine: 4, old: 'a;\nb;\n', text: 'x;\n', inHunk: true }]) };
    const msg = finding({ severity: 'warning', ruleId: 'fixes-tag', category: 'commit', file: 'COMMIT_MSG', line: 5, endLine: undefined, related: [] });
    expectValid(JSON.parse(rdjsonReporter.format(lintResult([finding(), msg, withSuggestion]), opts)));
  });

  it('the schema is not vacuous: a wrong severity or a line that is not a number fails it', () => {
    const out: Json = JSON.parse(rdjsonReporter.format(lintResult([finding()]), opts));
    expect(validate!({ ...out, diagnostics: [{ ...out.diagnostics[0], severity: 'FATAL' }] })).toBe(false);
    const bad = structuredClone(out);
    bad.diagnostics[0].location.range.start.line = 'one';
    expect(validate!(bad)).toBe(false);
  });
});

describe('rdjson', () => {
  it('the example: source, severity, one diagnostic with code, line range and related locations', async () => {
    const run = await runExample('rdjson');
    expect(run.code).toBe(1);
    const out: Json = JSON.parse(run.stdout);
    const json = await runJson(['--tree', EXAMPLE_TREE, EXAMPLE_PATCH]);
    expect(out.source.name).toBe('pairlint');
    expect(out.severity).toBe('ERROR');
    expect(out.diagnostics).toHaveLength(1);
    const [d] = out.diagnostics;
    expect(Object.keys(d).sort()).toEqual(['code', 'location', 'message', 'related_locations', 'severity']);
    expect(d.message).toBe(json.findings[0]!.message);
    expect(d.severity).toBe('ERROR');
    expect(d.code).toEqual({ value: 'skip-asymmetry' });
    expect(d.location).toEqual({ path: 'hw/demo/listener.c', range: { start: { line: 48 }, end: { line: 51 } } });
    expect(d.related_locations[0]).toEqual({
      message: json.findings[0]!.related[0]!.message,
      location: { path: 'hw/demo/listener.c', range: { start: { line: 83 } } },
    });
    expect(d.suggestions).toBeUndefined();
  });

  it('a clean run: no diagnostics, no overall severity', async () => {
    const out: Json = JSON.parse((await runClean('rdjson')).stdout);
    expect(out).toEqual({ source: { name: 'pairlint' }, diagnostics: [] });
  });

  it('maps severities, worst one on top', () => {
    const out: Json = JSON.parse(
      rdjsonReporter.format(lintResult([finding({ severity: 'info', related: [] }), finding({ severity: 'warning', endLine: undefined })]), opts),
    );
    expect(out.severity).toBe('WARNING');
    expect(out.diagnostics.map((d: Json) => d.severity)).toEqual(['INFO', 'WARNING']);
    expect(out.diagnostics[0].related_locations).toBeUndefined();
    expect(out.diagnostics[1].location.range).toEqual({ start: { line: 617 } });
  });

  it('lineRange is line-wise (no columns: reviewdog includes the end line)', () => {
    expect(lineRange(5)).toEqual({ start: { line: 5 } });
    expect(lineRange(5, 7)).toEqual({ start: { line: 5 }, end: { line: 7 } });
    expect(lineRange(5, 3)).toEqual({ start: { line: 5 } });
  });

  it("carries a fix's edits as suggestions, only those in the finding's file and inside a hunk", () => {
    const f0 = finding();
    const edits: FixEdit[] = [
      { file: f0.file, line: 10, endLine: 11, old: 'a;\nb;\n', text: '    if (x) {\n        return;\n    }\n', inHunk: true },
      { file: f0.file, line: 20, endLine: 20, old: 'c;\n', text: 'ignored: outside every hunk\n', inHunk: false },
      { file: 'other.c', line: 1, endLine: 1, old: 'd;\n', text: 'ignored: other file\n', inHunk: true },
    ];
    const f = { ...f0, fix: fixOf(edits) };
    expect(rdSuggestions(f)).toEqual([
      { range: { start: { line: 10, column: 1 }, end: { line: 12, column: 1 } }, text: '    if (x) {\n        return;\n    }\n' },
    ]);
    const out: Json = JSON.parse(rdjsonReporter.format(lintResult([f]), opts));
    expect(out.diagnostics[0].suggestions).toHaveLength(1);
    expect(rdSuggestions(f0)).toEqual([]);
  });
});

function fixOf(edits: FixEdit[]): Fix {
  return { kind: 'add-release', description: 'test', edits };
}
