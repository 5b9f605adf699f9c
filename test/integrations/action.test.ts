/**
 * The GitHub Action for real: `node dist/index.js` (the committed bundle,
 * copied to a temp dir with no node_modules anywhere above it) run as a child
 * process in the environment the runner gives a step: GITHUB_EVENT_NAME, an
 * event payload at GITHUB_EVENT_PATH, GITHUB_WORKSPACE (a temp repository
 * with base and head commits), GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and INPUT_*
 * (names upper-cased, dashes kept). The process starts in another temp dir,
 * so nothing depends on cwd being the repository.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, git, tempDir } from '../git/helpers.js';
import { REPO_ROOT } from '../support/cli.js';
import { ACTION_INPUTS, ACTION_OUTPUTS } from '../../src/action/run.js';
import { LISTENER, LISTENER_PATH, SKIP_IN_ADD, SKIP_MIRRORED, UNRELATED_EDIT, commitMessage, parseGithubOutput } from './helpers.js';

afterAll(cleanupTempDirs);

let bundle = '';
beforeAll(() => {
  const dist = join(REPO_ROOT, 'dist');
  if (!existsSync(join(dist, 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build:action`');
  const copy = join(tempDir('pairlint-action-'), 'dist');
  cpSync(dist, copy, { recursive: true });
  bundle = join(copy, 'index.js');
});

interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  /** $GITHUB_OUTPUT as the toolkit wrote it */
  outputFile: string;
  annotations: string[];
}

function runAction(options: {
  workspace: string;
  event: string;
  payload: unknown;
  inputs?: Record<string, string>;
  cwd?: string;
}): ActionRun {
  const dir = tempDir('pairlint-runner-');
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  const summaryPath = join(dir, 'summary.md');
  const outputPath = join(dir, 'output.txt');
  writeFileSync(summaryPath, '');
  writeFileSync(outputPath, '');
  const inputs = { 'fail-on': 'error', annotations: 'true', summary: 'true', ...options.inputs };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const res = spawnSync(process.execPath, [bundle], { cwd: options.cwd ?? dir, env, encoding: 'utf8' });
  return {
    code: res.status ?? -1,
    stdout: res.stdout,
    stderr: res.stderr,
    summary: readFileSync(summaryPath, 'utf8'),
    outputs: parseGithubOutput(readFileSync(outputPath, 'utf8')),
    outputFile: readFileSync(outputPath, 'utf8'),
    annotations: res.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l)),
  };
}

/** main: base; feature (from base): `head`; then main moves on, so base.sha is not the merge base. */
function pullRequest(headFiles: Record<string, string>) {
  const repo = TestRepo.create();
  const forkPoint = repo.commit(commitMessage('fx: base'), { [LISTENER_PATH]: LISTENER });
  repo.git('checkout', '-q', '-b', 'feature');
  const head = repo.commit(commitMessage('fx: skip the IOMMU map for flagged regions'), headFiles);
  repo.git('checkout', '-q', 'main');
  const base = repo.commit(commitMessage('docs: unrelated change on main'), { 'docs/notes.txt': 'notes\n' });
  const payload = { pull_request: { number: 7, base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'feature' } } };
  return { repo, forkPoint, base, head, payload };
}

// each test runs git and the Action as processes: on a loaded machine more than vitest's 5 s default
describe('GitHub Action (dist/index.js)', { timeout: 60_000 }, () => {
  it('pull_request with a one-sided skip: annotation, summary, outputs, SARIF, exit 1', () => {
    const pr = pullRequest({ [LISTENER_PATH]: SKIP_IN_ADD });
    const run = runAction({ workspace: pr.repo.dir, event: 'pull_request', payload: pr.payload, inputs: { 'sarif-file': 'out/pairlint.sarif' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`merge-base ${pr.forkPoint.slice(0, 12)}..head ${pr.head.slice(0, 12)}`);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]).toMatch(/^::error title=pairlint skip-asymmetry,file=hw\/fx\/listener\.c,line=58,endLine=60::fx_container_region_add\(\) now returns/);
    expect(run.annotations[0]).toContain('%0Aother side: hw/fx/listener.c:100');

    expect(run.summary).toMatch(/^## pairlint: 1 error/);
    expect(run.summary).toContain('`hw/fx/listener.c:58`');

    const sarifPath = join(pr.repo.dir, 'out/pairlint.sarif');
    expect(run.outputs).toEqual({ findings: '1', errors: '1', warnings: '0', 'sarif-file': sarifPath });
    // what @actions/core writes: each output as `name<<ghadelimiter_UUID`, the value, the delimiter again
    const heredoc = (name: string, value: string) =>
      new RegExp(`${name}<<(ghadelimiter_[0-9a-f-]{36})\\n${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n\\1\\n`);
    for (const [name, value] of Object.entries(run.outputs)) expect(run.outputFile).toMatch(heredoc(name, value));
    expect(run.outputFile.split('\n').filter((l) => l.includes('<<'))).toHaveLength(4);
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as {
      version: string;
      runs: { tool: { driver: { name: string } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.tool.driver.name).toBe('pairlint');
    expect(sarif.runs[0]?.results).toHaveLength(1);
    expect(sarif.runs[0]?.results[0]).toMatchObject({ ruleId: 'skip-asymmetry', level: 'error' });
    expect(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'hw/fx/listener.c' },
      region: { startLine: 58 },
    });
  });

  it('a commit-message finding: an annotation on the run (no file), the job summary, SARIF on a changed line', () => {
    const repo = TestRepo.create();
    const base = repo.commit(commitMessage('fx: base'), { [LISTENER_PATH]: LISTENER });
    const head = repo.commit(commitMessage('fx: add a comment', false), { [LISTENER_PATH]: UNRELATED_EDIT });
    const payload = { pull_request: { base: { sha: base }, head: { sha: head } } };
    const run = runAction({ workspace: repo.dir, event: 'pull_request', payload, inputs: { 'sarif-file': 'pairlint.sarif' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const sob = run.annotations.filter((a) => a.includes('signed-off-by'));
    expect(sob).toHaveLength(1);
    expect(sob[0]).toMatch(new RegExp(`^::error title=pairlint signed-off-by::commit message of fx: add a comment \\(${head.slice(0, 12)}\\), line \\d+: `));
    expect(run.stdout).not.toContain('COMMIT_MSG');
    expect(run.summary).toMatch(/\| \*\*error\*\* \| `signed-off-by` \| message line \d+ \|/);
    expect(run.summary).not.toContain('COMMIT_MSG');

    const sarif = JSON.parse(readFileSync(join(repo.dir, 'pairlint.sarif'), 'utf8'));
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'signed-off-by');
    const added = UNRELATED_EDIT.split('\n').indexOf('    /* map the section */') + 1;
    expect(result.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: LISTENER_PATH }, region: { startLine: added } });
    expect(result.message.text).toMatch(/^commit message of fx: add a comment/);
  });

  it('a symmetric change passes: no annotations, a clean summary, zero outputs', () => {
    const pr = pullRequest({ [LISTENER_PATH]: SKIP_MIRRORED });
    const run = runAction({ workspace: pr.repo.dir, event: 'pull_request', payload: pr.payload, cwd: pr.repo.dir });
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([]);
    expect(run.summary).toMatch(/pairlint/);
    expect(run.summary).not.toMatch(/skip-asymmetry/);
    expect(run.outputs).toEqual({ findings: '0', errors: '0', warnings: '0', 'sarif-file': '' });
  });

  it('fail-on decides the exit status; the config input (JSON) sets severities', () => {
    const pr = pullRequest({ [LISTENER_PATH]: SKIP_IN_ADD });
    const never = runAction({ workspace: pr.repo.dir, event: 'pull_request', payload: pr.payload, inputs: { 'fail-on': 'never' } });
    expect(never.code).toBe(0);
    expect(never.outputs.errors).toBe('1');
    expect(never.annotations).toHaveLength(1);

    writeFileSync(join(pr.repo.dir, 'ci-pairlint.json'), JSON.stringify({ rules: { 'skip-asymmetry': 'warning' } }));
    const asWarning = { workspace: pr.repo.dir, event: 'pull_request', payload: pr.payload };
    const onError = runAction({ ...asWarning, inputs: { config: 'ci-pairlint.json', 'fail-on': 'error' } });
    expect(onError.code).toBe(0);
    expect(onError.outputs).toMatchObject({ errors: '0', warnings: '1' });
    expect(onError.annotations[0]).toMatch(/^::warning title=pairlint skip-asymmetry,file=hw\/fx\/listener\.c,line=58/);
    const onWarning = runAction({ ...asWarning, inputs: { config: 'ci-pairlint.json', 'fail-on': 'warning' } });
    expect(onWarning.code).toBe(1);

    const bad = runAction({ ...asWarning, inputs: { 'fail-on': 'sometimes' } });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("::error title=pairlint::pairlint: input 'fail-on' must be one of error, warning, never, got 'sometimes'");
  });

  it('annotates at most 10 findings per level; the rest go to the summary with a line saying so', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`hw/fx/listener${String(i).padStart(2, '0')}.c`] = SKIP_IN_ADD;
    const repo = TestRepo.create();
    const base = repo.commit(commitMessage('fx: base'), Object.fromEntries(Object.keys(files).map((f) => [f, LISTENER])));
    const head = repo.commit(commitMessage('fx: skip the map everywhere'), files);
    const payload = { pull_request: { base: { sha: base }, head: { sha: head } } };

    const run = runAction({ workspace: repo.dir, event: 'pull_request', payload });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ findings: '12', errors: '12' });
    expect(run.annotations.filter((a) => a.startsWith('::error title=pairlint skip-asymmetry,file='))).toHaveLength(10);
    expect(run.stdout.match(/^pairlint: \(not annotated\) hw\/fx\/listener1[01]\.c:58: error: /gm)).toHaveLength(2);
    expect(run.summary).toMatch(/^## pairlint: 12 errors/);
    expect(run.summary).toContain('**pairlint:** 2 findings are not shown as annotations (GitHub shows at most 10 annotations of each level per step); the report above lists them all.');

    // without the Markdown report, the summary still gets the two that were not annotated
    const bare = runAction({ workspace: repo.dir, event: 'pull_request', payload, inputs: { summary: 'false' } });
    expect(bare.summary).not.toMatch(/^## pairlint/);
    expect(bare.summary).toContain('2 findings are not shown as annotations');
    expect(bare.summary).toContain('- `hw/fx/listener10.c:58` error: ');
    expect(bare.summary).toContain('- `hw/fx/listener11.c:58` error: ');
    expect(bare.summary).not.toContain('listener09.c');

    const quiet = runAction({ workspace: repo.dir, event: 'pull_request', payload, inputs: { annotations: 'false', summary: 'false' } });
    expect(quiet.annotations).toEqual([]);
    expect(quiet.summary).toBe('');
    expect(quiet.code).toBe(1);
  });

  it('a shallow checkout fails with a message asking for fetch-depth: 0', () => {
    const pr = pullRequest({ [LISTENER_PATH]: SKIP_IN_ADD });
    // what actions/checkout does by default: one commit, one branch
    const single = tempDir('pairlint-shallow-');
    git(single, ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${pr.repo.dir}`, '.']);
    const missing = runAction({ workspace: single, event: 'pull_request', payload: pr.payload });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain(`the pull request base commit ${pr.base.slice(0, 12)} is not in the clone`);
    expect(missing.stdout).toContain('set `fetch-depth: 0` on the actions/checkout step');
    expect(missing.outputs).toEqual({});

    // both tips fetched, but not the history between them: no merge base
    const tips = tempDir('pairlint-shallow-');
    git(tips, ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${pr.repo.dir}`, '.']);
    const noBase = runAction({ workspace: tips, event: 'pull_request', payload: pr.payload });
    expect(noBase.code).toBe(2);
    expect(noBase.stdout).toMatch(/::error title=pairlint::pairlint: no merge base of the pull request base \w+ and head \w+ in the clone: the history is too shallow; set `fetch-depth: 0`/);
  });

  it('push: before..after; a new branch lints its last commit and says so', () => {
    const repo = TestRepo.create();
    const before = repo.commit(commitMessage('fx: base'), { [LISTENER_PATH]: LISTENER });
    repo.commit(commitMessage('fx: skip the map'), { [LISTENER_PATH]: SKIP_IN_ADD });
    const after = repo.commit(commitMessage('fx: mirror the skip in region_del'), { [LISTENER_PATH]: SKIP_MIRRORED });

    const push = runAction({ workspace: repo.dir, event: 'push', payload: { before, after } });
    expect(push.stdout).toContain(`push: ${before.slice(0, 12)}..${after.slice(0, 12)}`);
    // the first commit of the push is broken on its own (bisection), whatever the rule calls it
    expect(Number(push.outputs.findings)).toBeGreaterThan(0);

    const fresh = runAction({ workspace: repo.dir, event: 'push', payload: { before: '0'.repeat(40), after } });
    expect(fresh.annotations[0]).toMatch(/^::notice title=pairlint::a new branch has no `before` commit to compare with, so pairlint linted only the last commit/);
    expect(fresh.code).toBe(0);
    expect(fresh.outputs.findings).toBe('0');
    expect(fresh.summary).toMatch(/1 commit/);

    const deleted = runAction({ workspace: repo.dir, event: 'push', payload: { before: after, after: '0'.repeat(40) } });
    expect(deleted.code).toBe(0);
    expect(deleted.outputs.findings).toBe('0');
  });

  it('the range input overrides the event; an event without commits needs it', () => {
    const pr = pullRequest({ [LISTENER_PATH]: SKIP_IN_ADD });
    const dispatch = runAction({ workspace: pr.repo.dir, event: 'workflow_dispatch', payload: {} });
    expect(dispatch.code).toBe(2);
    expect(dispatch.stdout).toContain("event 'workflow_dispatch' names no commits to compare: set the `range` input");
    const ranged = runAction({ workspace: pr.repo.dir, event: 'workflow_dispatch', payload: {}, inputs: { range: 'main..feature' } });
    expect(ranged.code).toBe(1);
    expect(ranged.outputs.errors).toBe('1');
  });

  it('the bundle is self-contained: dist/ holds the wasm files and no node_modules is involved', () => {
    const dir = join(bundle, '..');
    expect(readdirSync(dir).sort()).toEqual(['evidence-worker.js', 'index.js', 'package.json', 'tree-sitter-c.wasm', 'tree-sitter.wasm']);
    // (JSDoc comments of bundled packages name type files in `import('...')`: not code)
    const code = readFileSync(bundle, 'utf8')
      .split('\n')
      .filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l))
      .join('\n');
    const specifiers = [
      ...[...code.matchAll(/^import [^;]* from ["']([^"']+)["'];$/gm)].map((m) => m[1] as string),
      ...[...code.matchAll(/\b(?:require|import)\(["']([^"']+)["']\)/g)].map((m) => m[1] as string),
    ];
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !isBuiltin(s))).toEqual([]);
  });
});

describe('action.yml, the example workflow and the code agree', () => {
  /** The keys indented by two spaces under a top-level `name:` block of a YAML file. */
  const keysUnder = (yaml: string, block: string): string[] => {
    const at = yaml.search(new RegExp(`^${block}:\\s*$`, 'm'));
    if (at < 0) return [];
    const lines = yaml.slice(at).split('\n').slice(1);
    const end = lines.findIndex((l) => /^\S/.test(l));
    return (end < 0 ? lines : lines.slice(0, end)).map((l) => /^ {2}([\w-]+):/.exec(l)?.[1]).filter((k): k is string => k !== undefined);
  };
  const actionYml = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');

  it('declares the inputs and outputs the code reads and writes, and runs dist/index.js on node24', () => {
    expect(keysUnder(actionYml, 'inputs').sort()).toEqual([...ACTION_INPUTS].sort());
    expect(keysUnder(actionYml, 'outputs').sort()).toEqual([...ACTION_OUTPUTS].sort());
    expect(actionYml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js\n/m);
  });

  it('the example workflow uses only declared inputs and outputs, with full history and upload-sarif', () => {
    const wf = readFileSync(join(REPO_ROOT, 'examples/github-workflow.yml'), 'utf8');
    const step = /uses: \.\/\.github\/actions\/pairlint\n {8}with:\n((?: {10}.*\n)+)/.exec(wf);
    const used = [...(step?.[1] ?? '').matchAll(/^ {10}([\w-]+):/gm)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const k of used) expect(ACTION_INPUTS as readonly string[]).toContain(k);
    for (const m of wf.matchAll(/steps\.pairlint\.outputs\.([\w-]+)/g)) expect(ACTION_OUTPUTS as readonly string[]).toContain(m[1]);
    expect(wf).toContain('fetch-depth: 0');
    expect(wf).toContain('security-events: write');
    expect(wf).toMatch(/- if: >-\n\s+always\(\)[^\n]*\n[^\n]*\n\s+uses: github\/codeql-action\/upload-sarif@v3/);
  });
});
