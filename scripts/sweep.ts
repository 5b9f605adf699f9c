/**
 * `npm run sweep`: every commit of the pairs history
 * (../shared/corpus/history/qemu-pairs.bundle, 7,569 commits) linted as a
 * patch, one pairlint run per commit, as a user would feed them one by one:
 *
 *  - `diff-only`: from a directory outside any repository (no source tree,
 *    no git: images rebuilt from the hunks alone);
 *  - `repo`: from inside a clone of the bundle (pre-images from the blobs
 *    the patch's index lines name).
 *
 * Each commit is `git log --format=email -p --diff-merges=first-parent`
 * (a merge as its first-parent diff), so merges are swept too; the few
 * merges whose first-parent diff is empty in the kept paths have no patch
 * and are counted, not run. The runs go
 * through the CLI's main() in this one process, so a leak or a runtime left
 * broken by one commit shows in the commits after it: memory (RSS) is
 * sampled after every run, and the peak and a few checkpoints are printed.
 *
 * Counted as failures: an internal error (exit 2, "internal error"), a note
 * "not checked: ..." (a file whose check failed and was skipped), and any
 * other exit 2 (a patch git made that pairlint refuses). Exit 1 when any.
 *
 * Options: --bundle FILE, --repo DIR (a clone to use instead of cloning),
 * --limit N (N commits spread evenly over the history), --last N,
 * --modes diff-only,repo, --json FILE (every failure and the numbers),
 * --branch NAME (default master).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

// the V8 settings of bin/pairlint.js, so memory is measured as users run it
await import(new URL('../../bin/v8-flags.js', import.meta.url).href);
const { main } = await import('../src/cli/main.js');

type Mode = 'diff-only' | 'repo';

interface Failure {
  mode: Mode;
  sha: string;
  subject: string;
  kind: 'internal' | 'not-checked' | 'exit-2';
  text: string;
}

interface Options {
  bundle: string;
  repo: string | null;
  limit: number;
  last: number;
  modes: Mode[];
  json: string | null;
  branch: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    bundle: resolve(ROOT, '..', 'shared', 'corpus', 'history', 'qemu-pairs.bundle'),
    repo: null,
    limit: 0,
    last: 0,
    modes: ['diff-only', 'repo'],
    json: null,
    branch: 'master',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (a === '--bundle') o.bundle = resolve(v);
    else if (a === '--repo') o.repo = resolve(v);
    else if (a === '--limit') o.limit = Number(v);
    else if (a === '--last') o.last = Number(v);
    else if (a === '--json') o.json = resolve(v);
    else if (a === '--branch') o.branch = v;
    else if (a === '--modes') {
      o.modes = v.split(',').map((m) => {
        if (m !== 'diff-only' && m !== 'repo') throw new Error(`--modes: unknown mode ${m} (diff-only, repo)`);
        return m;
      });
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

function git(dir: string, args: string[]): string {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Every commit of master, oldest first, as one email-format patch each (merges: first-parent diff). */
function commitPatches(repo: string, branch: string): { sha: string; text: string }[] {
  const all = git(repo, ['log', '--reverse', '--format=email', '-p', '--stat', '--diff-merges=first-parent', branch]);
  const starts = [...all.matchAll(/^From ([0-9a-f]{40}) Mon Sep 17 00:00:00 2001$/gm)];
  return starts.map((m, i) => ({
    sha: m[1] as string,
    text: all.slice(m.index, i + 1 < starts.length ? (starts[i + 1] as RegExpMatchArray).index : all.length),
  }));
}

/** N items spread evenly over `items` (all of them when N is 0 or more than there are). */
function spread<T>(items: T[], n: number): T[] {
  if (n <= 0 || n >= items.length) return items;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.floor((i * items.length) / n)] as T);
  return out;
}

const MiB = 1024 * 1024;

async function run(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  let clone = opts.repo;
  const made: string[] = [];
  if (!clone) {
    clone = mkdtempSync(join(tmpdir(), 'pairlint-sweep-repo-'));
    made.push(clone);
    const c = spawnSync('git', ['clone', '-q', opts.bundle, clone], { encoding: 'utf8' });
    if (c.status !== 0) throw new Error(`git clone ${opts.bundle}: ${c.stderr}`);
  }
  const outside = mkdtempSync(join(tmpdir(), 'pairlint-sweep-outside-'));
  made.push(outside);
  // a directory under no repository: git must not find one above it
  const ceiling = tmpdir();
  process.env.GIT_CEILING_DIRECTORIES = ceiling;

  let patches = commitPatches(clone, opts.branch);
  const total = patches.length;
  // a merge whose first-parent diff leaves the kept paths alone has no diff: no patch to lint
  // (pairlint rightly refuses a mail with no diff), so it is counted, not run
  const empty = patches.filter((p) => !/^diff --git /m.test(p.text)).length;
  patches = patches.filter((p) => /^diff --git /m.test(p.text));
  if (opts.last > 0) patches = patches.slice(-opts.last);
  patches = spread(patches, opts.limit);
  process.stdout.write(
    `sweep: ${patches.length} of ${total} commits (${empty} merges with no diff in the kept paths left out), modes ${opts.modes.join(', ')}\n`,
  );

  const failures: Failure[] = [];
  let peakRss = process.memoryUsage().rss;
  const checkpoints: { mode: Mode; done: number; rssMiB: number; heapMiB: number }[] = [];
  const times: Record<string, number> = {};
  const counts: Record<string, Record<number, number>> = {};
  try {
    for (const mode of opts.modes) {
      const cwd = mode === 'repo' ? clone : outside;
      const t0 = performance.now();
      counts[mode] = {};
      const every = Math.max(1, Math.floor(patches.length / 10));
      for (let i = 0; i < patches.length; i++) {
        const { sha, text } = patches[i] as { sha: string; text: string };
        let stdout = '';
        let stderr = '';
        const code = await main(['--format', 'json', '-'], {
          stdout: (t) => (stdout += t),
          stderr: (t) => (stderr += t),
          readStdin: () => Buffer.from(text),
          cwd,
          env: {},
          isTTY: false,
        });
        const modeCounts = counts[mode] as Record<number, number>;
        modeCounts[code] = (modeCounts[code] ?? 0) + 1;
        const subject = /^Subject: (?:\[PATCH\] )?(.*)$/m.exec(text)?.[1] ?? '';
        if (code === 2) {
          failures.push({ mode, sha, subject, kind: /internal error/.test(stderr) ? 'internal' : 'exit-2', text: stderr.trim() });
        } else {
          const notes = (JSON.parse(stdout) as { notes: string[] }).notes.filter((n) => n.startsWith('not checked: '));
          for (const n of notes) failures.push({ mode, sha, subject, kind: 'not-checked', text: n });
        }
        const mem = process.memoryUsage();
        if (mem.rss > peakRss) peakRss = mem.rss;
        if ((i + 1) % every === 0 || i + 1 === patches.length) {
          checkpoints.push({ mode, done: i + 1, rssMiB: Math.round(mem.rss / MiB), heapMiB: Math.round(mem.heapUsed / MiB) });
          process.stdout.write(
            `  ${mode}: ${i + 1}/${patches.length} ${((performance.now() - t0) / 1000).toFixed(0)} s, ` +
              `rss ${Math.round(mem.rss / MiB)} MiB, heap ${Math.round(mem.heapUsed / MiB)} MiB, failures ${failures.length}\n`,
          );
        }
      }
      times[mode] = (performance.now() - t0) / 1000;
    }
  } finally {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  }

  const byKind = (mode: Mode, kind: Failure['kind']) => failures.filter((f) => f.mode === mode && f.kind === kind).length;
  for (const mode of opts.modes) {
    process.stdout.write(
      `${mode}: ${patches.length} commits in ${(times[mode] ?? 0).toFixed(1)} s; exit codes ${JSON.stringify(counts[mode])}; ` +
        `internal errors ${byKind(mode, 'internal')}, files not checked ${byKind(mode, 'not-checked')}, other exit 2 ${byKind(mode, 'exit-2')}\n`,
    );
  }
  process.stdout.write(`peak RSS ${Math.round(peakRss / MiB)} MiB\n`);
  for (const f of failures.slice(0, 30)) process.stdout.write(`  ${f.mode} ${f.sha.slice(0, 12)} ${f.subject}: ${f.text}\n`);
  if (failures.length > 30) process.stdout.write(`  ... and ${failures.length - 30} more\n`);
  if (opts.json) {
    writeFileSync(
      opts.json,
      JSON.stringify({ commits: patches.length, of: total, noDiff: empty, modes: opts.modes, seconds: times, exitCodes: counts, peakRssMiB: Math.round(peakRss / MiB), checkpoints, failures }, null, 2) + '\n',
    );
  }
  return failures.length > 0 ? 1 : 0;
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`sweep: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 2;
  },
);
