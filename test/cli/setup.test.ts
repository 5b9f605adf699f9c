/**
 * Issue 19, items 6 to 9: set-up that tells the truth. The README's
 * snippets work as written (or are tested where they can be), the
 * conformance schemas are in the repository, `npm ci` has no install
 * script to warn about, and the Node version story holds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { BIN, REPO_ROOT } from '../support/cli.js';
import { RDJSON_SCHEMA_PATH, SARIF_SCHEMA_PATH } from '../report/helpers.js';

afterAll(cleanupTempDirs);

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};

describe('README snippets that work as written (item 6)', () => {
  it('names no owner, tag or published package that does not exist', () => {
    expect(README).not.toMatch(/OWNER\/pairlint/);
    expect(README).not.toMatch(/rev: v\d/);
    expect(README).not.toMatch(/npm install -g pairlint\b/);
    expect(README).not.toMatch(/`npx pairlint`[^.]*works/);
    expect(README).toContain('uses: ./.github/actions/pairlint');
  });

  it('`npm install -g .` puts a working `pairlint` on PATH from the clone', { timeout: 180_000 }, () => {
    expect(README).toContain('npm install -g .        # then: put `pairlint` on your PATH');
    const prefix = tempDir('pairlint-global-');
    const env = { ...process.env, npm_config_prefix: prefix, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const install = spawnSync('npm', ['install', '-g', '.'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const run = spawnSync(join(prefix, 'bin', 'pairlint'), ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` } });
    expect(run.stdout.trim()).toBe('0.1.0');
  });
});

describe('the schemas the tests need are in the repository (item 7)', () => {
  it('SARIF 2.1.0 and rdjson, with their notices, under test/schemas/', () => {
    expect(SARIF_SCHEMA_PATH.startsWith(join(REPO_ROOT, 'test', 'schemas'))).toBe(true);
    expect(existsSync(SARIF_SCHEMA_PATH)).toBe(true);
    expect(existsSync(RDJSON_SCHEMA_PATH)).toBe(true);
    expect(readFileSync(join(REPO_ROOT, 'test', 'schemas', 'rdjson', 'LICENSE'), 'utf8')).toMatch(/MIT License/);
    expect(readFileSync(join(REPO_ROOT, 'test', 'schemas', 'README.md'), 'utf8')).toMatch(/Copyright © OASIS Open/);
  });
});

describe('npm ci without install-script warnings (item 8)', () => {
  it('the dependencies with install scripts are denied in allowScripts, and the README says why', () => {
    expect(PKG.allowScripts).toEqual({ esbuild: false, 'tree-sitter-c': false });
    expect(README).toMatch(/`allowScripts`/);
    expect(README).not.toMatch(/about 20 s/);
  });
});

describe('Node versions (item 9)', () => {
  it('engines asks for Node 22 or newer; the README says which Node CI runs', () => {
    expect(PKG.engines.node).toBe('>=22');
    expect(README).toMatch(/## CI[\s\S]*Node 20/);
  });

  it("bin/pairlint.js turns on Node's compile cache where the running Node has it", () => {
    const probe = 'data:text/javascript,import m from "node:module"; m.enableCompileCache = () => process.stderr.write("compile cache on\\n");';
    const run = spawnSync(process.execPath, ['--import', probe, BIN, '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('compile cache on\n');
    // and where it has none (Node 20), it runs all the same
    const none = spawnSync(process.execPath, ['--import', 'data:text/javascript,import m from "node:module"; delete m.enableCompileCache;', BIN, '--version'], { encoding: 'utf8' });
    expect(none.status).toBe(0);
    expect(none.stdout.trim()).toBe('0.1.0');
  });
});
