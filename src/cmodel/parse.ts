// STUB (owned by the C-model helper): replace the body, keep the signatures.
import type { CFileModel } from './types.js';

/** Load web-tree-sitter and the C grammar once per process. */
export async function initCParser(): Promise<void> {
  throw new Error('not implemented');
}

/** Build the C model of one file image. initCParser() must have resolved. */
export function buildFileModel(path: string, text: string): CFileModel {
  throw new Error(`not implemented: ${path} ${text.length}`);
}
