import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { REPO_ROOT, runBin, runCli, runJson } from '../support/cli.js';
import { edit, fixture } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const EXAMPLE_TREE = join(REPO_ROOT, 'examples', 'tree');
const EXAMPLE_PATCH = join(REPO_ROOT, 'examples', 'skip-unmap.patch');

/** One line on stderr, no stack trace, exit 2. */
function expectInputError(run: { code: number; stderr: string; stdout: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^pairlint: /);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('the pairlint process', () => {
  it('runs the README example (npm start) and exits 1 with a code frame', () => {
    const run = runBin(['--tree', 'examples/tree', 'examples/skip-unmap.patch']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^hw\/demo\/listener\.c:48: error: .*\[skip-asymmetry\]$/m);
    expect(run.stdout).toMatch(/^ {2}> 48 \| {5}if \(memory_region_skip_iommu_map\(section->mr\)\) \{$/m);
    expect(run.stdout).toMatch(/1 error, 0 warnings, 0 infos in 1 commit \(1 C file checked\)/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('prints --version and --help with exit 0', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runBin(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = runBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--staged/);
    expect(help.stdout).toMatch(/--tree <dir>/);
  });

  it('lists rules and explains one', () => {
    const rules = runBin(['rules']);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^skip-asymmetry +error +pair /m);
    expect(rules.stdout).toMatch(/^check-asymmetry +warning +pair /m);
    expect(rules.stdout).toMatch(/^call-asymmetry +warning +pair /m);
    const explain = runBin(['explain', 'skip-asymmetry']);
    expect(explain.code).toBe(0);
    for (const heading of ['## What it reports', '## Why it matters', '## How to fix', '## Bad', '## Good']) {
      expect(explain.stdout).toContain(heading);
    }
    expectInputError(runBin(['explain', 'no-such-rule']), /unknown rule 'no-such-rule'/);
  });

  it('reads a patch from stdin and colours only when asked', () => {
    const patch = readFileSync(EXAMPLE_PATCH);
    const plain = runBin(['--tree', EXAMPLE_TREE, '-'], { input: patch });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('[skip-asymmetry]');
    const coloured = runBin(['--tree', EXAMPLE_TREE, '--color', '-'], { input: patch });
    expect(coloured.stdout).toContain('\u001b[31merror\u001b[0m');
  });
});

describe('output', () => {
  it('writes the documented JSON shape, to a file with -o', async () => {
    const out = join(tempDir(), 'report.json');
    const run = await runCli(['--tree', EXAMPLE_TREE, EXAMPLE_PATCH, '--format', 'json', '-o', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({ errors: 1, warnings: 0, infos: 0, commits: 1, files: 1 });
    const [f] = report.findings;
    expect(Object.keys(f)).toEqual(
      expect.arrayContaining(['ruleId', 'category', 'severity', 'message', 'file', 'line', 'function', 'commit', 'related', 'fingerprint']),
    );
    expect(f.commit).toEqual({ sha: '0000000000000000000000000000000000000000', subject: 'demo/listener: Let regions opt out of the IOMMU map' });
    expect(f.related[0]).toEqual({ file: 'hw/demo/listener.c', line: 83, function: 'demo_listener_region_del', message: expect.any(String) });
    expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('says when it worked from the hunks alone (no tree, no repository)', async () => {
    const dir = tempDir();
    const report = await runJson([EXAMPLE_PATCH], { cwd: dir });
    expect(report.notes.join(' ')).toMatch(/diff-only/);
    for (const f of report.findings) expect(f.message).toMatch(/diff-only/);
  });

  it('counts warnings against --max-warnings', async () => {
    const repo = TestRepo.create();
    const device = fixture('rules/device.c');
    repo.commit('base', { 'hw/fx/device.c': device });
    repo.commit('add a listener\n\nSigned-off-by: Ann Author <ann@example.org>', {
      'hw/fx/device.c': edit(device, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n    memory_listener_register(&s->listener, &address_space_memory);\n'),
    });
    expect((await runCli(['-C', repo.dir, 'HEAD~1..HEAD'])).code).toBe(0);
    expect((await runCli(['-C', repo.dir, 'HEAD~1..HEAD', '--max-warnings', '1'])).code).toBe(0);
    expect((await runCli(['-C', repo.dir, 'HEAD~1..HEAD', '--max-warnings', '0'])).code).toBe(1);
    expectInputError(await runCli(['-C', repo.dir, 'HEAD~1..HEAD', '--max-warnings', 'lots']), /--max-warnings takes a whole number/);
  });

  it('applies a config from the repository root (a rule turned off)', async () => {
    const repo = TestRepo.create();
    const listener = fixture('rules/listener.c');
    repo.commit('base', { 'hw/fx/listener.c': listener, '.pairlint.json': '{"rules":{"skip-asymmetry":"off"}}' });
    repo.commit('skip', {
      'hw/fx/listener.c': edit(listener, '    vaddr = memory_region_get_ram_ptr(section->mr) +\n', '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n    vaddr = memory_region_get_ram_ptr(section->mr) +\n'),
    });
    const report = await runJson(['-C', repo.dir, 'HEAD~1..HEAD']);
    expect(report.findings.filter((f) => f.ruleId === 'skip-asymmetry')).toEqual([]);
    const forced = await runJson(['-C', repo.dir, 'HEAD~1..HEAD', '--config', join(REPO_ROOT, 'test', 'fixtures', 'rules', 'all-errors.json')]);
    expect(forced.findings.filter((f) => f.ruleId === 'skip-asymmetry')).toHaveLength(1);
  });
});

describe('input modes', () => {
  it('lints the staged change', async () => {
    const repo = TestRepo.create();
    const listener = fixture('rules/listener.c');
    repo.commit('base', { 'hw/fx/listener.c': listener });
    repo.write({
      'hw/fx/listener.c': edit(listener, '    vaddr = memory_region_get_ram_ptr(section->mr) +\n', '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n    vaddr = memory_region_get_ram_ptr(section->mr) +\n'),
    });
    expect((await runJson(['--staged'], { cwd: repo.dir })).findings).toEqual([]);
    repo.git('add', '-A');
    const report = await runJson(['--staged'], { cwd: repo.dir });
    expect(report.code).toBe(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'skip-asymmetry', commit: null });
  });

  it('takes a patch file inside a repository from git (pre-image at HEAD)', async () => {
    const repo = TestRepo.create();
    const listener = fixture('rules/listener.c');
    repo.commit('base', { 'hw/fx/listener.c': listener });
    repo.write({
      'hw/fx/listener.c': edit(listener, '    vaddr = memory_region_get_ram_ptr(section->mr) +\n', '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n    vaddr = memory_region_get_ram_ptr(section->mr) +\n'),
    });
    repo.git('commit', '-qam', 'skip the map');
    const patch = repo.git('format-patch', '-1', '--stdout');
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    writeFileSync(join(repo.dir, 'skip.patch'), patch);
    const report = await runJson(['skip.patch'], { cwd: repo.dir });
    expect(report.findings.filter((f) => f.category === 'pair').map((f) => f.ruleId)).toEqual(['skip-asymmetry']);
    expect(report.findings[0]?.diffOnly).toBeUndefined();
  });
});

describe('bad input: one line, exit 2', () => {
  it('an empty file', async () => {
    const path = join(tempDir(), 'empty.patch');
    writeFileSync(path, '');
    expectInputError(await runCli([path]), /empty\.patch: empty input/);
  });

  it('a binary file given as a patch', async () => {
    const path = join(tempDir(), 'blob.patch');
    writeFileSync(path, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01, 0x02]));
    expectInputError(await runCli([path]), /blob\.patch: binary data/);
  });

  it('an unknown revision', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'a.c': 'int a;\n' });
    expectInputError(await runCli(['-C', repo.dir, 'nosuchrev..HEAD']), /unknown revision 'nosuchrev'/);
  });

  it('a range outside a repository', async () => {
    expectInputError(await runCli(['-C', tempDir(), 'HEAD~1..HEAD']), /not a git repository/);
  });

  it('a hunk that does not apply to --tree', async () => {
    const tree = tempDir();
    mkdirSync(join(tree, 'hw', 'demo'), { recursive: true });
    writeFileSync(join(tree, 'hw', 'demo', 'listener.c'), 'int unrelated;\n');
    expectInputError(await runCli(['--tree', tree, EXAMPLE_PATCH]), /hw\/demo\/listener\.c: hunk 1 \(@@ -45,6 \+45,11 @@\) does not apply/);
  });

  it('a file missing at base', async () => {
    expectInputError(await runCli(['--tree', tempDir(), EXAMPLE_PATCH]), /hw\/demo\/listener\.c: not found in .* \(the patch modifies it/);
  });

  it('an invalid config names the key', async () => {
    const path = join(tempDir(), 'bad.json');
    writeFileSync(path, '{"rules":{"skip-asymmetry":"loud"}}');
    expectInputError(await runCli(['--tree', EXAMPLE_TREE, EXAMPLE_PATCH, '--config', path]), /"rules\.skip-asymmetry" must be one of/);
  });

  it('no input at all, or an unknown option', async () => {
    expectInputError(await runCli([]), /no input/);
    const unknown = await runCli(['--frobnicate']);
    expect(unknown.code).toBe(2);
  });

  it('a file that is not a patch', async () => {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'just some notes\nnothing to see\n');
    expectInputError(await runCli([path]), /notes\.txt: not a patch/);
  });
});
