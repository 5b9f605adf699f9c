/**
 * `node build/scripts/bench-child.js ARGS...`: runs the CLI with ARGS in this
 * process, unchanged, and on exit writes measurements to the file named by
 * PAIRLINT_BENCH_OUT (JSON):
 *   - maxRSS: peak resident set size in KiB (process.resourceUsage());
 *   - commitTimes: for a revision range, per commit, the milliseconds from
 *     the moment the range reader delivers it to the moment it delivers the
 *     next one (the engine's work on this commit plus reading and parsing the
 *     next from `git log -p`); for the last commit, to the end of the range.
 * The range reader is observed by wrapping GitRepository.prototype.commits,
 * so nothing in src/ knows about the benchmark. That needs the CLI's
 * modules, not bin/pairlint.js's bundle (which has its own copy of the
 * class): this runs build/src/cli/main.js with the launcher's V8 flags, and
 * the benchmark times the real launcher in a separate run.
 */
import { writeFileSync } from 'node:fs';
import { GitRepository } from '../src/git/repo.js';
import type { Commit } from '../src/series/model.js';

const out = process.env.PAIRLINT_BENCH_OUT;
const commitTimes: number[] = [];
const started = performance.now();

const original = GitRepository.prototype.commits;
GitRepository.prototype.commits = function (this: GitRepository, range: string, pathspec: string[]): AsyncGenerator<Commit> {
  const inner = original.call(this, range, pathspec);
  async function* timed(): AsyncGenerator<Commit> {
    let last: number | null = null;
    for await (const c of inner) {
      const now = performance.now();
      if (last !== null) commitTimes.push(now - last);
      last = now;
      yield c;
    }
    if (last !== null) commitTimes.push(performance.now() - last);
  }
  return timed();
};

process.on('exit', () => {
  if (!out) return;
  writeFileSync(
    out,
    JSON.stringify({ maxRSS: process.resourceUsage().maxRSS, commitTimes, ms: performance.now() - started }),
  );
});

// the launcher's V8 flags (bin/ is plain JS beside build/), before the CLI loads
await import(new URL('../../bin/v8-flags.js', import.meta.url).href);
const { main } = await import('../src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
