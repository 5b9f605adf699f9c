/**
 * One touched C file of one commit, with what rules need: models of both
 * images, which lines the commit changed, line mapping, and the pair sides.
 */
import type { CFileModel, CFunction } from '../cmodel/types.js';
import { calleeNames } from '../cmodel/callees.js';
import { lowerBound } from '../sorted.js';
import type { FileDiff } from '../series/model.js';
import type { ImageMode } from '../images/types.js';
import { findSidePairs, type SidePair } from '../pairs/sides.js';
import type { PairTable } from '../pairs/table.js';

/** A model, or how to build it when a rule first asks (see ChangedFile). */
export type ModelSource = CFileModel | null | (() => CFileModel | null);

export interface FunctionChange {
  name: string;
  pre: CFunction | null;
  post: CFunction | null;
}

function sortedLines(lines: ReadonlySet<number>): Int32Array {
  return Int32Array.from(lines).sort();
}

/** Is some element of the sorted array within [from, to]? */
function anyIn(sorted: Int32Array, from: number, to: number): boolean {
  const at = lowerBound(sorted, from);
  return at < sorted.length && (sorted[at] as number) <= to;
}

export class ChangedFile {
  readonly path: string;
  readonly oldPath: string | null;
  /** post-image lines the commit added */
  readonly added = new Set<number>();
  /** pre-image lines the commit removed */
  readonly removed = new Set<number>();
  private preSidesCache: readonly SidePair[] | null = null;
  private postSidesCache: readonly SidePair[] | null = null;
  private knownNamesCache: Set<string> | null = null;
  private changesCache: FunctionChange[] | null = null;
  private addedSorted: Int32Array | null = null;
  private removedSorted: Int32Array | null = null;
  private preSource: ModelSource;
  private postSource: ModelSource;

  /**
   * `pre` and `post` are models, or functions that build them the first time
   * they are read (the same model either way). `touchesNoFunction`: the
   * caller proved that no changed line lies in a function of either image
   * (outside-functions.ts), so functionChanges() is empty without a model.
   */
  constructor(
    readonly diff: FileDiff,
    readonly mode: ImageMode,
    pre: ModelSource,
    post: ModelSource,
    private readonly table: PairTable,
    readonly touchesNoFunction = false,
  ) {
    this.preSource = pre;
    this.postSource = post;
    this.path = (diff.newPath ?? diff.oldPath) as string;
    this.oldPath = diff.oldPath;
    for (const hunk of diff.hunks) {
      for (const line of hunk.lines) {
        if (line.kind === '+' && line.newLine !== undefined) this.added.add(line.newLine);
        if (line.kind === '-' && line.oldLine !== undefined) this.removed.add(line.oldLine);
      }
    }
  }

  get pre(): CFileModel | null {
    if (typeof this.preSource === 'function') this.preSource = this.preSource();
    return this.preSource;
  }

  get post(): CFileModel | null {
    if (typeof this.postSource === 'function') this.postSource = this.postSource();
    return this.postSource;
  }

  get diffOnly(): boolean {
    return this.mode === 'diff-only';
  }

  /** Where a pre-image line ends up in the post-image (a removed line maps to where it was). */
  preToPost(line: number): number {
    let delta = 0;
    for (const hunk of this.diff.hunks) {
      if (line < hunk.oldStart) break;
      if (line < hunk.oldStart + hunk.oldLines) {
        let post = hunk.newStart;
        for (const l of hunk.lines) {
          if (l.oldLine !== undefined && l.oldLine >= line) return l.newLine ?? post;
          if (l.newLine !== undefined) post = l.newLine + 1;
        }
        return post;
      }
      delta = hunk.newStart + hunk.newLines - (hunk.oldStart + hunk.oldLines);
    }
    return line + delta;
  }

  /** Where a post-image line was in the pre-image; null for added lines. */
  postToPre(line: number): number | null {
    if (this.added.has(line)) return null;
    let delta = 0;
    for (const hunk of this.diff.hunks) {
      if (line < hunk.newStart) break;
      if (line < hunk.newStart + hunk.newLines) {
        const l = hunk.lines.find((x) => x.newLine === line);
        return l?.oldLine ?? null;
      }
      delta = hunk.oldStart + hunk.oldLines - (hunk.newStart + hunk.newLines);
    }
    return line + delta;
  }

  /** Does the post-image range [from, to] contain an added line? O(log n): rules ask this per condition and call. */
  addedIn(from: number, to: number): boolean {
    this.addedSorted ??= sortedLines(this.added);
    return anyIn(this.addedSorted, from, to);
  }

  removedIn(from: number, to: number): boolean {
    this.removedSorted ??= sortedLines(this.removed);
    return anyIn(this.removedSorted, from, to);
  }

  /** Functions the commit touched, matched by name across the images. */
  functionChanges(): FunctionChange[] {
    if (this.changesCache) return this.changesCache;
    if (this.touchesNoFunction) return (this.changesCache = []);
    const names = new Set<string>();
    for (const line of this.added) {
      const fn = this.post?.functionAt(line);
      if (fn) names.add(fn.name);
    }
    for (const line of this.removed) {
      const fn = this.pre?.functionAt(line);
      if (fn) names.add(fn.name);
    }
    this.changesCache = [...names].map((name) => ({
      name,
      pre: this.pre?.functionByName(name) ?? null,
      post: this.post?.functionByName(name) ?? null,
    }));
    return this.changesCache;
  }

  /** Was the named post-image function touched by the commit? */
  touched(name: string): boolean {
    return this.functionChanges().some((c) => c.name === name);
  }

  get postSides(): readonly SidePair[] {
    this.postSidesCache ??= this.post ? findSidePairs(this.post, this.table) : [];
    return this.postSidesCache;
  }

  get preSides(): readonly SidePair[] {
    this.preSidesCache ??= this.pre ? findSidePairs(this.pre, this.table) : [];
    return this.preSidesCache;
  }

  /** Every function name defined or called in either image: evidence for name families. */
  get knownNames(): Set<string> {
    if (!this.knownNamesCache) {
      const names = new Set<string>();
      for (const model of [this.pre, this.post]) {
        for (const fn of model?.functions ?? []) {
          names.add(fn.name);
          for (const callee of calleeNames(fn)) names.add(callee);
        }
      }
      this.knownNamesCache = names;
    }
    return this.knownNamesCache;
  }
}
