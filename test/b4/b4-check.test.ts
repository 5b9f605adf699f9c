/**
 * `pairlint b4-check` as `b4 review` runs it: the built CLI as a process, fed
 * each mail by b4 0.16's own consumer code (../shared/peers/b4/checks.py,
 * loaded in place by b4-consumer.py with python3), in a real checkout, with
 * and without a B4_TRACKING_FILE. The seed series and a real series of the
 * corpus are read from ../shared in place; those tests are skipped when it is
 * absent. Fixture repositories of our own cover the tracking context and bad
 * input without it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, git, tempDir } from '../git/helpers.js';
import { BIN, REPO_ROOT, runBin, runJson } from '../support/cli.js';
import { LISTENER, LISTENER_PATH, SKIP_IN_ADD, commitMessage } from '../integrations/helpers.js';
import { edit } from '../support/fixtures.js';

const SHARED = join(REPO_ROOT, '..', 'shared');
const CHECKS_PY = join(SHARED, 'peers', 'b4', 'checks.py');
const SEED = join(SHARED, 'corpus', 'seed');
const SERIES = join(SHARED, 'corpus', 'series', 'series-0f4fcb7b0265');
const CONSUMER = join(REPO_ROOT, 'test', 'b4', 'b4-consumer.py');
const python = spawnSync('python3', ['--version']).status === 0;
const shared = existsSync(CHECKS_PY) && existsSync(join(SEED, 'seed.bundle'));
if (!shared) console.warn(`b4 consumer tests skipped: ${CHECKS_PY} not found`);
if (!python) console.warn('b4 consumer tests skipped: no python3');

/** The line a maintainer writes: `review-perpatch-check-cmd = <this>`. */
const CMD = `${process.execPath} ${BIN} b4-check`;

afterAll(cleanupTempDirs);

interface B4Entry {
  tool: string;
  status: string;
  summary: string;
  url: string;
  details: string;
}

/** Run b4's consumer on mail files; returns what b4 would store per mail. */
function consume(topdir: string, mails: string[], opts: { series?: boolean; tracking?: string } = {}): Record<string, B4Entry[]> {
  const args = [CONSUMER, CHECKS_PY, topdir, CMD, ...(opts.series ? ['--series'] : []), ...(opts.tracking ? ['--tracking', opts.tracking] : []), ...mails];
  const out = execFileSync('python3', args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as Record<string, B4Entry[]>;
}

function splitMbox(mbox: string): string[] {
  const dir = tempDir('pairlint-b4-mails-');
  execFileSync('git', ['mailsplit', `-o${dir}`, mbox], { encoding: 'utf8' });
  return readdirSync(dir)
    .sort()
    .map((f) => join(dir, f));
}

/**
 * A review branch as b4 review leaves it: the series' commits on top of the
 * base, then an empty tracking commit; and the tracking file b4 would write.
 */
function reviewBranch(dir: string, changeId: string, base: string, from: string): string {
  git(dir, ['branch', '-f', `b4/review/${changeId}`, from]);
  git(dir, ['checkout', '-q', `b4/review/${changeId}`]);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'tracking commit']);
  git(dir, ['checkout', '-q', base]);
  const first = git(dir, ['rev-list', '--reverse', `${base}..${from}`]).split('\n')[0] as string;
  const file = join(tempDir('pairlint-b4-trk-'), 'tracking.json');
  const tip = git(dir, ['rev-parse', `b4/review/${changeId}`]).trim();
  writeFileSync(
    file,
    JSON.stringify({
      series: {
        'change-id': changeId,
        revision: 1,
        'base-commit': git(dir, ['rev-parse', base]).trim(),
        'first-patch-commit': first,
        'branch-tips': [{ date: '2026-01-01', branch: `b4/review/${changeId}`, sha: tip }],
      },
      followups: [],
      patches: [],
    }),
  );
  return file;
}

const only = (r: Record<string, B4Entry[]>, mail: string): B4Entry => {
  const entries = r[mail] ?? [];
  expect(entries).toHaveLength(1);
  return entries[0] as B4Entry;
};

describe.skipIf(!shared || !python)('b4 review consumer: the seed series', () => {
  const repo = tempDir('pairlint-b4-seed-');
  execFileSync('git', ['clone', '-q', join(SEED, 'seed.bundle'), repo]);
  const asym = splitMbox(join(SEED, 'skip-map-asymmetric.mbox'));
  const sym = splitMbox(join(SEED, 'skip-map-symmetric.mbox'));

  it('fails the asymmetric patch and passes the symmetric one, with no tracking data', () => {
    const r = consume(repo, [...asym.slice(1), ...sym]);
    const a1 = only(r, asym[1] as string);
    expect(a1).toMatchObject({ tool: 'pairlint', status: 'fail', url: '' });
    expect(a1.summary).toBe('1 error: skip-asymmetry in vfio_container_region_add() at hw/vfio/listener.c:617');
    expect(a1.summary).not.toContain('\n');
    // the text format with code frames
    expect(a1.details).toMatch(/^hw\/vfio\/listener\.c:617: error: .* \[skip-asymmetry\]$/m);
    expect(a1.details).toContain('  > 617 |     if (memory_region_skip_iommu_map(section->mr)) {');
    expect(a1.details).toMatch(/^Context: no tracking data/);
    expect(only(r, asym[2] as string)).toMatchObject({ status: 'pass', summary: 'no pair asymmetry (1 C file checked)' });
    for (const m of sym) expect(only(r, m).status).toBe('pass');
  }, 60_000);

  it('a per-series run on the cover letter reports nothing', () => {
    const r = consume(repo, [asym[0] as string], { series: true });
    expect(r[asym[0] as string]).toEqual([]);
  }, 60_000);

  it('with the tracking file: each patch is read at its parent on the review branch', () => {
    const tracking = reviewBranch(repo, 'skip-map', 'base', 'origin/skip-map-asymmetric');
    const r = consume(repo, asym.slice(1), { tracking });
    const a1 = only(r, asym[1] as string);
    const a2 = only(r, asym[2] as string);
    expect(a1.status).toBe('fail');
    expect(a2.status).toBe('pass');
    const base = git(repo, ['rev-parse', 'base']).trim().slice(0, 12);
    const first = git(repo, ['rev-parse', 'origin/skip-map-asymmetric~1']).trim().slice(0, 12);
    expect(a1.details).toContain(`on b4/review/skip-map; files were read at its parent ${base}, the base commit ${base} plus 0 earlier patches`);
    expect(a2.details).toContain(`files were read at its parent ${first}, the base commit ${base} plus 1 earlier patch of the series`);
  }, 60_000);
});

/** The corpus series as b4 review checks it out: base/ committed, each patch applied (C files) and committed. */
function seriesCheckout(): { dir: string; mails: string[]; tracking: string } {
  const dir = tempDir('pairlint-b4-series-');
  git(dir, ['init', '-q', '-b', 'master']);
  cpSync(join(SERIES, 'base'), dir, { recursive: true });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'base']);
  const mails = splitMbox(join(SERIES, 'patch.mbox'));
  git(dir, ['checkout', '-q', '-b', 'posted']);
  for (const mail of mails) {
    const info = tempDir('pairlint-b4-info-');
    const out = execFileSync('git', ['mailinfo', join(info, 'msg'), join(info, 'patch')], { input: readFileSync(mail), encoding: 'utf8' });
    const subject = /^Subject: (.*)$/m.exec(out)?.[1] ?? 'patch';
    git(dir, ['apply', '--include=*.c', '--include=*.h', join(info, 'patch')]);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', subject]);
  }
  git(dir, ['checkout', '-q', 'master']);
  return { dir, mails, tracking: reviewBranch(dir, 'shared-assignment', 'master', 'posted') };
}

describe.skipIf(!shared || !python || !existsSync(SERIES))('b4 review consumer: a real series of the corpus', () => {
  it('every patch gets one result b4 accepts, read at its parent, agreeing with the series run', async () => {
    const { dir, mails, tracking } = seriesCheckout();
    const r = consume(dir, mails, { tracking });
    const series = await runJson(['--tree', join(SERIES, 'base'), join(SERIES, 'patch.mbox')]);
    mails.forEach((mail, i) => {
      const entry = only(r, mail);
      expect(entry.tool).toBe('pairlint');
      expect(entry.details).toContain(`plus ${i} earlier patch${i === 1 ? '' : 'es'} of the series`);
      // per patch, b4-check must say what the series run says of that commit
      const mine = series.findings.filter((f) => f.commit?.index === i + 1);
      const worst = mine.some((f) => f.severity === 'error') ? 'fail' : mine.some((f) => f.severity === 'warning') ? 'warn' : 'pass';
      for (const f of mine) expect(entry.details).toContain(`${f.file}:${f.line}: ${f.severity}: `);
      expect(entry.status).toBe(worst);
    });
    expect(series.summary.commits).toBe(mails.length);
  }, 180_000);
});

describe('b4-check on fixture repositories', () => {
  /** base: the listener; commit 1 skips the map in region_add; commit 2 edits the lines commit 1 added. */
  function fixtureRepo() {
    const dir = tempDir('pairlint-b4-fx-');
    git(dir, ['init', '-q', '-b', 'master']);
    execFileSync('mkdir', ['-p', join(dir, 'hw/fx')]);
    writeFileSync(join(dir, LISTENER_PATH), LISTENER);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'base']);
    git(dir, ['checkout', '-q', '-b', 'series']);
    writeFileSync(join(dir, LISTENER_PATH), SKIP_IN_ADD);
    git(dir, ['commit', '-q', '-a', '-m', commitMessage('fx: skip the map for flagged regions')]);
    writeFileSync(join(dir, LISTENER_PATH), edit(SKIP_IN_ADD, '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;', '    if (memory_region_skip_iommu_map(section->mr)) {\n        /* flagged by the owner */\n        return;'));
    git(dir, ['commit', '-q', '-a', '-m', commitMessage('fx: say why the map is skipped')]);
    // the second patch as posted, with index lines this repository does not have
    const patch2 = git(dir, ['format-patch', '-1', '--stdout', 'series']).replace(/^index [0-9a-f]+\.\.[0-9a-f]+/m, 'index 1111111..2222222');
    git(dir, ['checkout', '-q', 'master']);
    return { dir, patch2 };
  }

  it('without tracking data the second patch cannot be read at HEAD: a fail result that says so, exit 2', () => {
    const { dir, patch2 } = fixtureRepo();
    const run = runBin(['b4-check'], { cwd: dir, input: patch2, env: { B4_TRACKING_FILE: '' } });
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout) as B4Entry[];
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ tool: 'pairlint', status: 'fail' });
    expect(out[0]!.summary).toMatch(/^pairlint could not check this patch: .*hw\/fx\/listener\.c/);
    expect(out[0]!.details).toMatch(/Context: no tracking data/);
    expect(run.stderr).toMatch(/^pairlint: .*\n$/);
  });

  it('with tracking data it is read at its parent on the review branch, and checked', () => {
    const { dir, patch2 } = fixtureRepo();
    const tracking = reviewBranch(dir, 'fx', 'master', 'series');
    const run = runBin(['b4-check', '--tool', 'pairs'], { cwd: dir, input: patch2, env: { B4_TRACKING_FILE: tracking } });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as B4Entry[];
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ tool: 'pairs', status: 'pass' });
    expect(out[0]!.details).toContain('plus 1 earlier patch of the series');
  });

  it('a tracking file that cannot be read is said in details, and HEAD is used', () => {
    const { dir } = fixtureRepo();
    const patch1 = git(dir, ['format-patch', '-1', '--stdout', 'series~1']);
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, '{not json');
    const run = runBin(['b4-check'], { cwd: dir, input: patch1, env: { B4_TRACKING_FILE: bad } });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as B4Entry[];
    expect(out[0]).toMatchObject({ status: 'fail', summary: expect.stringMatching(/^1 error: skip-asymmetry in fx_container_region_add\(\)/) });
    expect(out[0]!.details).toContain(`B4_TRACKING_FILE ${bad} could not be read`);
  });

  it('input that is not a patch is a fail result with the one-line error, exit 2; a cover letter is []', () => {
    const dir = tempDir();
    const bad = runBin(['b4-check'], { cwd: dir, input: 'hello\n' });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toEqual([
      expect.objectContaining({ tool: 'pairlint', status: 'fail', summary: 'pairlint could not check this patch: -: not a patch (no diff, mail or commit found)' }),
    ]);
    expect(bad.stderr).toBe('pairlint: -: not a patch (no diff, mail or commit found)\n');
    const cover = runBin(['b4-check'], { cwd: dir, input: 'From: A <a@example.org>\nSubject: [PATCH 0/2] fx: two things\n\nwords\n' });
    expect(cover).toMatchObject({ code: 0, stdout: '[]\n', stderr: '' });
  });
});
