/**
 * Mining a code base: every C file's evidence, summed into one learned
 * table. The files come from a source (a git tree, a directory); the C
 * parser must be ready (initCParser). Each file is modelled alone and
 * dropped: memory stays that of one file at a time plus the evidence.
 */
import { buildFileModel } from '../../cmodel/parse.js';
import { fileEvidence, type FileEvidence } from './evidence.js';
import { addEvidence, emptyLearnedData, type LearnedData } from './learned.js';

export interface SourceFile {
  path: string;
  /** what identifies this content of this path (a blob id, or size and mtime): the store's key */
  key: string;
  /** the text, or null when it cannot be read */
  read(): Promise<string | null> | string | null;
}

/** Files larger than this are generated tables, not resource code: not read. */
const MAX_MINED_FILE_BYTES = 1_500_000;

/**
 * The evidence of every file, from `store` when it has the file's key, else
 * by modelling the file; `store` is left holding exactly these files' entries
 * (the next tree reuses what did not change).
 */
export async function mineFiles(
  files: readonly SourceFile[],
  isNonResource: (name: string) => boolean,
  store: Map<string, FileEvidence>,
): Promise<{ data: LearnedData; paths: string[]; mined: number }> {
  const data = emptyLearnedData();
  const paths: string[] = [];
  const kept = new Map<string, FileEvidence>();
  let mined = 0;
  for (const file of files) {
    const storeKey = `${file.path}\u0000${file.key}`;
    let ev = store.get(storeKey);
    if (!ev) {
      const text = await file.read();
      if (text === null || text.length > MAX_MINED_FILE_BYTES) continue;
      try {
        ev = fileEvidence(buildFileModel(file.path, text), isNonResource);
      } catch {
        // a file the parser cannot take teaches nothing; the rest still do
        continue;
      }
      mined++;
    }
    kept.set(storeKey, ev);
    addEvidence(data, ev);
    paths.push(file.path);
  }
  store.clear();
  for (const [k, v] of kept) store.set(k, v);
  return { data, paths, mined };
}
