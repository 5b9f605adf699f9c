/**
 * --fix-patch on fixture trees of our own: for each fix kind, the patch
 * applies to the tree it was computed on (`git apply --check`), and linting
 * the commit with the patch applied is silent for that finding; a fix whose
 * anchor cannot be found is not offered. The JSON, SARIF and rdjson reports
 * carry the same edit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, git, tempDir } from '../git/helpers.js';
import { runBin, runCli, runJson, type JsonReport } from '../support/cli.js';
import { edit, fixture } from '../support/fixtures.js';
import { SOB } from '../support/messages.js';

afterAll(cleanupTempDirs);

const LISTENER = fixture('rules/listener.c');
const DEVICE = fixture('rules/device.c');
const ERROR_PATH = fixture('rules/error-path.c');

type Finding = JsonReport['findings'][number] & {
  fix?: { kind: string; description: string; applicability: string; edits: { file: string; line: number; endLine: number; text: string }[] };
};

interface Outcome {
  repo: TestRepo;
  findings: Finding[];
  patch: string;
  relint: Finding[];
}

/** Commit base then `after`, lint with --fix-patch, apply the patch onto the commit, lint again. */
async function fixRound(path: string, base: string, after: string, rule: string): Promise<Outcome> {
  const repo = TestRepo.create();
  repo.commit('base', { [path]: base });
  repo.commit(`change\n\n${SOB}`, { [path]: after });
  const patchFile = join(tempDir(), 'fix.patch');
  const report = await runJson(['HEAD~1..HEAD', '-C', repo.dir, '--fix-patch', patchFile]);
  const patch = readFileSync(patchFile, 'utf8');
  const findings = (report.findings as Finding[]).filter((f) => f.ruleId === rule);
  let relint: Finding[] = [];
  if (patch !== '') {
    git(repo.dir, ['apply', '--check', patchFile]);
    git(repo.dir, ['apply', patchFile]);
    git(repo.dir, ['commit', '-q', '--amend', '-a', '--no-edit']);
    relint = ((await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings as Finding[]).filter((f) => f.ruleId === rule);
  }
  return { repo, findings, patch, relint };
}

const SKIP_BEFORE_REF = edit(LISTENER, '    memory_region_ref(section->mr);\n', '    if (fx_section_is_private(section)) {\n        return;\n    }\n\n    memory_region_ref(section->mr);\n');
const SKIP_BEFORE_MAP = edit(
  LISTENER,
  '    vaddr = memory_region_get_ram_ptr(section->mr) +\n',
  '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n\n    vaddr = memory_region_get_ram_ptr(section->mr) +\n',
);

describe('--fix-patch: skip-asymmetry (the same test before the release on the other side)', () => {
  it('a release under a local flag: the flag is cleared for what the other side skips', async () => {
    const out = await fixRound('hw/fx/listener.c', LISTENER, SKIP_BEFORE_MAP, 'skip-asymmetry');
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.fix).toMatchObject({ kind: 'mirror-skip', applicability: 'suggestion' });
    expect(out.patch).toContain('+    if (memory_region_skip_iommu_map(section->mr)) {\n+        try_unmap = false;\n+    }\n     if (try_unmap) {\n');
    expect(out.patch).toMatch(/^diff --git a\/hw\/fx\/listener\.c b\/hw\/fx\/listener\.c\n--- a\/hw\/fx\/listener\.c\n\+\+\+ b\/hw\/fx\/listener\.c\n@@ /);
    expect(out.relint).toEqual([]);
  });

  it('a release that is a statement of its own is run only when the test is false; both fixes apply together', async () => {
    const out = await fixRound('hw/fx/listener.c', LISTENER, SKIP_BEFORE_REF, 'skip-asymmetry');
    expect(out.findings.length).toBeGreaterThanOrEqual(1);
    expect(out.findings.every((f) => f.fix?.kind === 'mirror-skip')).toBe(true);
    expect(out.patch).toContain('-    memory_region_unref(section->mr);\n+    if (!fx_section_is_private(section)) {\n+        memory_region_unref(section->mr);\n+    }\n');
    expect(out.relint).toEqual([]);
  });

  it('is not offered when the other side has no name the test reads', async () => {
    const otherNames = edit(
      edit(SKIP_BEFORE_MAP, 'static void fx_listener_region_del(MemoryListener *listener,\n                                   MemoryRegionSection *section)', 'static void fx_listener_region_del(MemoryListener *listener,\n                                   MemoryRegionSection *sec)'),
      '    if (!fx_listener_valid_section(section)) {\n        return;\n    }\n    if (!fx_section_range(fc, section, &iova, &llsize)) {\n        return;\n    }\n\n    if (memory_region_is_ram_device(section->mr)) {\n        try_unmap',
      '    if (!fx_listener_valid_section(sec)) {\n        return;\n    }\n    if (!fx_section_range(fc, sec, &iova, &llsize)) {\n        return;\n    }\n\n    if (memory_region_is_ram_device(sec->mr)) {\n        try_unmap',
    );
    const withUnref = edit(otherNames, '    memory_region_unref(section->mr);\n}\n\nstatic const', '    memory_region_unref(sec->mr);\n}\n\nstatic const');
    const base = edit(
      edit(edit(LISTENER, 'static void fx_listener_region_del(MemoryListener *listener,\n                                   MemoryRegionSection *section)', 'static void fx_listener_region_del(MemoryListener *listener,\n                                   MemoryRegionSection *sec)'),
        '    if (!fx_listener_valid_section(section)) {\n        return;\n    }\n    if (!fx_section_range(fc, section, &iova, &llsize)) {\n        return;\n    }\n\n    if (memory_region_is_ram_device(section->mr)) {\n        try_unmap',
        '    if (!fx_listener_valid_section(sec)) {\n        return;\n    }\n    if (!fx_section_range(fc, sec, &iova, &llsize)) {\n        return;\n    }\n\n    if (memory_region_is_ram_device(sec->mr)) {\n        try_unmap'),
      '    memory_region_unref(section->mr);\n}\n\nstatic const',
      '    memory_region_unref(sec->mr);\n}\n\nstatic const',
    );
    const out = await fixRound('hw/fx/listener.c', base, withUnref, 'skip-asymmetry');
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.fix).toBeUndefined();
    expect(out.patch).toBe('');
  });
});

const REGISTER = '    memory_listener_register(&s->listener, &address_space_memory);\n';
const WITH_REGISTER = edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n' + REGISTER);

describe('--fix-patch: call-asymmetry (the release where the other side releases the rest)', () => {
  it('an acquire added on one side: the release with the same object, beside the sibling releases', async () => {
    const out = await fixRound('hw/fx/device.c', DEVICE, WITH_REGISTER, 'call-asymmetry');
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.fix).toMatchObject({ kind: 'add-release', applicability: 'suggestion' });
    expect(out.patch).toContain('+    memory_listener_unregister(&s->listener);\n     g_free(s->buf);\n');
    expect(out.relint).toEqual([]);
  });

  it('is not offered when the release side has no name for the object', async () => {
    const otherName = (t: string) => edit(t, '    FxDev *s = FX_DEV(dev);\n\n    g_free(s->buf);\n', '    FxDev *d = FX_DEV(dev);\n\n    g_free(d->buf);\n');
    const out = await fixRound('hw/fx/device.c', otherName(DEVICE), otherName(WITH_REGISTER), 'call-asymmetry');
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.fix).toBeUndefined();
    expect(out.patch).toBe('');
  });
});

const CHECK = '    g_free(name);\n';
const MUNMAP_ONLY = edit(ERROR_PATH, CHECK, `${CHECK}\n    if (fx_set_notifier_mr(d, idx, &n->mr, true)) {\n        munmap(addr, d->page_size);\n        return -1;\n    }\n`);

describe('--fix-patch: error-path-leak (the missing undo before the jump)', () => {
  it('the release the normal path makes is added to the unwind, in the normal path order', async () => {
    const out = await fixRound('hw/fx/fx-notifier.c', ERROR_PATH, MUNMAP_ONLY, 'error-path-leak');
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.fix).toMatchObject({ kind: 'unwind-release', applicability: 'suggestion' });
    expect(out.patch).toContain('+        object_unparent(OBJECT(&n->mr));\n         munmap(addr, d->page_size);\n         return -1;\n');
    expect(out.relint).toEqual([]);
  });

  it('is not offered when the normal path names the object with a name the error path does not have', async () => {
    const rename = (t: string) =>
      edit(t, '    FxNotifier *n = &d->notifiers[idx];\n\n    if (!n->addr) {\n        return;\n    }\n    fx_set_notifier_mr(d, idx, &n->mr, false);\n    object_unparent(OBJECT(&n->mr));\n    munmap(n->addr, d->page_size);\n    n->addr = NULL;',
        '    FxNotifier *nt = &d->notifiers[idx];\n\n    if (!nt->addr) {\n        return;\n    }\n    fx_set_notifier_mr(d, idx, &nt->mr, false);\n    object_unparent(OBJECT(&nt->mr));\n    munmap(nt->addr, d->page_size);\n    nt->addr = NULL;');
    const out = await fixRound('hw/fx/fx-notifier.c', rename(ERROR_PATH), rename(MUNMAP_ONLY), 'error-path-leak');
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.fix).toBeUndefined();
    expect(out.patch).toBe('');
  });
});

describe('the same edit in json, sarif and rdjson', () => {
  it('sarif fixes and json fix agree; rdjson suggests only inside a hunk', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/fx-notifier.c': ERROR_PATH });
    repo.commit(`change\n\n${SOB}`, { 'hw/fx/fx-notifier.c': MUNMAP_ONLY });
    const json = (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings as Finding[];
    const fix = json.find((f) => f.ruleId === 'error-path-leak')!.fix!;
    const edit0 = fix.edits[0]!;
    const sarif = JSON.parse((await runCli(['HEAD~1..HEAD', '-C', repo.dir, '--format', 'sarif'])).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'error-path-leak');
    expect(result.fixes).toEqual([
      {
        description: { text: `Suggestion (changes behaviour; review before applying): ${fix.description}` },
        artifactChanges: [
          {
            artifactLocation: { uri: 'hw/fx/fx-notifier.c', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: edit0.line, endLine: edit0.endLine }, insertedContent: { text: edit0.text.replace(/\n$/, '') } }],
          },
        ],
        properties: { kind: 'unwind-release', applicability: 'suggestion' },
      },
    ]);
    const rd = JSON.parse((await runCli(['HEAD~1..HEAD', '-C', repo.dir, '--format', 'rdjson'])).stdout);
    const diag = rd.diagnostics.find((d: { code: { value: string } }) => d.code.value === 'error-path-leak');
    // the unwind is lines the commit added: inside its hunk
    expect(diag.suggestions).toEqual([{ range: { start: { line: edit0.line, column: 1 }, end: { line: edit0.endLine + 1, column: 1 } }, text: edit0.text }]);
    // the skip fix edits region_del, outside every hunk: no rdjson suggestion, but a json fix
    const repo2 = TestRepo.create();
    repo2.commit('base', { 'hw/fx/listener.c': LISTENER });
    repo2.commit(`change\n\n${SOB}`, { 'hw/fx/listener.c': SKIP_BEFORE_MAP });
    const rd2 = JSON.parse((await runCli(['HEAD~1..HEAD', '-C', repo2.dir, '--format', 'rdjson'])).stdout);
    const skip = rd2.diagnostics.find((d: { code: { value: string } }) => d.code.value === 'skip-asymmetry');
    expect(skip).toBeDefined();
    expect(skip.suggestions).toBeUndefined();
  });
});

describe('--fix-patch on the command line', () => {
  it('is in --help, beside b4-check', () => {
    const help = runBin(['--help']);
    expect(help.stdout).toMatch(/--fix-patch <file>/);
    expect(help.stdout).toMatch(/b4-check/);
  });

  it('a file that cannot be written is a one-line error, exit 2; no fix to offer writes an empty file and says so', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/device.c': DEVICE });
    repo.commit(`change\n\n${SOB}`, { 'hw/fx/device.c': edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n    fx_dev_note(s);\n') });
    const bad = await runCli(['HEAD~1..HEAD', '-C', repo.dir, '--fix-patch', join(repo.dir, 'no-such-dir', 'fix.patch')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^pairlint: --fix-patch .*fix\.patch: cannot write the patch \(ENOENT\)\n$/);
    const file = join(tempDir(), 'fix.patch');
    const clean = await runCli(['HEAD~1..HEAD', '-C', repo.dir, '--fix-patch', file]);
    expect(clean.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(clean.stdout).toContain(`note: --fix-patch ${file}: no fix to offer (empty file)`);
  });
});

describe('--fix-patch over a series', () => {
  it('a finding a later commit repairs gets no fix; one still present is fixed on the final tree', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/listener.c': LISTENER, 'hw/fx/device.c': DEVICE });
    repo.commit(`fx: skip the map for flagged regions\n\n${SOB}`, { 'hw/fx/listener.c': SKIP_BEFORE_MAP });
    repo.commit(`fx: register the listener\n\n${SOB}`, { 'hw/fx/device.c': WITH_REGISTER });
    repo.commit(`fx: map flagged regions again\n\n${SOB}`, { 'hw/fx/listener.c': LISTENER });
    const patchFile = join(tempDir(), 'fix.patch');
    const report = await runJson(['HEAD~3..HEAD', '-C', repo.dir, '--fix-patch', patchFile]);
    const findings = report.findings as Finding[];
    expect(findings.find((f) => f.ruleId === 'skip-asymmetry')?.fix).toBeUndefined();
    expect(findings.find((f) => f.ruleId === 'call-asymmetry')?.fix?.kind).toBe('add-release');
    const patch = readFileSync(patchFile, 'utf8');
    expect(patch).not.toContain('listener.c');
    git(repo.dir, ['apply', '--check', patchFile]);
  });
});
