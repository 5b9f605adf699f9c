/**
 * --format sarif: shape for GitHub code scanning, and conformance with the
 * official SARIF 2.1.0 schema (vendored in test/schemas/).
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { ruleDocsMarkdown } from '../../src/rule/docs.js';
import { packageVersion } from '../../src/version.js';
import { pathToUri, sarifReporter } from '../../src/report/sarif.js';
import { runJson } from '../support/cli.js';
import { EXAMPLE_PATCH, EXAMPLE_TREE, SARIF_SCHEMA_PATH, SEED, SEED_PRESENT, finding, lintResult, runClean, runExample, runSeed, sarifValidator } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const validate = sarifValidator();
if (!validate) console.warn(`SARIF schema validation skipped: ${SARIF_SCHEMA_PATH} not found`);
if (!SEED_PRESENT) console.warn(`SARIF seed tests skipped: ${SEED} not found`);

function expectValid(log: unknown) {
  const ok = validate!(log);
  expect(validate!.errors ?? null, JSON.stringify(validate!.errors, null, 2)).toBeNull();
  expect(ok).toBe(true);
}

describe('sarif on the example patch', () => {
  it('has one run with every rule, and one result on the changed line', async () => {
    const run = await runExample('sarif');
    expect(run.code).toBe(1);
    const log: Json = JSON.parse(run.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    const [sarifRun] = log.runs;
    const driver = sarifRun.tool.driver;
    expect(driver.name).toBe('pairlint');
    expect(driver.version).toBe(packageVersion());

    // Every rule, whether it fired or not, with its docs.
    expect(driver.rules.map((r: Json) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    for (const [i, rule] of RULES.entries()) {
      const r = driver.rules[i];
      expect(r.shortDescription.text).toBe(rule.meta.summary);
      expect(r.fullDescription.text).toBe(rule.meta.docs.what);
      expect(r.help.text).toBe(ruleDocsMarkdown(rule));
      expect(r.help.markdown).toBe(ruleDocsMarkdown(rule));
      expect(r.defaultConfiguration.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[rule.meta.severity]);
      expect(r.properties.category).toBe(rule.meta.category);
      expect(r.properties.tags).toContain(rule.meta.category);
      expect(typeof r.name).toBe('string');
    }

    const json = await runJson(['--tree', EXAMPLE_TREE, EXAMPLE_PATCH]);
    expect(sarifRun.results).toHaveLength(json.findings.length);
    const [res] = sarifRun.results;
    const [f] = json.findings;
    expect(res.ruleId).toBe('skip-asymmetry');
    expect(driver.rules[res.ruleIndex].id).toBe('skip-asymmetry');
    expect(res.level).toBe('error');
    expect(res.message.text).toBe(f!.message);
    const loc = res.locations[0].physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: 'hw/demo/listener.c', uriBaseId: '%SRCROOT%' });
    expect(loc.region).toEqual({ startLine: 48, endLine: 51 });
    expect(res.partialFingerprints).toEqual({ 'pairlint/v1': f!.fingerprint });
    expect(res.relatedLocations[0]).toMatchObject({
      id: 1,
      physicalLocation: { artifactLocation: { uri: 'hw/demo/listener.c', uriBaseId: '%SRCROOT%' }, region: { startLine: 83 } },
      message: { text: f!.related[0]!.message },
    });
    expect(res.properties.commit).toEqual({ sha: '0000000000000000000000000000000000000000', subject: 'demo/listener: Let regions opt out of the IOMMU map' });
  });

  it.skipIf(!validate)('validates against the official SARIF 2.1.0 schema', async () => {
    expectValid(JSON.parse((await runExample('sarif')).stdout));
  });

  it.skipIf(!validate)('the validator is real: it rejects a log with a bad level or a missing rule id', async () => {
    const log: Json = JSON.parse((await runExample('sarif')).stdout);
    log.runs[0].results[0].level = 'info';
    expect(validate!(log)).toBe(false);
    const log2: Json = JSON.parse((await runExample('sarif')).stdout);
    delete log2.runs[0].tool.driver.rules[0].id;
    expect(validate!(log2)).toBe(false);
  });

  it.skipIf(!validate)('a clean run is a valid log with no results and still lists the rules', async () => {
    const run = await runClean('sarif');
    expect(run.code).toBe(0);
    const log: Json = JSON.parse(run.stdout);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toHaveLength(RULES.length);
    expectValid(log);
  });
});

describe.skipIf(!SEED_PRESENT)('sarif on the seed series', () => {
  it('skip-map-asymmetric: valid, related location on vfio_listener_region_del, commit 1/2', async () => {
    const run = await runSeed('skip-map-asymmetric.mbox', 'sarif');
    expect(run.code).toBe(1);
    const log: Json = JSON.parse(run.stdout);
    if (validate) expectValid(log);
    const res = log.runs[0].results.find((r: Json) => r.ruleId === 'skip-asymmetry');
    expect(res).toBeDefined();
    const region = res.locations[0].physicalLocation.region;
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('hw/vfio/listener.c');
    expect(region.startLine).toBeGreaterThanOrEqual(617);
    expect(region.startLine).toBeLessThanOrEqual(621);
    const del = res.relatedLocations.find((r: Json) => r.logicalLocations?.[0]?.name === 'vfio_listener_region_del');
    expect(del).toBeDefined();
    expect(del.physicalLocation.region.startLine).toBe(757);
    expect(del.physicalLocation.artifactLocation).toEqual({ uri: 'hw/vfio/listener.c', uriBaseId: '%SRCROOT%' });
    expect(del.message.text).toMatch(/vfio_container_dma_unmap/);
    expect(res.properties.commit).toMatchObject({ sha: 'a5c3e94b0627ab3897fb239042a42ce77c955358', index: 1, total: 2 });
    expect(log.runs[0].properties.coverSubject).toMatch(/Allow RAM device regions to skip IOMMU/);
  });
});

describe('sarif details (hand-made findings)', () => {
  it('maps severities to levels, keeps paths relative and encodes them as URIs', () => {
    const log: Json = JSON.parse(
      sarifReporter.format(
        lintResult([
          finding({ severity: 'warning', ruleId: 'check-asymmetry', file: 'hw/odd dir/a#b.c', endLine: undefined }),
          finding({ severity: 'info', ruleId: 'call-asymmetry', commit: null, related: [] }),
          finding({ ruleId: 'no-such-rule' }),
        ]),
        { color: false, rules: RULES, cwd: '/' },
      ),
    );
    const [a, b, c] = log.runs[0].results;
    expect(a.level).toBe('warning');
    expect(a.locations[0].physicalLocation.artifactLocation.uri).toBe('hw/odd%20dir/a%23b.c');
    expect(a.locations[0].physicalLocation.region).toEqual({ startLine: 617 });
    expect(b.level).toBe('note');
    expect(b.relatedLocations).toBeUndefined();
    expect(b.properties.commit).toBeUndefined();
    expect(c.ruleIndex).toBeUndefined();
    if (validate) expectValid(log);
  });

  it('puts a commit-message finding on the first line its commit adds (code scanning needs a repository file), or leaves it out', () => {
    const msg = finding({
      ruleId: 'signed-off-by',
      category: 'commit',
      file: 'COMMIT_MSG',
      line: 4,
      endLine: undefined,
      function: null,
      related: [],
      message: 'no Signed-off-by: trailer',
    });
    const log: Json = JSON.parse(
      sarifReporter.format(lintResult([msg, { ...msg, anchor: { file: 'hw/vfio/listener.c', line: 42 } }]), {
        color: false,
        rules: RULES,
        cwd: '/',
      }),
    );
    const [run] = log.runs;
    expect(run.results).toHaveLength(1);
    const [res] = run.results;
    expect(res.locations).toHaveLength(1);
    expect(res.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'hw/vfio/listener.c', uriBaseId: '%SRCROOT%' },
      region: { startLine: 42 },
    });
    expect(res.message.text).toBe('commit message of 1/2 memory: Allow skipping (a5c3e94b0627), line 4: no Signed-off-by: trailer');
    expect(res.properties.commitMessageLine).toBe(4);
    expect(JSON.stringify(log)).not.toContain('COMMIT_MSG');
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      { level: 'note', message: { text: '1 commit-message finding left out: the commit changes no text file to show it on (see the text or json output)' } },
    ]);
    if (validate) expectValid(log);
  });

  it('a finding with a fix carries it as SARIF fixes, marked a suggestion, and stays valid', () => {
    const f = finding({
      fix: {
        kind: 'mirror-skip',
        description: 'clear try_unmap',
        edits: [{ file: 'hw/vfio/listener.c', line: 727, endLine: 727, old: '    if (try_unmap) {\n', text: '    if (skip) {\n        try_unmap = false;\n    }\n    if (try_unmap) {\n', inHunk: false }],
      },
    });
    const log = JSON.parse(sarifReporter.format(lintResult([f]), { color: false, rules: RULES, cwd: '/' }));
    expect(log.runs[0].results[0].fixes).toEqual([
      {
        description: { text: 'Suggestion (changes behaviour; review before applying): clear try_unmap' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'hw/vfio/listener.c', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 727, endLine: 727 }, insertedContent: { text: '    if (skip) {\n        try_unmap = false;\n    }\n    if (try_unmap) {' } }],
          },
        ],
        properties: { kind: 'mirror-skip', applicability: 'suggestion' },
      },
    ]);
    if (validate) expectValid(log);
  });

  it('pathToUri leaves plain QEMU paths alone', () => {
    expect(pathToUri('include/system/memory.h')).toBe('include/system/memory.h');
  });
});
