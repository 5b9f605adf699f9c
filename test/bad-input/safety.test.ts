/**
 * Safety: git is spawned with argument arrays only (never a shell); no
 * revision, path or pathspec a user or a patch supplies can become a git
 * option; the CLI leaves no temp files behind; config is JSON data, never code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { REPO_ROOT, runBin, runCli } from '../support/cli.js';
import { LISTENER, LISTENER_PATH, SKIP_EDIT, TRACE_EDIT, expectInputError, expectRead, listenerDiff, mail, makeTree, writeTemp } from './helpers.js';

afterAll(cleanupTempDirs);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('git runs without a shell', () => {
  const files = ['src', 'rules', 'bin'].flatMap((d) => sourceFiles(join(REPO_ROOT, d)));

  it('no shell: true, no exec*/fork/spawnSync anywhere in the shipped code', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const where = relative(REPO_ROOT, file);
      expect(text, where).not.toMatch(/shell\s*:\s*(true|['"`])/);
      expect(text, where).not.toMatch(/\b(execSync|execFileSync|execFile|spawnSync|fork)\s*\(/);
      expect(text, where).not.toMatch(/(^|[^.\w])exec\s*\(/m);
      expect(text, where).not.toMatch(/require\(\s*['"](node:)?child_process['"]\s*\)/);
    }
  });

  it('child_process is imported in one place, for spawn, with shell: false', () => {
    const importers = files.filter((f) => /from ['"](node:)?child_process['"]/.test(readFileSync(f, 'utf8')));
    for (const file of importers) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+['"](?:node:)?child_process['"]/g)) {
        if (m[1]) continue; // types only
        const names = (m[2] as string).split(',').map((n) => n.trim()).filter((n) => n !== '' && !n.startsWith('type '));
        expect(names, relative(REPO_ROOT, file)).toEqual(['spawn']);
      }
    }
    const run = readFileSync(join(REPO_ROOT, 'src', 'git', 'run.ts'), 'utf8');
    expect(run).toMatch(/spawn\('git', full, \{[^}]*shell: false,?\s*\}\)/s);
  });
});

describe('nothing a user or a patch writes becomes a git option', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.create();
    repo.commit('base\n\nSigned-off-by: Ann Author <ann@example.org>', { [LISTENER_PATH]: LISTENER });
    repo.commit('trace\n\nSigned-off-by: Ann Author <ann@example.org>', { [LISTENER_PATH]: TRACE_EDIT });
  });

  /** files in the repository's work tree and in `extra`, to prove no option wrote one */
  const snapshot = (dirs: string[]) => dirs.flatMap((d) => readdirSync(d).map((n) => join(d, n))).sort();

  it('a range after -- is a pathspec, never an option', async () => {
    const sink = tempDir();
    const before = snapshot([repo.dir, sink]);
    expectInputError(await runCli(['--', `--output=${join(sink, 'x')}..HEAD`], { cwd: repo.dir }), /no input/);
    // with a range before it, `--output=...` reaches git after its own `--`: a path that matches nothing
    const run = await runCli(['-C', repo.dir, 'HEAD~1..HEAD', '--', `--output=${join(sink, 'pwned')}`]);
    expectRead(run);
    expect(snapshot([repo.dir, sink])).toEqual(before);
  });

  it('a range that starts with - is refused, on either side', async () => {
    const sink = tempDir();
    expectInputError(await runCli(['-C', repo.dir, '--upload-pack=x..HEAD']), /^pairlint: unknown option '--upload-pack=x\.\.HEAD'$/m);
    expectInputError(await runCli(['-C', repo.dir, '--git', `--output=${join(sink, 'a')}..HEAD`]), /unknown revision '--output=.*' in range/);
    expectInputError(await runCli(['-C', repo.dir, `HEAD~1..--output=${join(sink, 'b')}`]), /unknown revision '--output=.*' in range/);
    expectInputError(await runCli(['-C', repo.dir, '--git', '--exec-path=/tmp']), /unknown revision '--exec-path=\/tmp'/);
    expectInputError(runBin(['-C', repo.dir, '--upload-pack=x..HEAD']), /unknown option/);
    expect(readdirSync(sink)).toEqual([]);
  });

  it('-C and --tree values that start with - are directories, not options', async () => {
    expectInputError(await runCli(['-C', '--upload-pack=x', 'HEAD~1..HEAD'], { cwd: tempDir() }), /-C --upload-pack=x: no such directory/);
    const cwd = tempDir();
    mkdirSync(join(cwd, '--exec-path=x'));
    expectInputError(await runCli(['-C', '--exec-path=x', 'HEAD~1..HEAD'], { cwd }), /not a git repository/);
  });

  it('patch paths and blob ids that look like options or smuggle a newline reach git as data', async () => {
    const tree = makeTree({ '-rf.c': LISTENER });
    const diff = listenerDiff(SKIP_EDIT, LISTENER, '-rf.c');
    expectRead(await runCli(['--tree', tree, writeTemp('dash.mbox', mail(diff))]));
    // inside a repository the pre-image is asked of `git cat-file --batch` on its stdin
    const inRepo = TestRepo.create();
    inRepo.commit('base', { '--output=x.c': LISTENER });
    const dashed = listenerDiff(SKIP_EDIT, LISTENER, '--output=x.c').replace(/^index [0-9a-f]+\.\./m, 'index --batch-all-objects..');
    const report = await runCli([writeTemp('dash2.mbox', mail(dashed)), '--format', 'json'], { cwd: inRepo.dir });
    expectRead(report);
    expect(existsSync(join(inRepo.dir, 'x.c'))).toBe(false);
    // a quoted path with a newline cannot split one cat-file request into two
    const nl = `diff --git "a/a\\nHEAD:b.c" "b/a\\nHEAD:b.c"\n--- "a/a\\nHEAD:b.c"\n+++ "b/a\\nHEAD:b.c"\n@@ -1 +1 @@\n-int a;\n+int b;\n`;
    // (and the one-line error shows the newline escaped rather than cutting the message)
    expectInputError(await runCli([writeTemp('nl.patch', nl)], { cwd: inRepo.dir }), /^pairlint: a\\nHEAD:b\.c: not found at HEAD in .* \(the patch modifies it/m);
  });
});

describe('no temp files', () => {
  it('patch, range and staged runs leave TMPDIR as they found it', () => {
    const tmp = tempDir('pairlint-tmpdir-');
    const env = { TMPDIR: tmp, TEMP: tmp, TMP: tmp };
    const repo = TestRepo.create();
    repo.commit('base', { [LISTENER_PATH]: LISTENER });
    repo.commit('skip\n\nSigned-off-by: Ann Author <ann@example.org>', { [LISTENER_PATH]: SKIP_EDIT });
    writeFileSync(join(repo.dir, LISTENER_PATH), TRACE_EDIT);
    repo.git('add', '-A');
    const patch = writeTemp('skip.mbox', mail(listenerDiff(SKIP_EDIT)));
    for (const args of [['--tree', makeTree(), patch], ['-C', repo.dir, 'HEAD~1..HEAD'], ['-C', repo.dir, '--staged'], [patch, '-C', repo.dir]]) {
      const run = runBin(args, { env, cwd: repo.dir });
      expect(run.stderr, args.join(' ')).toBe('');
      expect([0, 1]).toContain(run.code);
    }
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('config is JSON data, never code', () => {
  it('a .pairlint.js (or .cjs, .mjs) at the root is never loaded', async () => {
    const repo = TestRepo.create();
    const marker = join(tempDir(), 'executed');
    const code = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { rules: { 'skip-asymmetry': 'off' } };\n`;
    repo.commit('base', {
      [LISTENER_PATH]: LISTENER,
      '.pairlint.js': code,
      '.pairlint.cjs': code,
      '.pairlint.mjs': `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x'); export default {};\n`,
    });
    repo.commit('skip\n\nSigned-off-by: Ann Author <ann@example.org>', { [LISTENER_PATH]: SKIP_EDIT });
    const run = await runCli(['-C', repo.dir, 'HEAD~1..HEAD', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('skip-asymmetry');
    expect(existsSync(marker)).toBe(false);
  });

  it('--config with JavaScript in it is an error, and the code does not run', async () => {
    const marker = join(tempDir(), 'executed');
    const js = writeTemp('evil.js', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = {};\n`);
    expectInputError(await runCli(['--tree', makeTree(), writeTemp('t.mbox', mail(listenerDiff(TRACE_EDIT))), '--config', js]), /evil\.js: not valid JSON/);
    expect(existsSync(marker)).toBe(false);
  });
});
