import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runCli, type JsonReport } from '../support/cli.js';
import { fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

function tree(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'hw', 'fx'), { recursive: true });
  writeFileSync(join(dir, 'hw', 'fx', 'prereg.c'), fixture('rules/prereg.c'));
  writeFileSync(join(dir, 'hw', 'fx', 'listener.c'), fixture('rules/listener.c'));
  writeFileSync(join(dir, 'hw', 'fx', 'notes.txt'), 'not C\n');
  return dir;
}

describe('pairlint audit', () => {
  it('reports an acquire whose counterpart never releases, and nothing on balanced pairs', async () => {
    const dir = tree();
    const run = await runCli(['audit', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'call-asymmetry',
      file: 'hw/fx/prereg.c',
      function: 'fx_prereg_listener_region_add',
      line: lineOf(fixture('rules/prereg.c'), 'memory_region_ref'),
      commit: null,
      related: [{ function: 'fx_prereg_listener_region_del' }],
    });
    expect(report.findings[0]?.message).toMatch(/never calls memory_region_unref\(\)/);
    expect(report.summary.files).toBe(2);
    expect(run.code).toBe(0);
  });

  it('takes paths, text output and --max-warnings like the lint command', async () => {
    const dir = tree();
    const clean = await runCli(['audit', 'hw/fx/listener.c'], { cwd: dir });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/0 errors, 0 warnings/);
    const strict = await runCli(['audit', 'hw', '--max-warnings', '0'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^hw\/fx\/prereg\.c:\d+: warning: /m);
    const missing = await runCli(['audit', 'no/such/dir'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^pairlint: no\/such\/dir: no such file or directory\n$/);
  });
});
