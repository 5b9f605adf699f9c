/**
 * Which image of each file a fix applies to. A fix is computed on the
 * post-image of its commit, but --fix-patch diffs against the tree after the
 * last commit: the lint loop tells this tracker each commit's images and
 * fixes, and at the end settleFixes moves every fix onto the final image of
 * its file (or drops it).
 */
import type { FileImages } from '../images/types.js';
import type { Finding } from '../rule/finding.js';
import { settleFixes } from './stage.js';

export class FixBases {
  /** for each file a fix edits, its post-image after the latest commit that touched it */
  private readonly finalTexts = new Map<string, string>();
  /** for those files, the index of the last commit that changed them */
  private readonly lastChange = new Map<string, number>();

  /** Commit `index` has these images of a file: a file renamed away is gone; a file a fix edits moves on. */
  seeImages(img: FileImages, index: number): void {
    if (img.pre && img.pre.path !== img.post?.path) this.finalTexts.delete(img.pre.path);
    else if (img.post && this.finalTexts.has(img.post.path)) {
      this.finalTexts.set(img.post.path, img.post.text);
      this.lastChange.set(img.post.path, index);
    }
  }

  /** Commit `index` kept these findings: the files their fixes edit, as the commit left them (`postTexts`). */
  seeFixes(kept: readonly Finding[], postTexts: ReadonlyMap<string, string>, index: number): void {
    for (const f of kept) {
      for (const e of f.fix?.edits ?? []) {
        this.finalTexts.set(e.file, postTexts.get(e.file) as string);
        this.lastChange.set(e.file, index);
      }
    }
  }

  /**
   * Settle the fixes of `findings` on the final images. In a series, only for
   * findings still present at its end (`stillPresent`); over a history (no
   * squashed check, null), only when no later commit changed the files a fix edits.
   */
  settle(findings: readonly Finding[], stillPresent: ReadonlySet<string> | null, commitIndexOf: (f: Finding) => number | undefined): Map<string, string> {
    return settleFixes(findings, this.finalTexts, (f) =>
      stillPresent !== null
        ? stillPresent.has(f.fingerprint)
        : (f.fix?.edits ?? []).every((e) => this.lastChange.get(e.file) === commitIndexOf(f)),
    );
  }
}
