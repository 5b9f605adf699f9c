/**
 * Mining a code base: every C file's evidence, summed into one learned
 * table. The files come from a source (a git tree, a directory); the C
 * parser must be ready (initCParser). Each file is modelled alone and
 * dropped: memory stays that of one file at a time plus the evidence.
 */
import { buildFileModel } from '../../cmodel/parse.js';
import { fileEvidence } from './evidence.js';
import { addEvidence, emptyLearnedData, type LearnedData } from './learned.js';

export interface SourceFile {
  path: string;
  text: string;
}

/** Files larger than this are generated tables, not resource code: not read. */
export const MAX_MINED_FILE_BYTES = 1_500_000;

export async function mineFiles(
  files: AsyncIterable<SourceFile> | Iterable<SourceFile>,
  isNonResource: (name: string) => boolean,
): Promise<{ data: LearnedData; paths: string[] }> {
  const data = emptyLearnedData();
  const paths: string[] = [];
  for await (const file of files) {
    if (file.text.length > MAX_MINED_FILE_BYTES) continue;
    let model;
    try {
      model = buildFileModel(file.path, file.text);
    } catch {
      // a file the parser cannot take teaches nothing; the rest still do
      continue;
    }
    addEvidence(data, fileEvidence(model, isNonResource));
    paths.push(file.path);
  }
  return { data, paths };
}
