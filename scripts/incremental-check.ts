/**
 * `npm run incremental-check`: proves on real code what
 * test/cmodel/incremental.test.ts checks on our fixtures, that a C model
 * built incrementally (ParsedImage.next from the pre-image) equals the model
 * built from scratch. For every commit of the hw/vfio history (a clone of
 * ../shared/corpus/history/hw-vfio.bundle in a temporary directory) and
 * every C file it changes, the pre-image is parsed, the post-image modelled
 * from it with the line edits between the two texts, and compared with
 * buildFileModel(post). Lists every (commit, file) that differs; exit 1
 * when any does.
 *
 * Options: --corpus DIR, --last N (only the last N commits).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { buildFileModel, initCParser, ParsedImage } from '../src/cmodel/parse.js';
import type { CFileModel } from '../src/cmodel/types.js';
import { lineEditsBetween } from '../src/engine/text-diff.js';
import { cloneHistory } from './findings-snapshot.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

function git(dir: string, args: string[]): string | null {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.status === 0 ? r.stdout : null;
}

/** The model as data: lazily moved functions copied out, undefined fields dropped, as toEqual compares. */
function plain(model: CFileModel): unknown {
  return JSON.parse(
    JSON.stringify({ functions: model.functions, initializers: model.initializers, hasErrors: model.hasErrors, errorLines: model.errorLines }),
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let corpus = resolve(ROOT, '..', 'shared', 'corpus');
  let last = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (a === '--corpus') corpus = resolve(v);
    else if (a === '--last') last = Number(v);
    else throw new Error(`unknown option ${a}`);
  }
  const history = cloneHistory(corpus);
  if (!history) throw new Error(`no history bundle under ${corpus}`);
  await initCParser();
  const t0 = performance.now();
  let images = 0;
  const differ: string[] = [];
  try {
    let commits = (git(history.dir, ['rev-list', '--reverse', '--no-merges', `${history.root}..master`]) ?? '').trim().split('\n');
    if (last > 0) commits = commits.slice(-last);
    for (const c of commits) {
      const files = (git(history.dir, ['diff-tree', '--no-commit-id', '--name-only', '-r', `${c}^`, c]) ?? '')
        .split('\n')
        .filter((p) => /\.[ch]$/.test(p));
      for (const path of files) {
        const pre = git(history.dir, ['show', `${c}^:${path}`]);
        const post = git(history.dir, ['show', `${c}:${path}`]);
        if (pre === null || post === null) continue; // added or deleted
        const next = ParsedImage.parse(path, pre).next(path, post, lineEditsBetween(pre, post));
        images++;
        if (!isDeepStrictEqual(plain(next.model), plain(buildFileModel(path, post)))) differ.push(`${c.slice(0, 12)} ${path}`);
        next.dispose();
      }
    }
  } finally {
    rmSync(history.dir, { recursive: true, force: true });
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  for (const d of differ) process.stdout.write(`incremental-check: DIFFERENT ${d}\n`);
  process.stdout.write(
    differ.length
      ? `incremental-check: ${differ.length} of ${images} incremental models differ from models built from scratch\n`
      : `incremental-check: all ${images} incremental models equal the models built from scratch (${secs} s)\n`,
  );
  if (differ.length) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`incremental-check: ${(e as Error)?.message ?? String(e)}\n`);
  process.exitCode = 2;
});
