/**
 * dist/ is committed (a GitHub Action runs it without installing anything),
 * so it must match the sources: rebuild into a temp dir and compare bytes.
 * The build is deterministic; a difference means someone changed src/ (or a
 * dependency) without running `npm run build:action`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { REPO_ROOT } from '../support/cli.js';

afterAll(cleanupTempDirs);

function build(out: string): void {
  const res = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build-action.mjs'), out], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`build-action failed (${res.status}): ${res.stderr}`);
}

describe('dist/ (the GitHub Action bundle)', () => {
  it('is up to date with the sources (else run `npm run build:action`)', { timeout: 60_000 }, () => {
    const fresh = tempDir('pairlint-dist-');
    build(fresh);
    const dist = join(REPO_ROOT, 'dist');
    const files = readdirSync(fresh).sort();
    expect(files).toEqual(['evidence-worker.js', 'index.js', 'package.json', 'tree-sitter-c.wasm', 'tree-sitter.wasm']);
    expect(readdirSync(dist).sort(), 'dist/ holds exactly what the build writes').toEqual(files);
    const stale = files.filter((f) => !existsSync(join(dist, f)) || !readFileSync(join(dist, f)).equals(readFileSync(join(fresh, f))));
    expect(stale, 'dist/ is stale: run `npm run build:action` and commit dist/').toEqual([]);
  });

  it('builds deterministically', { timeout: 60_000 }, () => {
    const a = tempDir('pairlint-dist-');
    const b = tempDir('pairlint-dist-');
    build(a);
    build(b);
    for (const f of readdirSync(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });
});
