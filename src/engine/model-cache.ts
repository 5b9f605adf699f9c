/**
 * C models of file images, built once and reused: across the rules of a
 * commit (they share the ChangedFile), and from commit to commit (the
 * post-image of commit k is the pre-image of the next commit touching the
 * file). A post-image is modelled incrementally from its pre-image when the
 * pre-image still holds its parse tree (only the newest image of a path
 * does). Only the last few images of each path are kept, so memory does not
 * grow with the length of a range, and the first image of each of the first
 * 64 paths, which the squashed-series check at the end asks for again.
 */
import type { CFileModel } from '../cmodel/types.js';
import { ParsedImage, type LineEdit } from '../cmodel/parse.js';
import { lineEditsBetween } from './text-diff.js';
import type { DiskModelCache } from './disk-cache.js';

let totalBuilt = 0;
let totalIncremental = 0;

/** Models built by every ModelCache since the program started (for tests and the benchmark). */
export function modelBuildCount(): number {
  return totalBuilt;
}

/** Of those, the ones built from a previous image's tree. */
export function incrementalBuildCount(): number {
  return totalIncremental;
}

/** The image a new one was made from, and the line edits between them (a hint, checked). */
export interface ImageOrigin {
  text: string;
  edits: readonly LineEdit[];
}

export class ModelCache {
  /** path -> newest images first; Map order = least recently used path first */
  private readonly byPath = new Map<string, ParsedImage[]>();
  /**
   * The first image asked for per path (its model; the tree is the newest
   * image's): the squashed-series check at the end asks for it again
   */
  private readonly firsts = new Map<string, ParsedImage>();
  /** how many models were built (for tests and the benchmark) */
  built = 0;

  constructor(
    /** images kept per path: a commit's pre and post, and one more for a revert */
    private readonly perPath = 3,
    /** paths kept (each keeps the parse tree of its newest image) */
    private readonly paths = 32,
    /** paths whose first image is kept for the end of the range */
    private readonly firstPaths = 64,
    /** models on disk (`--cache`): read before building one, written after */
    private readonly disk: DiskModelCache | null = null,
  ) {}

  get(path: string, text: string, origin?: ImageOrigin): CFileModel {
    const images = this.byPath.get(path) ?? [];
    this.byPath.delete(path);
    this.byPath.set(path, images);
    // === on strings: O(1) for the same object, a length check, then the bytes
    const at = images.findIndex((e) => e.text === text);
    const first = this.firsts.get(path);
    let image: ParsedImage;
    if (at >= 0) {
      image = images[at] as ParsedImage;
      images.splice(at, 1);
    } else if (first && first.text === text) {
      image = first;
    } else {
      const stored = this.disk?.get(path, text) ?? null;
      if (stored) {
        // no tree: the path's newest tree (if any) stays the base of the next image
        image = ParsedImage.fromModel(path, text, stored);
      } else {
        // the path's newest image holds its tree: build on it even when it is
        // not the image this one was made from (a revert to an older image,
        // a commit after it): a line diff of the two texts gives the edits
        const base = images.find((e) => e.hasTree);
        if (base) {
          totalIncremental++;
          const edits = origin && origin.text === base.text ? origin.edits : lineEditsBetween(base.text, text);
          image = base.next(path, text, edits);
        } else {
          image = ParsedImage.parse(path, text);
        }
        // one tree per path: the newest image's
        for (const e of images) e.dispose();
        this.built++;
        totalBuilt++;
        this.disk?.put(path, text, image.model);
      }
    }
    if (!first && this.firsts.size < this.firstPaths) this.firsts.set(path, image);
    images.unshift(image);
    while (images.length > this.perPath) images.pop()?.dispose();
    if (this.byPath.size > this.paths) {
      const oldest = this.byPath.keys().next().value as string;
      for (const e of this.byPath.get(oldest) ?? []) e.dispose();
      this.byPath.delete(oldest);
    }
    return image.model;
  }

  /** Free every parse tree (wasm memory); models already handed out stay usable. */
  dispose(): void {
    for (const images of this.byPath.values()) for (const e of images) e.dispose();
    this.byPath.clear();
    this.firsts.clear();
  }
}
