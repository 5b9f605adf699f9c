/**
 * --fix-patch on real data, read in place from ../shared (skipped when it is
 * absent): the seed's asymmetric series, and every positive case of the
 * corpus whose finding gets a fix. The patch must apply (`git apply --check`)
 * to the tree after the series, and linting base → series + fix as one commit
 * must not report the fixed finding again.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, git, tempDir } from '../git/helpers.js';
import { REPO_ROOT, runJson, type JsonReport } from '../support/cli.js';
import { SOB } from '../support/messages.js';

const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus');
const present = existsSync(join(CORPUS, 'seed', 'seed.bundle')) && existsSync(join(CORPUS, 'cases'));
if (!present) console.warn(`corpus fix tests skipped: ${CORPUS} not found`);

afterAll(cleanupTempDirs);

type Finding = JsonReport['findings'][number] & { fix?: { kind: string } };

/** base/ committed, then every mail of the mbox applied (C files) into the work tree, uncommitted. */
function applySeries(caseDir: string): string {
  const dir = tempDir('pairlint-fix-case-');
  git(dir, ['init', '-q', '-b', 'master']);
  cpSync(join(caseDir, 'base'), dir, { recursive: true });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'base']);
  const mails = tempDir('pairlint-fix-mails-');
  execFileSync('git', ['mailsplit', `-o${mails}`, join(caseDir, 'patch.mbox')]);
  for (const m of readdirSync(mails).sort()) {
    execFileSync('git', ['mailinfo', join(mails, 'msg'), join(mails, 'patch')], { input: readFileSync(join(mails, m)), cwd: dir });
    git(dir, ['apply', '--include=*.c', '--include=*.h', join(mails, 'patch')]);
  }
  return dir;
}

/** Apply the fix patch to the series' tree, commit base → series + fix, and lint that commit. */
async function relintWithFix(dir: string, patchFile: string): Promise<Finding[]> {
  git(dir, ['apply', '--check', patchFile]);
  git(dir, ['apply', patchFile]);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `series and fix\n\n${SOB}`]);
  return (await runJson(['HEAD~1..HEAD', '-C', dir])).findings as Finding[];
}

// the same finding by its fingerprint (rule, file, functions, key text; not lines): a fix of one error exit can leave
// another exit of the function leaking what the fix now releases, which is a finding of its own (its sibling releases it)
const sameFinding = (a: Finding) => (b: Finding) => a.fingerprint === b.fingerprint;

describe.skipIf(!present)('--fix-patch on the seed series and the corpus positives', () => {
  it('the seed asymmetric series: region_del clears try_unmap, the patch applies, and the skip-asymmetry is gone', async () => {
    const repo = tempDir('pairlint-fix-seed-');
    execFileSync('git', ['clone', '-q', join(CORPUS, 'seed', 'seed.bundle'), repo]);
    const patchFile = join(tempDir(), 'fix.patch');
    const report = await runJson([join(CORPUS, 'seed', 'skip-map-asymmetric.mbox'), '--fix-patch', patchFile], { cwd: repo });
    const skip = (report.findings as Finding[]).find((f) => f.ruleId === 'skip-asymmetry');
    expect(skip?.fix?.kind).toBe('mirror-skip');
    const patch = readFileSync(patchFile, 'utf8');
    expect(patch).toContain('+    if (memory_region_skip_iommu_map(section->mr)) {\n+        try_unmap = false;\n+    }\n     if (try_unmap) {');
    git(repo, ['checkout', '-q', 'origin/skip-map-asymmetric']);
    git(repo, ['reset', '-q', '--soft', 'base']);
    const after = await relintWithFix(repo, patchFile);
    expect(after.filter(sameFinding(skip!))).toEqual([]);
  }, 60_000);

  it('every positive case with a fix: the patch applies to the series tree and the finding is gone', async () => {
    const cases = readdirSync(join(CORPUS, 'cases')).filter((c) => c.startsWith('positive-')).sort();
    let fixed = 0;
    for (const c of cases) {
      const caseDir = join(CORPUS, 'cases', c);
      const patchFile = join(tempDir(), 'fix.patch');
      const report = await runJson(['--tree', join(caseDir, 'base'), join(caseDir, 'patch.mbox'), '--fix-patch', patchFile]);
      const withFix = (report.findings as Finding[]).filter((f) => f.fix);
      const patch = readFileSync(patchFile, 'utf8');
      expect(patch === '', c).toBe(withFix.length === 0);
      if (withFix.length === 0) continue;
      fixed++;
      const after = await relintWithFix(applySeries(caseDir), patchFile);
      for (const f of withFix) expect(after.filter(sameFinding(f)), `${c} ${f.ruleId} ${f.function}`).toEqual([]);
    }
    // measured when this test was written: 7 of the 24 positive cases
    expect(fixed).toBeGreaterThanOrEqual(5);
  }, 300_000);
});
