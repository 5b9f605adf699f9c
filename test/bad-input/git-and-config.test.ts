/**
 * The bad-input matrix, revisions and config: unknown revisions, shallow
 * clones, invalid configs. One line, exit 2, never a silent pass.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, git, tempDir } from '../git/helpers.js';
import { runBin, runCli } from '../support/cli.js';
import { LISTENER, LISTENER_PATH, TRACE_EDIT, expectInputError, expectRead, listenerDiff, mail, makeTree, writeTemp } from './helpers.js';

afterAll(cleanupTempDirs);

describe('bad input: revisions', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.create();
    repo.commit('fx: base\n\nSigned-off-by: Ann Author <ann@example.org>', { [LISTENER_PATH]: LISTENER });
    for (let i = 1; i <= 4; i++) {
      repo.commit(`fx: step ${i}\n\nSigned-off-by: Ann Author <ann@example.org>`, { [LISTENER_PATH]: LISTENER + `/* step ${i} */\n` });
    }
  });

  it('an unknown revision, on either side of a range, or alone', async () => {
    expectInputError(await runCli(['-C', repo.dir, 'nosuchrev..HEAD']), /^pairlint: unknown revision 'nosuchrev' in range 'nosuchrev\.\.HEAD'$/m);
    expectInputError(await runCli(['-C', repo.dir, 'HEAD..nosuchrev']), /unknown revision 'nosuchrev' in range 'HEAD\.\.nosuchrev'$/m);
    expectInputError(await runCli(['-C', repo.dir, '--git', 'nosuchrev']), /unknown revision 'nosuchrev'$/m);
    expectInputError(await runCli(['-C', repo.dir, 'HEAD~99..HEAD']), /unknown revision 'HEAD~99'/);
    expectInputError(runBin(['-C', repo.dir, 'nosuchrev..HEAD']), /unknown revision 'nosuchrev'/);
  });

  it('a name that is neither a file nor a range', async () => {
    expectInputError(await runCli(['-C', repo.dir, 'no-such.patch']), /no-such\.patch: no such file, and not a revision range/);
  });

  it('a range in a shallow clone names fetch-depth', async () => {
    const clone = join(tempDir(), 'shallow');
    git(repo.dir, ['clone', '-q', '--depth', '2', `file://${repo.dir}`, clone]);
    // the base is not in the clone at all
    const missing = await runCli(['-C', clone, 'HEAD~3..HEAD']);
    expectInputError(missing, /unknown revision 'HEAD~3' in range 'HEAD~3\.\.HEAD': the history is too shallow/);
    expect(missing.stderr).toContain('fetch-depth: 0');
    expect(missing.stderr).toContain('git fetch --unshallow');
    // the range runs into the cut-off commit
    const boundary = await runCli(['-C', clone, '--git', 'HEAD~1']);
    expectInputError(boundary, /range 'HEAD~1' reaches the shallow-clone boundary at commit [0-9a-f]{12}: .*fetch-depth: 0/);
    expectInputError(runBin(['-C', clone, 'HEAD~3..HEAD']), /fetch-depth: 0/);
    // what the clone does have still works
    expectRead(await runCli(['-C', clone, 'HEAD~1..HEAD']));
  });

  it('a range outside any repository', async () => {
    expectInputError(await runCli(['-C', tempDir(), 'HEAD~1..HEAD']), /not a git repository/);
  });
});

describe('bad input: config', () => {
  const patch = () => writeTemp('trace.mbox', mail(listenerDiff(TRACE_EDIT)));
  const withConfig = (name: string, text: string) => runCli(['--tree', makeTree(), patch(), '--config', writeTemp(name, text)]);

  it('a config that is not JSON (truncated, JavaScript, empty)', async () => {
    expectInputError(await withConfig('cut.json', '{"rules": {'), /cut\.json: not valid JSON/);
    expectInputError(await withConfig('code.json', "module.exports = { rules: {} }"), /code\.json: not valid JSON/);
    expectInputError(await withConfig('empty.json', ''), /empty\.json: not valid JSON/);
    expectInputError(await runCli(['--tree', makeTree(), patch(), '--config', join(tempDir(), 'missing.json')]), /missing\.json: cannot read config/);
  });

  it('a key with a wrong type names the key', async () => {
    expectInputError(await withConfig('array.json', '{"rules": ["skip-asymmetry"]}'), /array\.json: "rules" must be an object, got an array/);
    expectInputError(await withConfig('sev.json', '{"rules": {"skip-asymmetry": "loud"}}'), /sev\.json: "rules\.skip-asymmetry" must be one of/);
    expectInputError(await withConfig('prim.json', '{"pairs": {"primitives": [{"acquire": "my_pin", "release": ["my_unpin"]}]}}'), /prim\.json: "pairs\.primitives\[0\]\.acquire" must be an array, got a string/);
    expectInputError(await withConfig('ign.json', '{"ignore": [{"rule": 5}]}'), /ign\.json: "ignore\[0\]\.rule" must be a non-empty string, got a number/);
    expectInputError(await withConfig('top.json', '[]'), /top\.json: .*must be an object, got an array/);
    expectInputError(runBin(['--tree', makeTree(), patch(), '--config', writeTemp('ext.json', '{"extends": 7}')]), /ext\.json: "extends"/);
  });

  it('a key nobody knows, and __proto__, are refused without touching any object', async () => {
    expectInputError(await withConfig('proto.json', '{"__proto__": {"polluted": true}}'), /proto\.json: "__proto__" is not a known key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expectInputError(await withConfig('unknown.json', '{"rulez": {}}'), /unknown\.json: "rulez" is not a known key/);
  });

  it('a .pairlint.json at the repository root is read; an invalid one stops the run', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { [LISTENER_PATH]: LISTENER, '.pairlint.json': '{"rules": {"skip-asymmetry": 3}}' });
    repo.commit('edit\n\nSigned-off-by: Ann Author <ann@example.org>', { [LISTENER_PATH]: TRACE_EDIT });
    expectInputError(await runCli(['-C', repo.dir, 'HEAD~1..HEAD']), /\.pairlint\.json: "rules\.skip-asymmetry" must be one of/);
  });
});

describe('bad input: outputs that cannot be written', () => {
  it('-o into a missing directory or onto a directory: one line, exit 2', async () => {
    const patch = writeTemp('trace.mbox', mail(listenerDiff(TRACE_EDIT)));
    expectInputError(await runCli(['--tree', makeTree(), patch, '-o', join(tempDir(), 'no', 'such', 'out.txt')]), /-o .*out\.txt: cannot write the report \(ENOENT\)$/m);
    expectInputError(await runCli(['--tree', makeTree(), patch, '-o', tempDir()]), /cannot write the report \(EISDIR\)$/m);
  });

  it('-o is relative to the working directory pairlint was started in', async () => {
    const cwd = tempDir();
    const run = await runCli(['--tree', makeTree(), writeTemp('trace.mbox', mail(listenerDiff(TRACE_EDIT))), '-o', 'report.txt'], { cwd });
    expectRead(run);
    expect(readFileSync(join(cwd, 'report.txt'), 'utf8')).toMatch(/in 1 commit \(1 C file checked\)/);
  });
});
