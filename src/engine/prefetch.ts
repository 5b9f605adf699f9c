/**
 * Commits with their file images, one commit ahead: while the lint loop
 * models commit k, git reads the blobs of commit k + 1 (the cat-file
 * process runs on another core). Images are still asked for in commit
 * order, each after the previous answer (a chained source builds commit
 * k + 1's pre-images from commit k's post-images).
 */
import type { FileImages } from '../images/types.js';
import type { ImageSource } from '../images/source.js';
import type { Commit, FileDiff } from '../series/model.js';

export interface CommitWithImages {
  commit: Commit;
  images: Map<FileDiff, FileImages>;
}

export async function* withImages(
  commits: AsyncIterable<Commit> | Iterable<Commit>,
  source: ImageSource,
): AsyncGenerator<CommitWithImages> {
  let ahead: { commit: Commit; images: Promise<Map<FileDiff, FileImages>> } | null = null;
  const start = (commit: Commit) => {
    const images = source.imagesFor(commit);
    // awaited below; until then a failure must not count as unhandled
    images.catch(() => undefined);
    return { commit, images };
  };
  for await (const commit of commits) {
    if (ahead) {
      const current: CommitWithImages = { commit: ahead.commit, images: await ahead.images };
      ahead = start(commit);
      yield current;
    } else {
      ahead = start(commit);
    }
  }
  if (ahead) yield { commit: ahead.commit, images: await ahead.images };
}
