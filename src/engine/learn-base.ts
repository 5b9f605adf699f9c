/**
 * The learned pair table of the code base a change applies to: the tree of
 * the range's base revision (or HEAD, for patches and the staged change) in
 * a repository, the `--tree` directory otherwise; nothing in diff-only mode
 * (the touched files still teach as the run reads them). Read from the cache
 * when the same tree was mined before.
 */
import type { GitRepo } from '../git/repo.js';
import { cFilesOfTree, treeIdOf } from '../git/tree-files.js';
import { cFileStats, dirFilesKey, readDirFile } from '../images/dir-files.js';
import { initCParser } from '../cmodel/parse.js';
import { LearnedPairs } from '../pairs/learn/learned.js';
import { mineFiles, type SourceFile } from '../pairs/learn/mine.js';
import { readCachedTable, readFileStore, writeCachedTable, writeFileStore } from '../pairs/learn/cache.js';
import type { FileEvidence } from '../pairs/learn/evidence.js';
import type { PairTable } from '../pairs/table.js';

export type LearnSource = { kind: 'git'; repo: GitRepo; rev: string } | { kind: 'dir'; dir: string } | { kind: 'none' };

export interface LearnOptions {
  /** where tables are cached; null: no cache (`--no-cache`) */
  cacheDir: string | null;
  version: string;
  /** worker threads to mine with (1: none); unset: one per core when there are enough files */
  jobs?: number;
}

export interface LearnOutcome {
  /** how the table was had: mined, from the cache, or nothing to mine */
  how: 'mined' | 'cached' | 'none';
  files: number;
  pairs: number;
  /** the tree id or directory key the table belongs to */
  key: string | null;
  /** files modelled (the rest came from the store of the last tree mined at the same place) */
  mined?: number;
  /** worker threads that modelled them (0: the main thread did) */
  workers?: number;
}

/** The base revision of a range: what `A..B`, `A...B` and `A..` start from (HEAD for `..B`). */
export function rangeBase(range: string): string {
  const left = range.split(/\.\.\.?/)[0] ?? '';
  return left === '' ? 'HEAD' : left;
}

export async function learnBase(table: PairTable, source: LearnSource, opts: LearnOptions): Promise<LearnOutcome> {
  if (source.kind === 'none') return { how: 'none', files: 0, pairs: 0, key: null };
  let key: string | null;
  let place: string;
  let listFiles: () => Promise<SourceFile[]>;
  if (source.kind === 'git') {
    key = await treeIdOf(source.repo, source.rev);
    if (!key) return { how: 'none', files: 0, pairs: 0, key: null };
    const tree = key;
    place = `git:${source.repo.topLevel ?? source.repo.dir}`;
    listFiles = async () =>
      (await cFilesOfTree(source.repo, tree)).map((f) => ({ path: f.path, key: f.blob, read: () => source.repo.readBlob(f.blob) }));
  } else {
    const stats = cFileStats(source.dir);
    key = `dir:${dirFilesKey(stats)}`;
    place = `dir:${source.dir}`;
    listFiles = async () => stats.map((f) => ({ path: f.path, key: f.key, read: () => readDirFile(source.dir, f.path) }));
  }
  const nonResource = (n: string) => table.isNonResource(n);
  const cached = opts.cacheDir !== null ? readCachedTable(opts.cacheDir, key, opts.version) : null;
  if (cached) {
    const learned = new LearnedPairs(cached.data, nonResource, cached.paths);
    table.useLearned(learned);
    return { how: 'cached', files: cached.paths.length, pairs: learned.pairs().length, key };
  }
  await initCParser();
  // the files of the last tree mined here: only the files that changed since are modelled
  const store = opts.cacheDir !== null ? readFileStore(opts.cacheDir, place, opts.version) : new Map<string, FileEvidence>();
  const mined = await mineFiles(await listFiles(), nonResource, store, { nonResources: table.data.nonResources, jobs: opts.jobs });
  if (opts.cacheDir !== null) {
    writeCachedTable(opts.cacheDir, key, opts.version, { data: mined.data, paths: mined.paths });
    writeFileStore(opts.cacheDir, place, opts.version, store);
  }
  const learned = new LearnedPairs(mined.data, nonResource, mined.paths);
  table.useLearned(learned);
  return { how: 'mined', files: mined.paths.length, pairs: learned.pairs().length, key, mined: mined.mined, workers: mined.workers };
}
