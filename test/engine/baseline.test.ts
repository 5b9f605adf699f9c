import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runCli, runJson } from '../support/cli.js';
import { edit, fixture } from '../support/fixtures.js';
import { SOB, message } from '../support/messages.js';

afterAll(cleanupTempDirs);

const BASE = fixture('rules/listener.c');
const PATH = 'hw/fx/listener.c';
const ANCHOR = '    vaddr = memory_region_get_ram_ptr(section->mr) +\n';
const MSG = message('fx: skip marked regions in fx_container_region_add()', 'Because.', SOB);

const SKIP = edit(BASE, ANCHOR, `    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n\n${ANCHOR}`);
/** The same skip ten lines further down (a comment block above it), and a second, new skip. */
const MOVED_PLUS_NEW = edit(
  edit(BASE, '#include "qemu/osdep.h"\n', `#include "qemu/osdep.h"\n${'/* moved */\n'.repeat(10)}`),
  ANCHOR,
  `    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n` +
    `    if (fx_section_is_private(section)) {\n        return;\n    }\n\n${ANCHOR}`,
);

function repoWith(after: string): TestRepo {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: BASE });
  repo.commit(MSG, { [PATH]: after });
  return repo;
}

describe('baseline', () => {
  it('round trip: write, then after a line move only the new finding is reported', async () => {
    const dir = tempDir();
    const file = join(dir, 'baseline.json');
    const first = repoWith(SKIP);
    const write = await runCli(['HEAD~1..HEAD', '-C', first.dir, '--write-baseline', file]);
    expect(write.code).toBe(0); // writing a baseline accepts what is there
    expect(write.stdout).toContain('[skip-asymmetry]');
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toMatchObject({ version: 1 });
    expect(written.fingerprints).toEqual([
      expect.objectContaining({ rule: 'skip-asymmetry', file: PATH, function: 'fx_container_region_add', message: expect.stringMatching(/skipping/) }),
    ]);

    const second = repoWith(MOVED_PLUS_NEW);
    const all = await runJson(['HEAD~1..HEAD', '-C', second.dir]);
    expect(all.findings.filter((f) => f.ruleId === 'skip-asymmetry')).toHaveLength(2);
    const fresh = await runJson(['HEAD~1..HEAD', '-C', second.dir, '--baseline', file]);
    expect(fresh.findings.map((f) => [f.ruleId, f.message.includes('fx_section_is_private')])).toEqual([['skip-asymmetry', true]]);
    expect(fresh.summary.errors).toBe(1);
    expect(fresh.notes).toContain('1 finding already in the baseline not shown');
  });

  it('a baseline that covers everything gives exit 0', async () => {
    const dir = tempDir();
    const file = join(dir, 'baseline.json');
    const repo = repoWith(SKIP);
    await runCli(['HEAD~1..HEAD', '-C', repo.dir, '--write-baseline', file]);
    const again = await runJson(['HEAD~1..HEAD', '-C', repo.dir, '--baseline', file]);
    expect(again.findings).toEqual([]);
    expect(again.code).toBe(0);
  });

  it('an invalid baseline file is a one-line error, exit 2', async () => {
    const dir = tempDir();
    const repo = repoWith(SKIP);
    const cases: [string, string | null, RegExp][] = [
      ['missing.json', null, /--baseline .*missing\.json: cannot read \(ENOENT\)/],
      ['text.json', 'not json', /not valid JSON/],
      ['version.json', '{"version": 7, "fingerprints": []}', /"version" must be 1, got 7/],
      ['shape.json', '{"version": 1, "fingerprints": [{"rule": "x"}]}', /"fingerprints\[0\]\.fingerprint" must be a hex string/],
    ];
    for (const [name, content, error] of cases) {
      if (content !== null) writeFileSync(join(dir, name), content);
      const run = await runCli(['HEAD~1..HEAD', '-C', repo.dir, '--baseline', join(dir, name)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(error);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
