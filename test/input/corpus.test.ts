/**
 * Reads the shared evaluation corpus (../shared/corpus next to the repo)
 * in place when it is there; nothing from it is copied into the repo.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePatchInput } from '../../src/input/patch-input.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const casesDir = join(corpus, 'cases');
const seedDir = join(corpus, 'seed');
const cases = existsSync(casesDir) ? readdirSync(casesDir).filter((c) => existsSync(join(casesDir, c, 'patch.mbox'))) : [];

interface Meta {
  sha: string;
  subject: string;
  author: string;
  files: string[];
  renames?: { from: string; to: string }[];
}

describe.skipIf(cases.length === 0)('shared corpus cases', () => {
  it.each(cases)('%s', (name) => {
    const file = join(casesDir, name, 'patch.mbox');
    const meta = JSON.parse(readFileSync(join(casesDir, name, 'meta.json'), 'utf8')) as Meta;
    const s = parsePatchInput(readFileSync(file, 'utf8'), file);
    expect(s.commits).toHaveLength(1);
    const c = s.commits[0]!;
    expect(c.sha).toBe(meta.sha);
    expect(c.subject).toBe(meta.subject);
    expect(c.author?.name).toBe(meta.author);
    expect(c.files.map((f) => f.newPath ?? f.oldPath).sort()).toEqual([...meta.files].sort());
    for (const r of meta.renames ?? []) {
      const f = c.files.find((x) => x.newPath === r.to);
      expect(f).toMatchObject({ oldPath: r.from, status: 'renamed' });
    }
    for (const f of c.files) {
      for (const h of f.hunks) {
        expect(h.lines.filter((l) => l.kind !== '+').length).toBe(h.oldLines);
        expect(h.lines.filter((l) => l.kind !== '-').length).toBe(h.newLines);
      }
    }
  });
});

describe.skipIf(!existsSync(seedDir))('shared corpus seed mboxes', () => {
  it.each([
    ['skip-map-asymmetric.mbox', 2, true],
    ['skip-map-symmetric.mbox', 2, false],
    ['owner-skip.mbox', 1, false],
    ['owner-skip-revert.mbox', 1, false],
    ['notifier-skip.mbox', 1, false],
  ] as const)('%s', (name, commits, cover) => {
    const file = join(seedDir, name);
    const s = parsePatchInput(readFileSync(file, 'utf8'), file);
    expect(s.commits).toHaveLength(commits);
    expect(s.info.coverSubject !== null).toBe(cover);
    for (const c of s.commits) {
      expect(c.files.length).toBeGreaterThan(0);
      expect(c.trailers.some((t) => t.key === 'Signed-off-by')).toBe(true);
      expect(c.message.startsWith(`${c.subject}\n\n`)).toBe(true);
    }
  });
});
