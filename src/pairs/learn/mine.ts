/**
 * Mining a code base: every C file's evidence, summed into one learned
 * table. The files come from a source (a git tree, a directory); the C
 * parser must be ready (initCParser). Each file is modelled alone and
 * dropped: memory stays that of a few files at a time plus the evidence.
 * Files are modelled by worker threads when there are enough of them
 * (evidence-pool.ts); the sums are made in file order either way, so the
 * table does not depend on which thread modelled what.
 */
import { buildFileModel } from '../../cmodel/parse.js';
import { fileEvidence, type FileEvidence } from './evidence.js';
import { EvidencePool, workerCount, workerScript } from './evidence-pool.js';
import { addEvidence, emptyLearnedData, type LearnedData } from './learned.js';

export interface SourceFile {
  path: string;
  /** what identifies this content of this path (a blob id, or size and mtime): the store's key */
  key: string;
  /** the text, or null when it cannot be read */
  read(): Promise<string | null> | string | null;
}

export interface MineOptions {
  /** the non-resource globs of the pair table (what `isNonResource` tests), for the workers */
  nonResources: readonly string[];
  /** workers to model files with (1: none); unset: one per core when there are enough files */
  jobs?: number;
}

/** Files larger than this are generated tables, not resource code: not read. */
const MAX_MINED_FILE_BYTES = 1_500_000;
/** Files sent to the workers and not yet answered, per worker: bounds the texts held at once. */
const IN_FLIGHT_PER_WORKER = 8;

/**
 * The evidence of every file, from `store` when it has the file's key, else
 * by modelling the file; `store` is left holding exactly these files' entries
 * (the next tree reuses what did not change).
 */
export async function mineFiles(
  files: readonly SourceFile[],
  isNonResource: (name: string) => boolean,
  store: Map<string, FileEvidence>,
  options: MineOptions = { nonResources: [] },
): Promise<{ data: LearnedData; paths: string[]; mined: number; workers: number }> {
  const keyOf = (file: SourceFile) => `${file.path}\u0000${file.key}`;
  const toModel = files.filter((f) => !store.has(keyOf(f))).length;
  const script = workerScript();
  const workers = script ? workerCount(toModel, options.jobs) : 0;
  const pool = workers > 0 && script ? new EvidencePool(script, workers, options.nonResources) : null;
  const inThread = (path: string, text: string): FileEvidence | null => {
    try {
      return fileEvidence(buildFileModel(path, text), isNonResource, undefined, text);
    } catch {
      // a file the parser cannot take teaches nothing; the rest still do
      return null;
    }
  };

  // one entry per file, in file order: evidence, or its promise from a worker
  const results: (FileEvidence | Promise<FileEvidence | null> | null)[] = [];
  const texts = new Map<number, { path: string; text: string }>();
  let mined = 0;
  try {
    for (const file of files) {
      const stored = store.get(keyOf(file));
      if (stored) {
        results.push(stored);
        continue;
      }
      const text = await file.read();
      if (text === null || text.length > MAX_MINED_FILE_BYTES) {
        results.push(null);
        continue;
      }
      if (!pool) {
        results.push(inThread(file.path, text));
        continue;
      }
      const index = results.length;
      texts.set(index, { path: file.path, text });
      const answer = pool.model(file.path, text);
      // a settled answer's text is no longer needed (a failed one is mined here below)
      void answer.then(() => texts.delete(index), () => undefined);
      results.push(answer);
      await pool.below(workers * IN_FLIGHT_PER_WORKER);
    }
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if (!(r instanceof Promise)) continue;
      results[i] = await r.catch(() => {
        // a worker died: this file is modelled here instead
        const t = texts.get(i);
        return t ? inThread(t.path, t.text) : null;
      });
    }
  } finally {
    await pool?.close();
  }

  const data = emptyLearnedData();
  const paths: string[] = [];
  const kept = new Map<string, FileEvidence>();
  files.forEach((file, i) => {
    const ev = results[i] as FileEvidence | null;
    if (!ev) return;
    if (!store.has(keyOf(file))) mined++;
    kept.set(keyOf(file), ev);
    addEvidence(data, ev);
    paths.push(file.path);
  });
  store.clear();
  for (const [k, v] of kept) store.set(k, v);
  return { data, paths, mined, workers };
}
