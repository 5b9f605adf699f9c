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
 * Prints a table and writes bench/results.json.
 *
 * Options: --corpus DIR, --commits N (1000), --runs N (20), --only a,b,c,
 * --slices N,N (extra range lengths for the memory check; default 100,300),
 * --keep (keep the generated repository), --out FILE.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { DIFF_ARGS, GIT_CONFIG_ARGS } from '../src/git/run.js';
import { baseFiles, editCommit, generateRepo, git, gitEnv, prng, renderFile } from './bench-repo.js';

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
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    corpus: resolve(ROOT, '..', 'shared', 'corpus'),
    commits: 1000,
    runs: 20,
    only: new Set(['a', 'b', 'c']),
    slices: [100, 300],
    keep: false,
    out: join(ROOT, 'bench', 'results.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--corpus') o.corpus = resolve(v());
    else if (a === '--commits') o.commits = Number(v());
    else if (a === '--runs') o.runs = Number(v());
    else if (a === '--only') o.only = new Set(v().split(','));
    else if (a === '--slices') o.slices = v().split(',').filter(Boolean).map(Number);
    else if (a === '--keep') o.keep = true;
    else if (a === '--out') o.out = resolve(v());
    else throw new Error(`unknown option ${a}`);
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

// ---------------------------------------------------------------- report

function table(rows: Row[]): string {
  const head = ['workload', 'wall', 'CPU', 'per s', 'median', 'p95', 'peak RSS', 'floor', 'ratio (wall)', 'ratio (CPU)'];
  const body = rows.map((r) => [
    r.workload,
    `${(r.wallMs / 1000).toFixed(2)} s`,
    r.cpuMs === null ? '-' : `${(r.cpuMs / 1000).toFixed(2)} s`,
    `${r.perSecond.toFixed(1)} ${r.unit === 'case' ? 'commits' : r.unit + 's'}`,
    `${r.medianMs.toFixed(1)} ms`,
    `${r.p95Ms.toFixed(1)} ms`,
    `${r.peakRssMiB.toFixed(0)} MiB`,
    r.floorMs === null ? '-' : `${(r.floorMs / 1000).toFixed(3)} s (${r.floorWhat})`,
    r.ratio === null ? '-' : `${r.ratio.toFixed(1)}x`,
    r.cpuRatio === null ? '-' : `${r.cpuRatio.toFixed(1)}x`,
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
      `ratio: wall / floor (b) or median / floor (c). Results: ${o.out}\n`,
  );
}

run().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
