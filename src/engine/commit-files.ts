/**
 * The images and models stage of the lint loop: a commit's touched C files,
 * aligned to their images and modelled through the model cache, with the
 * context files of a pathspec range that may hold the other half of a move.
 */
import type { Commit, FileDiff } from '../series/model.js';
import type { ImageSource } from '../images/source.js';
import type { FileImages } from '../images/types.js';
import { isCFile } from '../images/source.js';
import type { PairTable } from '../pairs/table.js';
import type { CFileModel } from '../cmodel/types.js';
import { makeModel } from '../cmodel/model.js';
import { ChangedFile } from '../model/changed-file.js';
import { changesOutsideFunctions } from './outside-functions.js';
import { mayDefineAny } from './name-index.js';
import { alignDiffToImages } from './shift.js';
import { lineEditsOf } from './line-edits.js';
import type { ModelCache } from './model-cache.js';

interface Touched {
  diff: FileDiff;
  img: FileImages;
  aligned: FileDiff;
  /** every changed line is surely outside every function (outside-functions.ts) */
  outside: boolean;
}

/** A file of the commit, as the rules see it, with the images it was built from. */
export interface ReadFile {
  file: ChangedFile;
  touched: Touched;
}

interface CommitFiles {
  /** the files in the order they were read: the selected ones, then context files */
  read: ReadFile[];
  /**
   * the commit touches no function in any file (only #includes, comments,
   * macros between functions): the rules that look only at touched functions
   * do not run, and models are built only when another rule asks for one
   */
  noFunctionTouched: boolean;
}

/** Note a file that could not be checked, and why (RunNotes.failed). */
export type Failed = (what: string, e: unknown) => void;

/** The model of a file that could not be modelled: nothing in it, flagged as having errors. */
function unmodelled(path: string): CFileModel {
  return makeModel({ path, functions: [], initializers: [], hasErrors: true, errorLines: [] });
}

/** The C files of `diffs` that have images, aligned to them; binary C files are noted in `binaryC`. */
function touchedFiles(diffs: readonly FileDiff[], fileImages: ReadonlyMap<FileDiff, FileImages>, binaryC: Set<string>): Touched[] {
  const touched: Touched[] = [];
  for (const diff of diffs) {
    const img = fileImages.get(diff);
    if (diff.binary && isCFile(diff.newPath ?? diff.oldPath)) binaryC.add((diff.newPath ?? diff.oldPath) as string);
    if (!img || diff.binary || !isCFile(diff.newPath ?? diff.oldPath)) continue;
    const aligned = alignDiffToImages(diff, img);
    touched.push({ diff, img, aligned, outside: img.mode === 'full' && changesOutsideFunctions(aligned, img) });
  }
  return touched;
}

/**
 * The image source without the context files of a pathspec range: their
 * images are read by movedContext, only for the commits that need them.
 * (Context files come only from range mode, whose git object source reads
 * each commit's images independently of the others, so the late read is
 * the same read.)
 */
export function selectedOnly(images: ImageSource): ImageSource {
  return {
    kind: images.kind,
    imagesFor: (commit) => images.imagesFor(commit.files.some((f) => f.context) ? { ...commit, files: commit.files.filter((f) => !f.context) } : commit),
  };
}

/**
 * The context files of `commit` that may hold the other half of a move:
 * a function that disappeared from the selected files (every selected
 * post-image lacks it) and may be defined in the context file's
 * post-image, or one that appeared in them (every selected pre-image lacks
 * it) and may be defined in its pre-image. Read from git only when the
 * selected files lost or gained a function; decided by a name index
 * (name-index.ts), not a parse. `files` are the selected files, models built.
 */
async function movedContext(commit: Commit, files: readonly ChangedFile[], images: ImageSource, binaryC: Set<string>): Promise<Touched[]> {
  const context = commit.files.filter((f) => f.context);
  if (context.length === 0 || files.length === 0) return [];
  const gone = new Set<string>();
  const came = new Set<string>();
  for (const file of files) {
    for (const change of file.functionChanges()) {
      if (change.pre && !change.post) gone.add(change.name);
      if (change.post && !change.pre) came.add(change.name);
    }
  }
  for (const file of files) {
    for (const name of gone) if (file.post?.functionByName(name)) gone.delete(name);
    for (const name of came) if (file.pre?.functionByName(name)) came.delete(name);
  }
  if (gone.size === 0 && came.size === 0) return [];
  const contextImages = await images.imagesFor({ ...commit, files: context });
  return touchedFiles(context, contextImages, binaryC).filter(
    ({ img }) => (img.post !== null && mayDefineAny(img.post.text, gone)) || (img.pre !== null && mayDefineAny(img.pre.text, came)),
  );
}

const pathOf = (t: Touched) => (t.diff.newPath ?? t.diff.oldPath) as string;

/** How the stage builds models: through the cache, the post-image incrementally from the pre-image. */
class ModelBuilder {
  constructor(
    private readonly cache: ModelCache,
    private readonly failed: Failed,
  ) {}

  pre({ img }: Touched): () => CFileModel | null {
    return () => (img.pre ? this.cache.get(img.pre.path, img.pre.text) : null);
  }

  post({ img, aligned }: Touched): () => CFileModel | null {
    return () => {
      const origin = img.pre && img.post && img.pre.path === img.post.path ? { text: img.pre.text, edits: lineEditsOf(aligned) } : undefined;
      return img.post ? this.cache.get(img.post.path, img.post.text, origin) : null;
    };
  }

  /** built when a rule first asks: a failure then leaves an empty model and a note */
  guarded(path: string, build: () => CFileModel | null): () => CFileModel | null {
    return () => {
      try {
        return build();
      } catch (e) {
        this.failed(path, e);
        return unmodelled(path);
      }
    };
  }
}

/**
 * Does the commit touch no function? Decided by the lexical scan (Touched.outside)
 * and, for a file the scan cannot clear (a file-scope macro call without a `;`
 * before the changed line, #if branches that leave different states), by its
 * own models, so one such file of a tree-wide commit does not cost the models
 * of all the others. Returns the files decided by their models (to be reused)
 * and those whose models failed (a note each, and left out).
 */
function decideFunctionTouched(touched: readonly Touched[], models: ModelBuilder, pairs: PairTable, failed: Failed) {
  const decided = new Map<Touched, ChangedFile>();
  const broken = new Set<Touched>();
  for (const t of touched) {
    if (t.outside) continue;
    let file: ChangedFile;
    try {
      const pre = models.pre(t)();
      file = new ChangedFile(t.aligned, t.img.mode, pre, models.post(t)(), pairs);
    } catch (e) {
      failed(pathOf(t), e);
      broken.add(t);
      continue;
    }
    decided.set(t, file);
    if (file.functionChanges().length > 0) return { noFunctionTouched: false, decided, broken };
  }
  return { noFunctionTouched: touched.length > 0, decided, broken };
}

/**
 * The files of `commit` as the rules see them. A commit that touches no
 * function (an #include, a comment, a macro between functions, in every file)
 * has nothing for the rules that look only at touched functions: they do not
 * run, and models are built only if another rule asks for one (the same
 * models, built when first read).
 */
export async function commitFiles(
  commit: Commit,
  fileImages: ReadonlyMap<FileDiff, FileImages>,
  images: ImageSource,
  cache: ModelCache,
  pairs: PairTable,
  binaryC: Set<string>,
  failed: Failed,
): Promise<CommitFiles> {
  const models = new ModelBuilder(cache, failed);
  const touched = touchedFiles(commit.files, fileImages, binaryC);
  const { noFunctionTouched, decided, broken } = decideFunctionTouched(touched, models, pairs, failed);
  const fileOf = (t: Touched): ChangedFile | null => {
    if (broken.has(t)) return null;
    const path = pathOf(t);
    const known = decided.get(t);
    if (noFunctionTouched) {
      const pre = known ? known.pre : models.guarded(path, models.pre(t));
      const post = known ? known.post : models.guarded(path, models.post(t));
      return new ChangedFile(t.aligned, t.img.mode, pre, post, pairs, true);
    }
    // built as it would be here: a file the scan did not clear is not `outside`
    if (known) return known;
    let pre: CFileModel | null;
    let post: CFileModel | null;
    try {
      pre = models.pre(t)();
      post = models.post(t)();
    } catch (e) {
      failed(path, e);
      return null;
    }
    return new ChangedFile(t.aligned, t.img.mode, pre, post, pairs, t.outside);
  };
  const read: ReadFile[] = [];
  const readAll = (list: readonly Touched[]) => {
    for (const t of list) {
      const file = fileOf(t);
      if (file) read.push({ file, touched: t });
    }
  };
  readAll(touched);
  // Context files of a pathspec range (outside it, see src/git/pathspec.ts):
  // read only when they may hold the other half of a move.
  if (!noFunctionTouched) readAll(await movedContext(commit, read.map((r) => r.file), images, binaryC));
  return { read, noFunctionTouched };
}
