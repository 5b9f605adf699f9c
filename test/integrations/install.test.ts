/**
 * The published package, installed for real: `npm pack` this repository
 * (already built by `npm test`), install the tarball into a temporary prefix
 * with `--ignore-scripts`, and run the installed `pairlint` on the example
 * patch and on a small git range. The grammar's wasm ships in the package,
 * so nothing needs an install script: `tree-sitter-c` (whose install script
 * builds a native addon) is a devDependency and must not be installed.
 *
 * The runtime dependencies come from npm's cache (`--offline`, which `npm ci`
 * filled); if the cache lacks one, the install is retried with
 * `--prefer-offline`, which may ask the registry.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { REPO_ROOT } from '../support/cli.js';
import { LISTENER, LISTENER_PATH, SKIP_IN_ADD, commitMessage } from './helpers.js';

afterAll(cleanupTempDirs);

/** The environment without npm's own lifecycle settings (npm test sets npm_config_* for its child processes). */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !/^npm_config_(cache|userconfig|registry)$/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: 240_000 });
}

function ok(res: SpawnSyncReturns<string>, what: string): string {
  if (res.status !== 0) throw new Error(`${what} failed (${res.status}): ${res.stderr || res.error?.message}`);
  return res.stdout;
}

let prefix = '';
let bin = '';
let pkgDir = '';

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'build', 'cli', 'pairlint.js'))) throw new Error('build/ is missing: run `npm run build`');
  const work = tempDir('pairlint-install-');
  // --ignore-scripts: build/ is already built, and `prepare` must not rebuild it under the other tests
  const packed = ok(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO_ROOT), 'npm pack');
  const [pack] = JSON.parse(packed) as { filename: string }[];
  if (!pack) throw new Error(`npm pack printed no tarball: ${packed}`);
  const tarball = join(work, pack.filename);
  prefix = join(work, 'prefix');
  const install = (mode: string) =>
    npm(['install', '--global', '--prefix', prefix, '--ignore-scripts', mode, '--no-audit', '--no-fund', tarball], work);
  let res = install('--offline');
  if (res.status !== 0) res = install('--prefer-offline');
  ok(res, 'npm install of the tarball');
  bin = join(prefix, 'bin', 'pairlint');
  pkgDir = join(prefix, 'lib', 'node_modules', 'pairlint');
}, 300_000);

function run(args: string[], cwd: string) {
  const res = spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...npmEnv(), NO_COLOR: '1' } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('npm install of the packed tarball, with --ignore-scripts', () => {
  it('installs the grammar wasm with the package, and no tree-sitter-c', () => {
    expect(existsSync(bin)).toBe(true);
    expect(existsSync(join(pkgDir, 'build', 'cli', 'tree-sitter-c.wasm'))).toBe(true);
    expect(existsSync(join(pkgDir, 'build', 'src', 'cmodel', 'tree-sitter-c.wasm'))).toBe(true);
    const installed = readdirSync(join(pkgDir, 'node_modules'));
    expect(installed).not.toContain('tree-sitter-c');
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain('tree-sitter-c');
    expect(Object.keys(manifest.dependencies)).toContain('parse-diff');
  });

  it('no installed package has an install script (a plain install would run none)', () => {
    const scripts: string[] = [];
    const visit = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        if (name.startsWith('@')) {
          visit(join(dir, name));
          continue;
        }
        const manifest = join(dir, name, 'package.json');
        if (!existsSync(manifest)) continue;
        const s = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
        for (const k of ['preinstall', 'install', 'postinstall']) if (s[k]) scripts.push(`${name}: ${k}`);
        if (existsSync(join(dir, name, 'binding.gyp'))) scripts.push(`${name}: binding.gyp`);
        visit(join(dir, name, 'node_modules'));
      }
    };
    visit(join(pkgDir, 'node_modules'));
    expect(scripts).toEqual([]);
  });

  it('the installed pairlint finds the skip in the example patch', () => {
    const r = run(['--tree', join(REPO_ROOT, 'examples', 'tree'), join(REPO_ROOT, 'examples', 'skip-unmap.patch')], tempDir('pairlint-cwd-'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error: .*\[skip-asymmetry\]/);
  });

  it('the installed pairlint finds the skip in a git range', () => {
    const repo = TestRepo.create();
    const base = repo.commit(commitMessage('fx: base'), { [LISTENER_PATH]: LISTENER });
    const head = repo.commit(commitMessage('fx: skip the IOMMU map for flagged regions'), { [LISTENER_PATH]: SKIP_IN_ADD });
    const r = run([`${base}..${head}`, '-C', repo.dir, '--format', 'json'], tempDir('pairlint-cwd-'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[] };
    expect(report.findings.map((f) => [f.ruleId, f.file])).toContainEqual(['skip-asymmetry', LISTENER_PATH]);
  });
});
