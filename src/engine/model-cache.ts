/**
 * C models of file images, built once and reused: across the rules of a
 * commit (they share the ChangedFile), and from commit to commit (the
 * post-image of commit k is the pre-image of the next commit touching the
 * file). Only the last few images of each path are kept, so memory does not
 * grow with the length of a range; the squashed-series check at the end may
 * rebuild a base image, once per path.
 */
import type { CFileModel } from '../cmodel/types.js';
import { buildFileModel } from '../cmodel/parse.js';

let totalBuilt = 0;

/** Models built by every ModelCache since the program started (for tests and the benchmark). */
export function modelBuildCount(): number {
  return totalBuilt;
}

interface Entry {
  text: string;
  model: CFileModel;
}

export class ModelCache {
  /** path -> newest images first; Map order = least recently used path first */
  private readonly byPath = new Map<string, Entry[]>();
  /** how many models were built (for tests and the benchmark) */
  built = 0;

  constructor(
    /** images kept per path: a commit's pre and post, and one more for a revert */
    private readonly perPath = 3,
    /** paths kept */
    private readonly paths = 64,
  ) {}

  get(path: string, text: string): CFileModel {
    const entries = this.byPath.get(path) ?? [];
    this.byPath.delete(path);
    this.byPath.set(path, entries);
    // === on strings: O(1) for the same object, a length check, then the bytes
    const at = entries.findIndex((e) => e.text === text);
    let entry: Entry;
    if (at >= 0) {
      entry = entries[at] as Entry;
      entries.splice(at, 1);
    } else {
      entry = { text, model: buildFileModel(path, text) };
      this.built++;
      totalBuilt++;
    }
    entries.unshift(entry);
    if (entries.length > this.perPath) entries.length = this.perPath;
    if (this.byPath.size > this.paths) this.byPath.delete(this.byPath.keys().next().value as string);
    return entry.model;
  }
}
