// STUB (owned by the inputs helper): replace the body, keep the signature.
import type { Series } from '../series/model.js';

/**
 * Turn the text of one patch input (a plain `git diff`/`diff -u`, `git show`
 * output, one or more `git format-patch` files concatenated, or an mbox of many
 * messages) into a series. `source` is the file name ("-" for stdin), used in
 * error messages and Commit.source. Cover letters (0/N) become SeriesInfo, not
 * commits. Throws InputError (one line, names source and line) on bad input.
 */
export function parsePatchInput(text: string, source: string): Series {
  throw new Error(`not implemented: ${source} ${text.length}`);
}
