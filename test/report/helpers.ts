/**
 * Shared by the reporter tests: the example and seed inputs, a clean patch,
 * hand-made findings, and the official SARIF schema and reviewdog's rdjson schema (vendored in
 * test/schemas/, so a clone with nothing beside it runs the conformance tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Finding, Severity } from '../../src/rule/finding.js';
import type { LintResult } from '../../src/engine/lint.js';
import { REPO_ROOT, runCli, type CliRun } from '../support/cli.js';

export const EXAMPLE_TREE = join(REPO_ROOT, 'examples', 'tree');
export const EXAMPLE_PATCH = join(REPO_ROOT, 'examples', 'skip-unmap.patch');
export const SEED = join(REPO_ROOT, '..', 'shared', 'corpus', 'seed');
export const SEED_PRESENT = existsSync(join(SEED, 'skip-map-asymmetric.mbox')) && existsSync(join(SEED, 'base'));
export const SARIF_SCHEMA_PATH = join(REPO_ROOT, 'test', 'schemas', 'sarif-schema-2.1.0.json');
/** reviewdog's JSON schema of the rdjson DiagnosticResult (self-contained: its definitions are inline). */
export const RDJSON_SCHEMA_PATH = join(REPO_ROOT, 'test', 'schemas', 'rdjson', 'DiagnosticResult.json');

/** A patch on examples/tree that only adds a comment: no finding. (Lines joined explicitly: blank context lines are a single space.) */
export const CLEAN_PATCH = [
  'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
  'From: Example Developer <dev@example.org>',
  'Date: Mon, 16 Nov 2026 10:00:00 +0100',
  'Subject: [PATCH] demo/listener: Explain the map',
  '',
  'Signed-off-by: Example Developer <dev@example.org>',
  '---',
  ' hw/demo/listener.c | 1 +',
  ' 1 file changed, 1 insertion(+)',
  '',
  'diff --git a/hw/demo/listener.c b/hw/demo/listener.c',
  '--- a/hw/demo/listener.c',
  '+++ b/hw/demo/listener.c',
  '@@ -45,6 +45,7 @@ static void demo_listener_region_add(MemoryListener *listener,',
  ' ',
  '     memory_region_ref(section->mr);',
  ' ',
  '+    /* Map the whole section. */',
  '     vaddr = memory_region_get_ram_ptr(section->mr) +',
  '             section->offset_within_region;',
  ' ',
  '-- ',
  '2.39.5',
  '',
].join('\n');

/** The real CLI on the example patch (one skip-asymmetry error at hw/demo/listener.c:48). */
export function runExample(format: string): Promise<CliRun> {
  return runCli(['--tree', EXAMPLE_TREE, EXAMPLE_PATCH, '--format', format]);
}

/** The real CLI on CLEAN_PATCH read from stdin. */
export function runClean(format: string): Promise<CliRun> {
  return runCli(['--tree', EXAMPLE_TREE, '--format', format, '-'], { stdin: CLEAN_PATCH });
}

/** The real CLI on a seed mbox against the seed base tree. */
export function runSeed(mbox: string, format: string): Promise<CliRun> {
  return runCli(['--tree', join(SEED, 'base'), join(SEED, mbox), '--format', format]);
}

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'skip-asymmetry',
    category: 'pair',
    severity: 'error',
    message: 'region_add skips the map, region_del still unmaps',
    file: 'hw/vfio/listener.c',
    line: 617,
    endLine: 621,
    function: 'vfio_container_region_add',
    commit: { sha: 'a5c3e94b0627ab3897fb239042a42ce77c955358', subject: 'memory: Allow skipping', index: 1, total: 2 },
    related: [{ file: 'hw/vfio/listener.c', line: 757, function: 'vfio_listener_region_del', message: 'still unmaps here' }],
    fingerprint: '0123456789abcdef0123456789abcdef',
    ...over,
  };
}

export function lintResult(findings: Finding[], over: Partial<LintResult> = {}): LintResult {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    findings,
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), commits: 2, files: 3 },
    series: { coverSubject: null, coverBody: null, basedOn: [] },
    checkedFiles: 3,
    notes: [],
    ...over,
  };
}

export type Validate = ((data: unknown) => boolean) & { errors?: unknown };

/** A validator for a draft-04 JSON schema file (vendored: a missing one is an error, never a skip). */
function draft04Validator(path: string): Validate | null {
  if (!existsSync(path)) throw new Error(`${path}: the vendored schema is missing`);
  const schema = JSON.parse(readFileSync(path, 'utf8')) as object;
  const ajv = new Ajv04.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema) as Validate;
}

/** A validator for the official SARIF 2.1.0 schema (draft-04, `id`), vendored in test/schemas/. */
export function sarifValidator(): Validate | null {
  return draft04Validator(SARIF_SCHEMA_PATH);
}

/** A validator for reviewdog's rdjson DiagnosticResult schema (draft-04), vendored in test/schemas/. */
export function rdjsonValidator(): Validate | null {
  return draft04Validator(RDJSON_SCHEMA_PATH);
}
