/**
 * `npm run bench [-- options]`: how fast pairlint is, measured (never
 * asserted). Workloads:
 *
 *  a) corpus: every case of ../shared/corpus/cases, `--tree case/base
 *     case/patch.mbox`, in-process through main() with captured output;
 *  b) history: a generated repository (scripts/bench-repo.ts: QEMU-shaped
 *     listener files, N commits editing pair sides) linted as a range,
 *     `pairlint <root>..HEAD -C repo --format json`, as a child process
 *     (bin/pairlint.js for wall and CPU; scripts/bench-child.ts, the CLI's
 *     modules, for per-commit times and peak RSS); the floor is `git log
 *     -p` printing the same range in the same run;
 *  c) one typical patch end to end as a whole process: `node bin/pairlint.js
 *     --staged` in a repository with a staged change, and the README's
 *     example patch, each repeated for a median; the floor is `node -e 0`.
 *
 * Real data, each beside QEMU's checkpatch.pl (../shared/peers) on the same
 * input in the same run (a ratio holds on a shared machine):
 *
 *  h) the hw/vfio history (../shared/corpus/history/hw-vfio.bundle, cloned
 *     to a temporary directory) as one range ROOT..master, and its last 100
 *     commits: `pairlint -C repo RANGE --format json` beside `checkpatch.pl
 *     --no-tree -q --branch RANGE` and `git log -p`;
 *  s) every case of ../shared/corpus/series end to end as a process,
 *     `--tree case/base case/patch.mbox`, beside `checkpatch.pl --no-tree -q
 *     patch.mbox`: median and p95 per series and per patch, and the largest
 *     case alone;
 *  t) the real tree-wide series ../shared/corpus/perf/treewide-series (28
 *     patches, 1,679 files, include moves): `--tree base patch.mbox` beside
 *     `checkpatch.pl --no-tree -q patch.mbox`, and in range mode through a
 *     repository built at bench time in a temporary directory (base
 *     committed, the patches applied with `git am`; the 13 non-C files the
 *     base lacks are left out with --exclude), `BASE..HEAD` beside
 *     `checkpatch.pl --branch` and `git log -p`;
 *  p) a history with a pathspec: the pairs bundle
 *     (../shared/corpus/history/qemu-pairs.bundle, cloned to a temporary
 *     directory) as `ROOT..master -- hw/vfio` (--pathspec), which reads the
 *     commits' other C files as context for moves, beside checkpatch.pl on
 *     the same commits' patches (`git show --patch-with-stat` of each, as
 *     --branch reads them, written to files first: checkpatch's --branch
 *     takes no pathspec) and `git log -p --full-diff` of the same range;
 *  w) the pairs history as a whole, `ROOT..master` (6,908 commits), beside
 *     `checkpatch.pl --branch` and `git log -p`;
 *  g) scale test only (generated, not representative of real tree-wide
 *     work): --tw-commits commits (25) that each move a header, changing an
 *     #include line in 80% of --tw-files (400) generated C files of
 *     --tw-lines (3,000) lines, as a range.
 *
 * Peak RSS of h, s, t, p, w, g is GNU time's of the pairlint process.
 * --before FILE times another build's bin/pairlint.js beside this one on
 * each of them; --cache times this build also with a model cache on disk
 * (`--cache --cache-location`), cold (a new, empty cache) and warm (the
 * run right after, reading what the cold one wrote).
 *
 * Prints a table and writes bench/results.json.
 *
 * Options: --corpus DIR, --commits N (1000), --runs N (20), --only
 * a,b,c,h,s,t,p,w,g (default a,b,c,h,s,t,p: w and g take minutes), --before
 * FILE, --cache, --series N (only the first N series cases), --pathspec P (hw/vfio),
 * --tw-files N, --tw-lines N, --tw-commits N,
 * --slices N,N (extra range lengths for the memory check; default 100,300),
 * --keep (keep the generated repository), --out FILE.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { DIFF_ARGS, GIT_CONFIG_ARGS } from '../src/git/run.js';
import { baseFiles, editCommit, generateRepo, git, gitEnv, makeFile, prng, renderFile } from './bench-repo.js';
import { cloneHistory, seriesCases } from './findings-snapshot.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const BIN = join(ROOT, 'bin', 'pairlint.js');
const CHILD = join(ROOT, 'build', 'scripts', 'bench-child.js');

interface Options {
  corpus: string;
  commits: number;
  runs: number;
  only: Set<string>;
  slices: number[];
  keep: boolean;
  out: string;
  /** another pairlint launcher (bin/pairlint.js of an older build) timed beside this one */
  before: string | null;
  /** s): only the first N series cases (0: all) */
  seriesLimit: number;
  twFiles: number;
  twLines: number;
  twCommits: number;
  /** p): the pathspec of the pairs history */
  pathspec: string[];
  /** time this build with a cold and a warm model cache too (h, s, t, p, w, g) */
  cache: boolean;
}

const USAGE = `usage: npm run bench -- [options]
  --only LIST        workloads, comma-separated (default a,b,c,h,s,t,p; also w, g, m)
  --before LAUNCHER  another build's bin/pairlint.js, timed beside this one
  --cache            time this build with a cold and a warm model cache too
  --corpus DIR       ../shared/corpus by default
  --commits N --runs N --slices N,N --series N --keep --out FILE
  --tw-files N --tw-lines N --tw-commits N --pathspec P,P
`;

/** A bad command line: one line on stderr and exit status 2, no stack. */
class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    corpus: resolve(ROOT, '..', 'shared', 'corpus'),
    commits: 1000,
    runs: 20,
    only: new Set(['a', 'b', 'c', 'h', 's', 't', 'p']),
    slices: [100, 300],
    keep: false,
    out: join(ROOT, 'bench', 'results.json'),
    before: null,
    seriesLimit: 0,
    twFiles: 400,
    twLines: 3000,
    twCommits: 25,
    pathspec: ['hw/vfio'],
    cache: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new UsageError(`${a} needs a value`);
      return x;
    };
    if (a === '--corpus') o.corpus = resolve(v());
    else if (a === '--commits') o.commits = Number(v());
    else if (a === '--runs') o.runs = Number(v());
    else if (a === '--only') o.only = new Set(v().split(','));
    else if (a === '--slices') o.slices = v().split(',').filter(Boolean).map(Number);
    else if (a === '--keep') o.keep = true;
    else if (a === '--out') o.out = resolve(v());
    else if (a === '--before') o.before = resolve(v());
    else if (a === '--series') o.seriesLimit = Number(v());
    else if (a === '--tw-files') o.twFiles = Number(v());
    else if (a === '--tw-lines') o.twLines = Number(v());
    else if (a === '--tw-commits') o.twCommits = Number(v());
    else if (a === '--pathspec') o.pathspec = v().split(',').filter(Boolean);
    else if (a === '--cache') o.cache = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown option ${a} (see --help)`);
  }
  return o;
}

// ---------------------------------------------------------------- statistics

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  // nearest rank
  const rank = Math.max(1, Math.ceil(q * s.length));
  return s[rank - 1] as number;
}
const median = (xs: number[]) => quantile(xs, 0.5);
const p95 = (xs: number[]) => quantile(xs, 0.95);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mib = (kib: number) => kib / 1024;

interface Row {
  workload: string;
  items: number;
  unit: string;
  wallMs: number;
  /** CPU time (user + system) of the process tree: pairlint and the git it ran; null where unknown */
  cpuMs: number | null;
  perSecond: number;
  medianMs: number;
  p95Ms: number;
  peakRssMiB: number;
  floorMs: number | null;
  floorCpuMs: number | null;
  floorWhat: string | null;
  ratio: number | null;
  cpuRatio: number | null;
  /** real-data rows: checkpatch.pl's time on the same input in the same run (median per series for s) */
  checkpatchMs?: number;
  checkpatchRatio?: number;
  extra?: Record<string, unknown>;
}

// ---------------------------------------------------------------- helpers

let clockTicks: number | null = null;

/**
 * CPU milliseconds used so far by the children this process has waited for
 * (and their own waited children): cutime + cstime of /proc/self/stat. Linux
 * only; null elsewhere. The difference around one child run is the CPU of
 * that child's process tree, which holds up when other work shares the machine.
 */
function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): cutime and cstime are fields 16 and 17
    const ticks = Number(fields[13]) + Number(fields[14]);
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return Number.isFinite(ticks) ? (ticks * 1000) / clockTicks : null;
  } catch {
    return null;
  }
}

function cpuDelta(before: number | null): number | null {
  const after = childrenCpuMs();
  return before === null || after === null ? null : after - before;
}

function runChild(args: string[], cwd: string): Promise<{ code: number; ms: number; cpuMs: number | null; stdoutBytes: number; stderr: string; child: ChildStats }> {
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-bench-out-'));
  const outFile = join(dir, 'stats.json');
  return new Promise((res, rej) => {
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const p = spawn(process.execPath, [CHILD, ...args], {
      cwd,
      env: { ...gitEnv(), PAIRLINT_BENCH_OUT: outFile, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let bytes = 0;
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (bytes += b.length));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    p.on('error', rej);
    p.on('close', (code) => {
      const ms = performance.now() - t0;
      const cpuMs = cpuDelta(cpu0);
      let child: ChildStats = { maxRSS: 0, commitTimes: [], ms };
      try {
        child = JSON.parse(readFileSync(outFile, 'utf8')) as ChildStats;
      } catch {
        /* the child died before writing */
      }
      rmSync(dir, { recursive: true, force: true });
      res({ code: code ?? -1, ms, cpuMs, stdoutBytes: bytes, stderr, child });
    });
  });
}

interface ChildStats {
  maxRSS: number;
  commitTimes: number[];
  ms: number;
}

/** Time a process that writes to a pipe we drain (as pairlint reads git). */
function timeProcess(cmd: string, args: string[], cwd: string): Promise<{ ms: number; cpuMs: number | null; bytes: number; code: number }> {
  return new Promise((res, rej) => {
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    let bytes = 0;
    p.stdout.on('data', (b: Buffer) => (bytes += b.length));
    p.on('error', rej);
    p.on('close', (code) => res({ ms: performance.now() - t0, cpuMs: cpuDelta(cpu0), bytes, code: code ?? -1 }));
  });
}

function log(s: string): void {
  process.stderr.write(s + '\n');
}

// ---------------------------------------------------------------- workloads

async function corpusWorkload(o: Options): Promise<Row | null> {
  const dir = join(o.corpus, 'cases');
  if (!existsSync(dir)) {
    log(`a) skipped: no corpus at ${o.corpus}`);
    return null;
  }
  const ids = readdirSync(dir).filter((d) => existsSync(join(dir, d, 'patch.mbox'))).sort();
  const run = async (id: string) => {
    let out = '';
    let err = '';
    const t0 = performance.now();
    const code = await main(['--tree', join(dir, id, 'base'), join(dir, id, 'patch.mbox'), '--format', 'json'], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      readStdin: () => Buffer.alloc(0),
      cwd: ROOT,
      env: {},
      isTTY: false,
    });
    const ms = performance.now() - t0;
    const commits = code === 2 ? 0 : (JSON.parse(out) as { summary: { commits: number } }).summary.commits;
    return { ms, code, commits, err };
  };
  // warm-up (loads the tree-sitter wasm once, as every real run does once)
  const warm = await run(ids[0] as string);
  const times: number[] = [];
  let commits = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const id of ids) {
    const r = await run(id);
    times.push(r.ms);
    commits += r.commits;
    if (r.code === 2) errors++;
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    workload: `a) corpus, ${ids.length} cases (in-process)`,
    items: ids.length,
    unit: 'case',
    wallMs: wall,
    cpuMs: (cpu.user + cpu.system) / 1000,
    perSecond: (commits / wall) * 1000,
    medianMs: median(times),
    p95Ms: p95(times),
    peakRssMiB: mib(process.resourceUsage().maxRSS),
    floorMs: null,
    floorCpuMs: null,
    floorWhat: null,
    ratio: null,
    cpuRatio: null,
    extra: { commits, inputErrors: errors, warmupMs: warm.ms, maxMs: Math.max(...times) },
  };
}

async function historyWorkload(o: Options): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-bench-repo-'));
  try {
    const tg = performance.now();
    const repo = generateRepo(dir, o.commits);
    log(`b) generated ${repo.shas.length - 1} commits over ${repo.files.map((f) => `${f.path} (${f.lines} lines)`).join(', ')} in ${((performance.now() - tg) / 1000).toFixed(1)} s: ${dir}`);
    const root = repo.shas[0] as string;
    const rows: Row[] = [];
    const lengths = [...new Set([...o.slices.filter((n) => n < o.commits), o.commits])].sort((a, b) => a - b);
    for (const n of lengths) {
      const tip = repo.shas[n] as string;
      const range = `${root}..${tip}`;
      // the floor: git printing the same patches pairlint asks for
      const floor = await timeProcess(
        'git',
        ['-C', dir, ...GIT_CONFIG_ARGS, 'log', '--no-merges', '--full-history', '--topo-order', '--reverse', '-p', ...DIFF_ARGS, '--encoding=UTF-8', '--format=%x00%H%x00%an%x00%ae%x00%aI%x00%B%x00', range],
        dir,
      );
      // wall and CPU: the launcher as users run it (the CLI bundle)
      const real = await timeProcess(process.execPath, [BIN, range, '-C', dir, '--format', 'json'], ROOT);
      if (real.code === 2) throw new Error('pairlint failed on the generated history (exit 2)');
      // per-commit times and peak RSS: the same run through the CLI's modules (see bench-child.ts)
      const r = await runChild([range, '-C', dir, '--format', 'json'], ROOT);
      if (r.code === 2) throw new Error(`pairlint failed on the generated history: ${r.stderr}`);
      const times = r.child.commitTimes;
      rows.push({
        workload: `b) history, ${n} commits (process)`,
        items: n,
        unit: 'commit',
        wallMs: real.ms,
        cpuMs: real.cpuMs,
        perSecond: (n / real.ms) * 1000,
        medianMs: median(times),
        p95Ms: p95(times),
        peakRssMiB: mib(r.child.maxRSS),
        floorMs: floor.ms,
        floorCpuMs: floor.cpuMs,
        floorWhat: 'git log -p',
        ratio: real.ms / floor.ms,
        cpuRatio: real.cpuMs !== null && floor.cpuMs ? real.cpuMs / floor.cpuMs : null,
        extra: { exit: real.code, modulesRunMs: r.ms, perCommitSumMs: sum(times), measuredCommits: times.length, gitLogBytes: floor.bytes, reportBytes: real.bytes },
      });
      log(`b) ${n} commits: ${(real.ms / 1000).toFixed(2)} s (CPU ${((real.cpuMs ?? NaN) / 1000).toFixed(2)} s), git log -p ${(floor.ms / 1000).toFixed(2)} s, peak RSS ${mib(r.child.maxRSS).toFixed(0)} MiB`);
    }
    return rows;
  } finally {
    if (o.keep) log(`b) kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function typicalWorkload(o: Options): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-bench-staged-'));
  try {
    // a repository holding the generated listener file, and one staged edit of a pair side
    git(dir, ['init', '-q', '-b', 'main']);
    const files = baseFiles(0x5eed).slice(0, 1);
    const file = files[0]!;
    mkdirSync(join(dir, dirname(file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), renderFile(file));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'base']);
    const rng = prng(7);
    let text = renderFile(file);
    for (let tries = 0; tries < 50 && text === renderFile(file); tries++) editCommit(rng, files, 1);
    text = renderFile(file);
    writeFileSync(join(dir, file.path), text);
    git(dir, ['add', '-A']);

    const cases: { name: string; cmd: string[]; cwd: string }[] = [
      { name: `c) --staged, ${text.split('\n').length}-line file (process)`, cmd: [BIN, '--staged'], cwd: dir },
      { name: 'c) example patch --tree (process)', cmd: [BIN, '--tree', 'examples/tree', 'examples/skip-unmap.patch'], cwd: ROOT },
    ];
    const nodeFloor: number[] = [];
    let nodeFloorCpu: number | null = 0;
    for (let i = 0; i < o.runs; i++) {
      const r = await timeProcess(process.execPath, ['-e', '0'], ROOT);
      nodeFloor.push(r.ms);
      nodeFloorCpu = nodeFloorCpu === null || r.cpuMs === null ? null : nodeFloorCpu + r.cpuMs;
    }
    const rows: Row[] = [];
    for (const c of cases) {
      const times: number[] = [];
      let code = -1;
      let cpu: number | null = 0;
      for (let i = 0; i < o.runs; i++) {
        const r = await timeProcess(process.execPath, c.cmd, c.cwd);
        times.push(r.ms);
        code = r.code;
        cpu = cpu === null || r.cpuMs === null ? null : cpu + r.cpuMs;
      }
      const rss = await runChild(c.cmd.slice(1), c.cwd);
      const floor = median(nodeFloor);
      rows.push({
        workload: c.name,
        items: o.runs,
        unit: 'run',
        wallMs: sum(times),
        cpuMs: cpu,
        perSecond: (o.runs / sum(times)) * 1000,
        medianMs: median(times),
        p95Ms: p95(times),
        peakRssMiB: mib(rss.child.maxRSS),
        floorMs: floor,
        floorCpuMs: nodeFloorCpu === null ? null : nodeFloorCpu / o.runs,
        floorWhat: 'node -e 0',
        ratio: median(times) / floor,
        cpuRatio: cpu !== null && nodeFloorCpu ? cpu / nodeFloorCpu : null,
        extra: { exit: code },
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- real data (h, s, t)

const CHECKPATCH = (o: Options) => join(o.corpus, '..', 'peers', 'checkpatch.pl');
const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Timed {
  ms: number;
  cpuMs: number | null;
  /** peak RSS of the process in MiB (GNU time), null when unknown */
  rssMiB: number | null;
  code: number;
  bytes: number;
}

/** Time one process (stdout drained), with its peak RSS from GNU time when there is one. */
function timeWithRss(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = gitEnv()): Promise<Timed> {
  const dir = TIME_BIN ? mkdtempSync(join(tmpdir(), 'pairlint-bench-rss-')) : null;
  const rssFile = dir ? join(dir, 'rss') : '';
  const [c, a] = TIME_BIN ? [TIME_BIN, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((res, rej) => {
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const p = spawn(c, a, { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let bytes = 0;
    p.stdout.on('data', (b: Buffer) => (bytes += b.length));
    p.on('error', rej);
    p.on('close', (code) => {
      const ms = performance.now() - t0;
      const cpuMs = cpuDelta(cpu0);
      let rssMiB: number | null = null;
      if (dir) {
        try {
          const kib = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
          if (Number.isFinite(kib) && kib > 0) rssMiB = kib / 1024;
        } catch {
          /* no rss */
        }
        rmSync(dir, { recursive: true, force: true });
      }
      res({ ms, cpuMs, rssMiB, code: code ?? -1, bytes });
    });
  });
}

interface Launcher {
  name: string;
  bin: string;
  /** with --cache: a run with an empty model cache, then one that reads what it wrote */
  cache?: 'cold' | 'warm';
}

/** The pairlint launchers to time: this build, --before's beside it, and this build with a cold and a warm model cache (--cache). */
function launchers(o: Options): Launcher[] {
  const l: Launcher[] = [{ name: 'pairlint', bin: BIN }];
  if (o.before) l.push({ name: 'pairlint (before)', bin: o.before });
  if (o.cache) l.push({ name: 'pairlint --cache, cold', bin: BIN, cache: 'cold' }, { name: 'pairlint --cache, warm', bin: BIN, cache: 'warm' });
  return l;
}

let cacheDir: string | null = null;

/** pairlint's cache options for launcher `l`: a cold run starts a new, empty cache; the warm run after it reads that one. */
function cacheArgs(l: Launcher): string[] {
  if (!l.cache) return [];
  if (l.cache === 'cold' || cacheDir === null) {
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    cacheDir = mkdtempSync(join(tmpdir(), 'pairlint-bench-cache-'));
  }
  return ['--cache', '--cache-location', cacheDir];
}

function realRow(workload: string, items: number, unit: string, r: Timed, times: number[], cp: Timed, gl: Timed | null, extra: Record<string, unknown> = {}): Row {
  return {
    workload,
    items,
    unit,
    wallMs: r.ms,
    cpuMs: r.cpuMs,
    perSecond: (items / r.ms) * 1000,
    medianMs: times.length ? median(times) : r.ms / Math.max(1, items),
    p95Ms: times.length ? p95(times) : NaN,
    peakRssMiB: r.rssMiB ?? NaN,
    floorMs: gl ? gl.ms : null,
    floorCpuMs: gl ? gl.cpuMs : null,
    floorWhat: gl ? 'git log -p' : null,
    ratio: gl ? r.ms / gl.ms : null,
    cpuRatio: gl && r.cpuMs !== null && gl.cpuMs ? r.cpuMs / gl.cpuMs : null,
    checkpatchMs: cp.ms,
    checkpatchRatio: r.ms / cp.ms,
    extra: { exit: r.code, checkpatchCpuMs: cp.cpuMs, reportBytes: r.bytes, ...extra },
  };
}

/** `git log -p` as pairlint asks for a range (with --full-diff under a pathspec: see src/git/range.ts). */
function gitLogArgs(dir: string, range: string, pathspec: readonly string[]): string[] {
  return [
    '-C', dir, ...GIT_CONFIG_ARGS, 'log', '--no-merges', ...(pathspec.length ? ['--full-diff'] : []), '--full-history', '--topo-order', '--reverse', '-p', ...DIFF_ARGS,
    '--encoding=UTF-8', '--format=%x00%H%x00%an%x00%ae%x00%aI%x00%B%x00', range, '--', ...pathspec,
  ];
}

/**
 * A range in a repository: pairlint (each launcher), checkpatch.pl and git
 * log -p, in one run. checkpatch runs `--branch RANGE` unless `checkpatch`
 * gives its arguments (patch files of the same commits).
 */
async function rangeRows(o: Options, name: string, dir: string, range: string, items: number, pathspec: readonly string[] = [], checkpatchArgs?: string[]): Promise<Row[]> {
  const gl = await timeProcess('git', gitLogArgs(dir, range, pathspec), dir);
  const glT: Timed = { ...gl, rssMiB: null };
  const cp = checkpatchArgs
    ? await timeWithRss('perl', [CHECKPATCH(o), '--no-tree', '-q', ...checkpatchArgs], dir)
    : await timeWithRss('perl', [CHECKPATCH(o), '--no-tree', '-q', '--branch', range], dir, { ...gitEnv(), GIT_DIR: join(dir, '.git') });
  const rows: Row[] = [];
  for (const l of launchers(o)) {
    const r = await timeWithRss(process.execPath, [l.bin, '-C', dir, range, '--format', 'json', ...cacheArgs(l), ...(pathspec.length ? ['--', ...pathspec] : [])], ROOT);
    if (r.code === 2) throw new Error(`${l.name} failed on ${name} (exit 2)`);
    rows.push(realRow(`${name}, ${l.name}`, items, 'commit', r, [], cp, glT));
    log(`${name}, ${l.name}: ${(r.ms / 1000).toFixed(2)} s, checkpatch ${(cp.ms / 1000).toFixed(2)} s, git log -p ${(gl.ms / 1000).toFixed(2)} s, RSS ${r.rssMiB?.toFixed(0)} MiB`);
  }
  return rows;
}

/** Clone a bundle of ../shared/corpus/history into a temporary directory; null when it is missing. */
function cloneBundle(o: Options, bundle: string): { dir: string; root: string } | null {
  const path = join(o.corpus, 'history', bundle);
  if (!existsSync(path)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-bench-bundle-'));
  git(tmpdir(), ['clone', '-q', path, dir]);
  const roots = git(dir, ['rev-list', '--max-parents=0', 'master']).trim().split('\n');
  return { dir, root: roots[roots.length - 1] as string };
}

/**
 * The patches of the commits of `range` that touch `pathspec`, one file per
 * commit, as checkpatch's --branch reads them (`git show --patch-with-stat`
 * with its diff options, the whole commit), from one `git log`.
 */
function commitPatchFiles(dir: string, range: string, pathspec: readonly string[], out: string): string[] {
  const text = git(dir, [
    '-c', 'diff.renamelimit=0', '-c', 'diff.renames=True', '-c', 'diff.algorithm=histogram',
    'log', '--reverse', '--no-merges', '--no-mailmap', '--full-diff', '--patch-with-stat', range, '--', ...pathspec,
  ]);
  const starts = [...text.matchAll(/^commit [0-9a-f]{40}$/gm)].map((m) => m.index as number);
  return starts.map((at, i) => {
    const file = join(out, `${String(i).padStart(5, '0')}.patch`);
    writeFileSync(file, text.slice(at, starts[i + 1] ?? text.length));
    return file;
  });
}

async function pathspecHistoryWorkload(o: Options): Promise<Row[]> {
  const h = cloneBundle(o, 'qemu-pairs.bundle');
  if (!h) {
    log('p) skipped: no history/qemu-pairs.bundle');
    return [];
  }
  const patches = mkdtempSync(join(tmpdir(), 'pairlint-bench-patches-'));
  try {
    const range = `${h.root}..master`;
    const files = commitPatchFiles(h.dir, range, o.pathspec, patches);
    return await rangeRows(o, `p) pairs history, ROOT..master -- ${o.pathspec.join(' ')}, ${files.length} commits`, h.dir, range, files.length, o.pathspec, files);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
    rmSync(patches, { recursive: true, force: true });
  }
}

async function pairsHistoryWorkload(o: Options): Promise<Row[]> {
  const h = cloneBundle(o, 'qemu-pairs.bundle');
  if (!h) {
    log('w) skipped: no history/qemu-pairs.bundle');
    return [];
  }
  try {
    const range = `${h.root}..master`;
    const all = Number(git(h.dir, ['rev-list', '--count', '--no-merges', range]).trim());
    return await rangeRows(o, `w) pairs history, ROOT..master, ${all} commits`, h.dir, range, all);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
}

/**
 * A repository holding a series case: its base committed, then its patches
 * applied with `git am`. A base holds only the files the series' C changes
 * need, so the diffs of files it lacks (docs, MAINTAINERS, .inc files) are
 * left out (`--exclude`, with the targets of their renames). Returns the
 * base commit and the number of commits applied.
 */
function seriesRepo(caseDir: string, dir: string): { base: string; commits: number; excluded: string[] } {
  git(dir, ['init', '-q', '-b', 'main']);
  // the base read in place: git writes the work tree itself afterwards
  git(dir, ['--work-tree', join(caseDir, 'base'), 'add', '-A']);
  git(dir, ['commit', '-q', '-m', 'base']);
  git(dir, ['reset', '-q', '--hard']);
  const base = git(dir, ['rev-parse', 'HEAD']).trim();
  const have = new Set(git(dir, ['ls-files', '-z']).split('\0').filter(Boolean));
  const mbox = readFileSync(join(caseDir, 'patch.mbox'), 'utf8');
  const excluded = new Set<string>();
  for (const m of mbox.matchAll(/^diff --git a\/(\S+) b\/(\S+)\n((?:(?!diff --git |@@ ).*\n)*)/gm)) {
    const [, from, to, header] = m as unknown as [string, string, string, string];
    if (/^new file mode/m.test(header)) {
      have.add(to);
    } else if (!have.has(from) || excluded.has(from)) {
      excluded.add(from);
      excluded.add(to);
    } else if (/^rename to /m.test(header)) {
      have.add(to);
    }
  }
  git(dir, ['am', '-q', ...[...excluded].map((p) => `--exclude=${p}`), join(caseDir, 'patch.mbox')]);
  const commits = Number(git(dir, ['rev-list', '--count', `${base}..HEAD`]).trim());
  return { base, commits, excluded: [...excluded] };
}

async function realTreeWideWorkload(o: Options): Promise<Row[]> {
  const caseDir = join(o.corpus, 'perf', 'treewide-series');
  const mbox = join(caseDir, 'patch.mbox');
  if (!existsSync(mbox)) {
    log('t) skipped: no perf/treewide-series');
    return [];
  }
  const patches = (readFileSync(mbox, 'utf8').match(/^From [0-9a-f]{40} /gm) ?? []).length;
  const files = new Set((readFileSync(mbox, 'utf8').match(/^diff --git a\/\S+ b\/(\S+)$/gm) ?? []).map((l) => l.slice(l.lastIndexOf(' b/') + 3))).size;
  const label = `t) real tree-wide series (${patches} patches, ${files} files)`;
  const rows: Row[] = [];
  // --tree: pairlint and checkpatch on the mbox, in one run
  const cp = await timeWithRss('perl', [CHECKPATCH(o), '--no-tree', '-q', mbox], ROOT);
  for (const l of launchers(o)) {
    const r = await timeWithRss(process.execPath, [l.bin, '--tree', join(caseDir, 'base'), mbox, '--format', 'json', ...cacheArgs(l)], ROOT);
    if (r.code === 2) throw new Error(`${l.name} failed on the tree-wide series (exit 2)`);
    rows.push(realRow(`${label}, --tree, ${l.name}`, patches, 'patch', r, [], cp, null));
    log(`${label}, --tree, ${l.name}: ${(r.ms / 1000).toFixed(2)} s, checkpatch ${(cp.ms / 1000).toFixed(2)} s, RSS ${r.rssMiB?.toFixed(0)} MiB`);
  }
  // range mode: a repository built from the base and the patches
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-bench-treewide-real-'));
  try {
    const t0 = performance.now();
    const repo = seriesRepo(caseDir, dir);
    log(`t) built ${dir}: base and ${repo.commits} commits (git am, ${repo.excluded.length} paths left out) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    rows.push(...(await rangeRows(o, `${label}, range BASE..HEAD`, dir, `${repo.base}..HEAD`, repo.commits)));
  } finally {
    if (o.keep) log(`t) kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * m) Mining a tree of QEMU's scale cold, then reading it back warm. No whole
 * QEMU tree is in the corpus, so one of the same scale is put together from
 * it: the tree-wide series' base (1,139 C files) beside the pairs bundle's
 * tree at revisions spread over its history (each in a folder of its own),
 * until it holds at least MINE_C_FILES C files. Real QEMU code, each
 * revision's files mined as files of their own. `pairlint pairs --tree DIR`
 * with an empty cache directory (cold), then again (warm).
 */
const MINE_C_FILES = 5500;

async function miningWorkload(o: Options): Promise<Row[]> {
  const base = join(o.corpus, 'perf', 'treewide-series', 'base');
  const h = cloneBundle(o, 'qemu-pairs.bundle');
  if (!h || !existsSync(base)) {
    log('m) skipped: needs perf/treewide-series and history/qemu-pairs.bundle');
    if (h) rmSync(h.dir, { recursive: true, force: true });
    return [];
  }
  const tree = mkdtempSync(join(tmpdir(), 'pairlint-bench-mine-'));
  const cache = mkdtempSync(join(tmpdir(), 'pairlint-bench-mine-cache-'));
  try {
    spawnSync('cp', ['-r', base, join(tree, 'tw')]);
    const revs = git(h.dir, ['rev-list', 'master']).trim().split('\n');
    const countC = (dir: string): number => {
      let n = 0;
      for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.c')) n++;
      return n;
    };
    let cFiles = countC(tree);
    // newest revisions first (the most files), every 100th commit
    for (let i = 50, k = 0; i < revs.length && cFiles < MINE_C_FILES; i += 100, k++) {
      const dir = join(tree, `r${k}`);
      mkdirSync(dir);
      const archive = spawnSync('git', ['-C', h.dir, 'archive', revs[i] as string], { maxBuffer: 1 << 30 });
      spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout, maxBuffer: 1 << 30 });
      cFiles = countC(tree);
    }
    let bytes = 0;
    for (const e of readdirSync(tree, { withFileTypes: true, recursive: true })) if (e.isFile() && /\.[ch]$/.test(e.name)) bytes += statSync(join(e.parentPath, e.name)).size;
    const label = `m) mining a QEMU-scale tree (${cFiles} C files, ${(bytes / 2 ** 20).toFixed(0)} MiB of .c and .h)`;
    log(`${label}: built ${tree}`);
    const env = { ...gitEnv(), PAIRLINT_CACHE_DIR: cache };
    const cold = await timeWithRss(process.execPath, [BIN, 'pairs', '--tree', tree, '--format', 'json'], ROOT, env);
    const warm = await timeWithRss(process.execPath, [BIN, 'pairs', '--tree', tree, '--format', 'json'], ROOT, env);
    const row = (what: string, t: Timed): Row => ({
      workload: `${label}, ${what}`,
      items: cFiles,
      unit: 'C file',
      wallMs: t.ms,
      cpuMs: t.cpuMs,
      perSecond: cFiles / (t.ms / 1000),
      medianMs: t.ms,
      p95Ms: t.ms,
      peakRssMiB: t.rssMiB ?? 0,
      floorMs: null,
      floorCpuMs: null,
      floorWhat: null,
      ratio: null,
      cpuRatio: null,
    });
    log(`${label}: cold ${(cold.ms / 1000).toFixed(1)} s at ${cold.rssMiB?.toFixed(0) ?? '?'} MiB, warm ${warm.ms.toFixed(0)} ms`);
    return [row('cold', cold), row('warm', warm)];
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    if (o.keep) log(`m) kept ${tree}`);
    else rmSync(tree, { recursive: true, force: true });
  }
}

async function realHistoryWorkload(o: Options): Promise<Row[]> {
  const h = cloneHistory(o.corpus);
  if (!h) {
    log('h) skipped: no history/hw-vfio.bundle');
    return [];
  }
  try {
    const all = Number(git(h.dir, ['rev-list', '--count', '--no-merges', `${h.root}..master`]).trim());
    return [
      ...(await rangeRows(o, `h) hw/vfio history, ROOT..master, ${all} commits`, h.dir, `${h.root}..master`, all)),
      ...(await rangeRows(o, 'h) hw/vfio history, last 100 commits', h.dir, 'master~100..master', Number(git(h.dir, ['rev-list', '--count', '--no-merges', 'master~100..master']).trim()))),
    ];
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
}

async function realSeriesWorkload(o: Options): Promise<Row[]> {
  let cases = seriesCases(o.corpus);
  if (cases.length === 0) {
    log('s) skipped: no series/');
    return [];
  }
  if (o.seriesLimit > 0) cases = cases.slice(0, o.seriesLimit);
  const patchesOf = (c: string) => (readFileSync(join(c, 'patch.mbox'), 'utf8').match(/^From [0-9a-f]{40} /gm) ?? []).length || 1;
  const per = launchers(o).map(() => ({ series: [] as number[], patch: [] as number[], ratio: [] as number[], wall: 0, cpu: 0 as number | null, rss: 0 }));
  const cpSeries: number[] = [];
  const cpPatch: number[] = [];
  let cpWall = 0;
  let cpCpu: number | null = 0;
  let patches = 0;
  for (const c of cases) {
    const n = patchesOf(c);
    patches += n;
    const mbox = join(c, 'patch.mbox');
    const cp = await timeWithRss('perl', [CHECKPATCH(o), '--no-tree', '-q', mbox], ROOT);
    cpSeries.push(cp.ms);
    cpPatch.push(cp.ms / n);
    cpWall += cp.ms;
    cpCpu = cpCpu === null || cp.cpuMs === null ? null : cpCpu + cp.cpuMs;
    for (const [i, l] of launchers(o).entries()) {
      const r = await timeWithRss(process.execPath, [l.bin, '--tree', join(c, 'base'), mbox, '--format', 'json', ...cacheArgs(l)], ROOT);
      if (r.code === 2) throw new Error(`${l.name} failed on ${c} (exit 2)`);
      const p = per[i]!;
      p.series.push(r.ms);
      p.patch.push(r.ms / n);
      p.ratio.push(r.ms / cp.ms);
      p.wall += r.ms;
      p.cpu = p.cpu === null || r.cpuMs === null ? null : p.cpu + r.cpuMs;
      p.rss = Math.max(p.rss, r.rssMiB ?? 0);
    }
  }
  const rows: Row[] = [];
  for (const [i, l] of launchers(o).entries()) {
    const p = per[i]!;
    const row: Row = {
      workload: `s) ${cases.length} real series (${patches} patches) end to end, per series, ${l.name}`,
      items: cases.length,
      unit: 'series',
      wallMs: p.wall,
      cpuMs: p.cpu,
      perSecond: (patches / p.wall) * 1000,
      medianMs: median(p.series),
      p95Ms: p95(p.series),
      peakRssMiB: p.rss,
      floorMs: null,
      floorCpuMs: null,
      floorWhat: null,
      ratio: null,
      cpuRatio: null,
      checkpatchMs: median(cpSeries),
      checkpatchRatio: median(p.series) / median(cpSeries),
      extra: {
        checkpatchP95Ms: p95(cpSeries),
        checkpatchWallMs: cpWall,
        checkpatchCpuMs: cpCpu,
        medianOfRatios: median(p.ratio),
        p95OfRatios: p95(p.ratio),
        perPatchMedianMs: median(p.patch),
        perPatchP95Ms: p95(p.patch),
        checkpatchPerPatchMedianMs: median(cpPatch),
        checkpatchPerPatchP95Ms: p95(cpPatch),
      },
    };
    rows.push(row);
    rows.push({
      ...row,
      workload: `s) same, per patch, ${l.name}`,
      unit: 'patch',
      medianMs: median(p.patch),
      p95Ms: p95(p.patch),
      checkpatchMs: median(cpPatch),
      checkpatchRatio: median(p.patch) / median(cpPatch),
    });
    log(`s) ${l.name}: median ${median(p.series).toFixed(0)} ms/series (checkpatch ${median(cpSeries).toFixed(0)} ms), p95 ${p95(p.series).toFixed(0)} ms (checkpatch ${p95(cpSeries).toFixed(0)} ms), median of ratios ${median(p.ratio).toFixed(2)}`);
  }
  // the largest case alone (by mbox size), repeated for a median
  const largest = [...cases].sort((a, b) => statSync(join(b, 'patch.mbox')).size - statSync(join(a, 'patch.mbox')).size)[0]!;
  const n = patchesOf(largest);
  const reps = 3;
  const cpT: Timed[] = [];
  const plT: Timed[][] = launchers(o).map(() => []);
  for (let k = 0; k < reps; k++) {
    cpT.push(await timeWithRss('perl', [CHECKPATCH(o), '--no-tree', '-q', join(largest, 'patch.mbox')], ROOT));
    for (const [i, l] of launchers(o).entries()) {
      plT[i]!.push(await timeWithRss(process.execPath, [l.bin, '--tree', join(largest, 'base'), join(largest, 'patch.mbox'), '--format', 'json', ...cacheArgs(l)], ROOT));
    }
  }
  const mid = (ts: Timed[]): Timed => [...ts].sort((a, b) => a.ms - b.ms)[Math.floor(ts.length / 2)]!;
  const name = largest.slice(largest.lastIndexOf('/') + 1);
  for (const [i, l] of launchers(o).entries()) {
    const t = plT[i]!;
    rows.push(realRow(`s) largest series alone, ${name} (${n} patches, ${(statSync(join(largest, 'patch.mbox')).size / 1024).toFixed(0)} KiB), ${l.name}`, n, 'patch', mid(t), t.map((x) => x.ms), mid(cpT), null));
  }
  return rows;
}

/**
 * A generated tree-wide mechanical series (g, a scale test): `files` generated C files of about
 * `lines` lines each, and `commits` commits that each move one header,
 * changing an #include line in most of the files (no function body touched).
 */
function generateTreeWide(dir: string, files: number, lines: number, commits: number): { root: string; tip: string; fileCount: number; fileLines: number } {
  git(dir, ['init', '-q', '-b', 'main']);
  const rng = prng(0x7e11);
  const texts: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const path = `hw/tw${i % 20}/dev${i}.c`;
    const f = makeFile(rng, path, `tw${i}`, lines, 1 + (i % 2));
    const inc = Array.from({ length: commits }, (_, k) => `#include "tw/hdr-${k}.h"`).join('\n');
    texts.push(renderFile(f).replace('#include "qemu/osdep.h"\n', `#include "qemu/osdep.h"\n${inc}\n`));
    paths.push(path);
  }
  const chunks: Buffer[] = [];
  const data = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    chunks.push(Buffer.from(`data ${b.length}\n`), b, Buffer.from('\n'));
  };
  let clock = 1_700_000_000;
  const commit = (subject: string, changed: number[]) => {
    clock += 60;
    chunks.push(Buffer.from(`commit refs/heads/main\nauthor Bench Author <bench@example.org> ${clock} +0000\ncommitter Bench Author <bench@example.org> ${clock} +0000\n`));
    data(`${subject}\n\nGenerated by pairlint's benchmark.\n\nSigned-off-by: Bench Author <bench@example.org>\n`);
    for (const i of changed) {
      chunks.push(Buffer.from(`M 100644 inline ${paths[i]}\n`));
      data(texts[i] as string);
    }
    chunks.push(Buffer.from('\n'));
  };
  commit('Initial import', paths.map((_, i) => i));
  for (let k = 0; k < commits; k++) {
    const changed: number[] = [];
    for (let i = 0; i < files; i++) {
      if ((i * 7 + k * 3) % 10 < 8) {
        texts[i] = (texts[i] as string).replace(`#include "tw/hdr-${k}.h"`, `#include "tw/moved/hdr-${k}.h"`);
        changed.push(i);
      }
    }
    commit(`tw: move hdr-${k}.h to tw/moved/`, changed);
  }
  git(dir, ['fast-import', '--quiet'], Buffer.concat(chunks));
  git(dir, ['reset', '-q', '--hard', 'main']);
  const shas = git(dir, ['rev-list', '--reverse', 'main']).trim().split('\n');
  return { root: shas[0] as string, tip: shas[shas.length - 1] as string, fileCount: files, fileLines: texts[0]!.split('\n').length };
}

async function treeWideWorkload(o: Options): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-bench-treewide-'));
  try {
    const t0 = performance.now();
    const g = generateTreeWide(dir, o.twFiles, o.twLines, o.twCommits);
    log(`g) generated ${o.twCommits} commits over ${g.fileCount} files of ~${g.fileLines} lines in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${dir}`);
    return await rangeRows(o, `g) generated tree-wide scale test, ${o.twCommits} commits x ~${Math.round(g.fileCount * 0.8)} files of ${g.fileLines} lines`, dir, `${g.root}..${g.tip}`, o.twCommits);
  } finally {
    if (o.keep) log(`g) kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

function table(rows: Row[]): string {
  const head = ['workload', 'wall', 'CPU', 'per s', 'median', 'p95', 'peak RSS', 'floor', 'ratio (wall)', 'ratio (CPU)', 'checkpatch.pl', 'pairlint / checkpatch'];
  const body = rows.map((r) => [
    r.workload,
    `${(r.wallMs / 1000).toFixed(2)} s`,
    r.cpuMs === null ? '-' : `${(r.cpuMs / 1000).toFixed(2)} s`,
    `${r.perSecond.toFixed(1)} ${r.unit === 'case' ? 'commits' : r.unit === 'series' || r.unit === 'patch' ? 'patches' : r.unit + 's'}`,
    Number.isNaN(r.medianMs) ? '-' : `${r.medianMs.toFixed(1)} ms`,
    Number.isNaN(r.p95Ms) ? '-' : `${r.p95Ms.toFixed(1)} ms`,
    `${r.peakRssMiB.toFixed(0)} MiB`,
    r.floorMs === null ? '-' : `${(r.floorMs / 1000).toFixed(3)} s (${r.floorWhat})`,
    r.ratio === null ? '-' : `${r.ratio.toFixed(1)}x`,
    r.cpuRatio === null ? '-' : `${r.cpuRatio.toFixed(1)}x`,
    r.checkpatchMs === undefined ? '-' : r.unit === 'commit' ? `${(r.checkpatchMs / 1000).toFixed(2)} s` : `${r.checkpatchMs.toFixed(1)} ms`,
    r.checkpatchRatio === undefined ? '-' : `${r.checkpatchRatio.toFixed(2)}x`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function run(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(CHILD)) throw new Error(`${CHILD} is missing: run npm run build first`);
  const rows: Row[] = [];
  if (o.only.has('a')) {
    const r = await corpusWorkload(o);
    if (r) rows.push(r);
  }
  if (o.only.has('b')) rows.push(...(await historyWorkload(o)));
  if (o.only.has('c')) rows.push(...(await typicalWorkload(o)));
  if (o.only.has('h')) rows.push(...(await realHistoryWorkload(o)));
  if (o.only.has('s')) rows.push(...(await realSeriesWorkload(o)));
  if (o.only.has('t')) rows.push(...(await realTreeWideWorkload(o)));
  if (o.only.has('p')) rows.push(...(await pathspecHistoryWorkload(o)));
  if (o.only.has('w')) rows.push(...(await pairsHistoryWorkload(o)));
  if (o.only.has('g')) rows.push(...(await treeWideWorkload(o)));
  if (o.only.has('m')) rows.push(...(await miningWorkload(o)));
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  const gitVersion = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    git: gitVersion,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
    options: { commits: o.commits, runs: o.runs, slices: o.slices, corpus: o.corpus },
    rows,
  };
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(table(rows) + '\n');
  process.stdout.write(
    '\nper s: commits (a: corpus commits over the wall time of all cases; b: range commits; c: runs). ' +
      'median/p95: per case (a), per commit (b, from the range reader\'s delivery times), per run (c).\n' +
      'CPU: user + system time of pairlint and the git it ran (a: the bench process itself); ratio (CPU) compares it with the floor\'s CPU.\n' +
      'ratio: wall / floor (b, h, t, p, w, g) or median / floor (c).\n' +
      'h, s, t, p, w: real data (h: ../shared/corpus/history/hw-vfio.bundle; s: ../shared/corpus/series, each case `--tree base patch.mbox` as a process; ' +
      't: ../shared/corpus/perf/treewide-series, --tree and as a range; p, w: history/qemu-pairs.bundle with and without a pathspec) and a generated scale test (g), ' +
      'beside checkpatch.pl (../shared/peers) on the same input in the same run: `--branch RANGE` (h, t range, w, g), the mbox (s, t --tree) or each commit\'s patch (p). ' +
      'checkpatch.pl: its wall time (s: median per series or per patch; pairlint / checkpatch compares the medians). peak RSS: GNU time of that process (s: the largest).\n' +
      `Results: ${o.out}\n`,
  );
}

run().catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
