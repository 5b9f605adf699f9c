/**
 * `npm run findings -- --save [DIR]` / `npm run findings -- --check [DIR]`:
 * proves that a speed change leaves the findings as they are. It runs
 * bin/pairlint.js (the CLI bundle, as users run it; `--bin FILE` for another
 * build) with `--format json` on the real data of ../shared/corpus:
 *
 *  - the hw/vfio history as one range, ROOT..master, of a clone of
 *    history/hw-vfio.bundle (cloned to a temporary directory);
 *  - the pairs history with a pathspec, `ROOT..master -- hw/vfio`, of a
 *    clone of history/qemu-pairs.bundle (context files for moves);
 *  - the real tree-wide series, `--tree perf/treewide-series/base patch.mbox`;
 *  - every case of series/, `--tree case/base case/patch.mbox`;
 *
 * and with --save writes each JSON report to DIR (default bench/findings,
 * outside git: the reports quote QEMU's code, which stays out of this
 * repository), or with --check compares each report byte for byte with the
 * one saved there and lists every difference (exit 1 when any differ).
 *
 * Options: --corpus DIR, --bin FILE, --jobs N (processes at once, default 2),
 * --cache DIR (run pairlint with `--cache --cache-location DIR`: a first
 * --check fills the cache, a second reads it),
 * --only history,pathspec,treewide,series (all four by default).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

interface Job {
  name: string;
  args: string[];
}

function runJson(bin: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((res, rej) => {
    // options first: a pathspec ends the arguments (`-- hw/vfio`)
    const p = spawn(process.execPath, [bin, '--format', 'json', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    p.on('error', rej);
    p.on('close', (code) => res({ code: code ?? -1, out: Buffer.concat(out).toString('utf8'), err }));
  });
}

/** Clone a bundle of history/ (the hw/vfio one by default) into a fresh temporary directory; returns it and the (oldest) root commit. */
export function cloneHistory(corpus: string, name = 'hw-vfio.bundle'): { dir: string; root: string } | null {
  const bundle = join(corpus, 'history', name);
  if (!existsSync(bundle)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-history-'));
  const c = spawnSync('git', ['clone', '-q', bundle, dir], { encoding: 'utf8' });
  if (c.status !== 0) throw new Error(`git clone ${bundle}: ${c.stderr}`);
  const roots = spawnSync('git', ['-C', dir, 'rev-list', '--max-parents=0', 'master'], { encoding: 'utf8' }).stdout.trim().split('\n');
  return { dir, root: roots[roots.length - 1] as string };
}

export function seriesCases(corpus: string): string[] {
  const dir = join(corpus, 'series');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'patch.mbox')))
    .sort()
    .map((d) => join(dir, d));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let mode: 'save' | 'check' | null = null;
  let dir = join(ROOT, 'bench', 'findings');
  let corpus = resolve(ROOT, '..', 'shared', 'corpus');
  let bin = join(ROOT, 'bin', 'pairlint.js');
  let jobs = 2;
  let only = new Set(['history', 'pathspec', 'treewide', 'series']);
  let extra: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--save' || a === '--check') {
      mode = a === '--save' ? 'save' : 'check';
      if (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('--')) dir = resolve(v());
    } else if (a === '--corpus') corpus = resolve(v());
    else if (a === '--bin') bin = resolve(v());
    else if (a === '--jobs') jobs = Math.max(1, Number(v()));
    else if (a === '--only') only = new Set(v().split(','));
    else if (a === '--cache') extra = ['--cache', '--cache-location', resolve(v())];
    else throw new Error(`unknown option ${a}`);
  }
  if (mode === null) throw new Error('say --save [DIR] or --check [DIR]');

  const list: Job[] = [];
  let history: { dir: string; root: string } | null = null;
  let pairs: { dir: string; root: string } | null = null;
  // the longest jobs first
  if (only.has('pathspec')) {
    pairs = cloneHistory(corpus, 'qemu-pairs.bundle');
    if (pairs) list.push({ name: 'history-pairs-pathspec-hw-vfio', args: ['-C', pairs.dir, `${pairs.root}..master`, '--', 'hw/vfio'] });
    else process.stderr.write(`findings: no qemu-pairs bundle under ${corpus}\n`);
  }
  const treewide = join(corpus, 'perf', 'treewide-series');
  if (only.has('treewide') && existsSync(join(treewide, 'patch.mbox'))) {
    list.push({ name: 'treewide-series', args: ['--tree', join(treewide, 'base'), join(treewide, 'patch.mbox')] });
  }
  if (only.has('history')) {
    history = cloneHistory(corpus);
    if (history) list.push({ name: 'history-hw-vfio', args: ['-C', history.dir, `${history.root}..master`] });
    else process.stderr.write(`findings: no history bundle under ${corpus}\n`);
  }
  if (only.has('series')) {
    for (const c of seriesCases(corpus)) {
      list.push({ name: c.slice(c.lastIndexOf('/') + 1), args: ['--tree', join(c, 'base'), join(c, 'patch.mbox')] });
    }
  }
  if (mode === 'save') mkdirSync(dir, { recursive: true });

  const differ: string[] = [];
  const missing: string[] = [];
  const failed: string[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < list.length) {
      const job = list[next++] as Job;
      const r = await runJson(bin, [...extra, ...job.args]);
      // exit 0 or 1 (findings) are reports; 2 is an error, which a snapshot records too
      const text = r.code === 2 ? `exit 2\n${r.err}` : r.out;
      if (r.code === 2) failed.push(job.name);
      const file = join(dir, `${job.name}.json`);
      if (mode === 'save') writeFileSync(file, text);
      else if (!existsSync(file)) missing.push(job.name);
      else if (readFileSync(file, 'utf8') !== text) differ.push(job.name);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, list.length) }, worker));
  } finally {
    if (history) rmSync(history.dir, { recursive: true, force: true });
    if (pairs) rmSync(pairs.dir, { recursive: true, force: true });
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (failed.length) process.stderr.write(`findings: exit 2 on ${failed.join(', ')}\n`);
  if (mode === 'save') {
    process.stdout.write(`findings: saved ${list.length} reports to ${dir} (${secs} s)\n`);
    return;
  }
  if (missing.length) process.stdout.write(`findings: not in the snapshot: ${missing.join(', ')}\n`);
  if (differ.length) process.stdout.write(`findings: DIFFERENT from the snapshot: ${differ.join(', ')}\n`);
  process.stdout.write(
    differ.length || missing.length
      ? `findings: ${differ.length + missing.length} of ${list.length} reports differ from ${dir}\n`
      : `findings: all ${list.length} reports byte-identical to ${dir} (${secs} s)\n`,
  );
  if (differ.length || missing.length) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`findings: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 2;
  });
}
