// STUB (owned by the inputs helper): replace the body, keep the signature.
import type { FileDiff } from '../series/model.js';

export interface DiffParseOptions {
  /** name of the input, for error messages */
  source: string;
  /** line number in the input of the first line of `text`, minus one */
  lineOffset?: number;
}

/** Parse the diff part of a patch (everything from the first file header on). */
export function parseDiffText(text: string, options: DiffParseOptions): FileDiff[] {
  throw new Error(`not implemented: ${options.source} ${text.length}`);
}
