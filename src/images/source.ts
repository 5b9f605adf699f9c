import { InputError } from '../errors.js';
import type { GitRepo } from '../git/repo.js';
import { SHALLOW_HINT } from '../git/range.js';
import { commitLabel, type Commit, type FileDiff } from '../series/model.js';
import { applyFileDiff } from './apply.js';
import { diffOnlyFileImages } from './diffonly.js';
import { readTreeFile } from './tree.js';
import type { FileImages } from './types.js';

/** Where the before/after text of each touched C file comes from. */
export interface ImageSource {
  /** 'git' | 'tree' | 'diff-only' */
  readonly kind: 'git' | 'tree' | 'diff-only';
  /**
   * Images of every touched .c/.h file of `commit`. Must be called for the
   * commits of a series in order: a file touched twice starts from the first
   * commit's post-image. Throws InputError when a hunk does not apply (naming
   * the file and hunk) or when a modified file is missing at base.
   */
  imagesFor(commit: Commit): Promise<Map<FileDiff, FileImages>>;
}

/** True for the files pairlint models: `.c` and `.h`. */
export function isCFile(path: string | null): boolean {
  return path !== null && /\.[ch]$/.test(path);
}

/**
 * The file diffs that get images: a .c/.h path on either side, not binary,
 * not a symlink or submodule.
 */
export function imagedFiles(commit: Commit): FileDiff[] {
  return commit.files.filter(
    (f) =>
      (isCFile(f.oldPath) || isCFile(f.newPath)) &&
      !f.binary &&
      !isSpecialMode(f.oldMode) &&
      !isSpecialMode(f.newMode),
  );
}

function isSpecialMode(mode: string | undefined): boolean {
  return mode === '120000' || mode === '160000';
}

/** A usable blob id from an index line (not absent, not all zeros). */
function blobId(id: string | undefined): string | null {
  return id !== undefined && /^[0-9a-f]{4,64}$/.test(id) && !/^0+$/.test(id) ? id : null;
}

const VERB: Record<FileDiff['status'], string> = {
  modified: 'modifies',
  added: 'adds',
  deleted: 'deletes',
  renamed: 'renames',
  copied: 'copies',
};

function missingAtBase(path: string, where: string, file: FileDiff): InputError {
  return new InputError(`${path}: not found ${where} (the patch ${VERB[file.status]} it, so it must exist at base)`);
}

/** Blob texts remembered by id: a commit's pre-image is usually the post-image the commit before it read. */
const RECENT_BLOBS = 64;

const FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Can a post-image be rebuilt from `pre` and the hunks of `file` byte for byte (as decoded text)? */
function derivable(pre: string, file: FileDiff): boolean {
  if (file.binary || pre.includes('\r') || pre.includes('\uFFFD')) return false;
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) if (line.text.includes('\r') || line.text.includes('\uFFFD')) return false;
  }
  return true;
}

/** Images from git objects named on the diff's index lines (range and staged mode). */
export function gitObjectImages(repo: GitRepo): ImageSource {
  const recent = new Map<string, Promise<string>>();
  const load = async (path: string, spec: string, id: string): Promise<string> => {
    const text = await repo.readBlob(spec);
    if (text === null) {
      throw new InputError(
        `${path}: blob ${id} not found in ${repo.dir} (shallow or partial clone?); ${SHALLOW_HINT}`,
      );
    }
    return text;
  };
  const remember = (spec: string, text: Promise<string>): Promise<string> => {
    recent.delete(spec);
    recent.set(spec, text);
    if (recent.size > RECENT_BLOBS) recent.delete(recent.keys().next().value as string);
    return text;
  };
  const read = (path: string, spec: string, id: string): Promise<string> => {
    // only full object ids name the same blob for sure (an abbreviation may become ambiguous)
    if (!FULL_ID.test(spec)) return load(path, spec, id);
    let text = recent.get(spec);
    if (!text) {
      text = load(path, spec, id);
      text.catch(() => recent.delete(spec));
    }
    return remember(spec, text);
  };
  /**
   * The post-image of `file` without asking git: its hunks applied to the
   * pre-image text (git's own diff of those two blobs, so exact). Along a
   * range each commit's pre-image is the post-image before it, so git is
   * only asked for the first image of each file. Texts with a CR or an
   * undecodable byte are read from git instead (the diff's lines may not
   * round-trip them), and so is a post-image the hunks fail to give.
   */
  const derive = (file: FileDiff, pre: Promise<string>, path: string, id: string): Promise<string> => {
    const known = recent.get(id);
    if (known) return remember(id, known);
    const text = pre.then((preText) => {
      if (!derivable(preText, file)) return load(path, id, id);
      try {
        return applyFileDiff(preText, file, 'its pre-image')?.text ?? load(path, id, id);
      } catch {
        return load(path, id, id);
      }
    });
    text.catch(() => recent.delete(id));
    return remember(id, text);
  };
  return {
    kind: 'git',
    async imagesFor(commit: Commit): Promise<Map<FileDiff, FileImages>> {
      const staged = commit.source.kind === 'staged';
      const jobs = imagedFiles(commit).map(async (file): Promise<[FileDiff, FileImages]> => {
        let pre: Promise<string> | null = null;
        if (file.status !== 'added' && file.oldPath !== null) {
          const path = file.oldPath;
          const id = blobId(file.oldBlob);
          // no index line (pure rename, mode change): name the blob by path
          const spec = id ?? (commit.sha ? `${commit.sha}^:${path}` : staged ? `HEAD:${path}` : null);
          if (spec === null) throw new InputError(`${path}: the diff names no blob for the pre-image`);
          pre = read(path, spec, id ?? spec);
        }
        let post: Promise<string> | null = null;
        if (file.status !== 'deleted' && file.newPath !== null) {
          const path = file.newPath;
          const id = blobId(file.newBlob);
          const spec = id ?? (commit.sha ? `${commit.sha}:${path}` : staged ? `:0:${path}` : null);
          if (spec === null) throw new InputError(`${path}: the diff names no blob for the post-image`);
          post = pre !== null && id !== null && FULL_ID.test(id) ? derive(file, pre, path, id) : read(path, spec, id ?? spec);
        }
        const [preText, postText] = await Promise.all([pre, post]);
        return [
          file,
          {
            pre: preText === null ? null : { path: file.oldPath as string, text: preText },
            post: postText === null ? null : { path: file.newPath as string, text: postText },
            mode: 'full',
          },
        ];
      });
      return new Map(await Promise.all(jobs));
    },
  };
}

/** preOf()'s answer for a file read from its hunks alone. */
const DIFF_ONLY = Symbol('diff-only');

export interface ImageBase {
  text: string;
  /** what the hunks are applied to, for messages: "the file in /src/qemu" */
  where: string;
}

/**
 * Images built by applying each commit's hunks to the text the file had just
 * before it: the post-image left by an earlier commit of the series, or else
 * the base text `base(file, path)` finds (null: missing). Only the latest
 * text per path is kept.
 */
class ChainedImages implements ImageSource {
  /** path -> text after the latest commit that touched it; null when it no longer exists */
  private latest = new Map<string, { text: string; where: string } | null>();

  constructor(
    readonly kind: 'git' | 'tree',
    private readonly base: (file: FileDiff, path: string) => Promise<ImageBase | null>,
    private readonly baseName: string,
  ) {}

  async imagesFor(commit: Commit): Promise<Map<FileDiff, FileImages>> {
    const files = imagedFiles(commit);
    // every pre-image is the state before this commit, even when the commit
    // renames a file onto a path another of its diffs reads
    const pres = await Promise.all(files.map((f) => this.preOf(f)));
    const out = new Map<FileDiff, FileImages>();
    const updates: [string, { text: string; where: string } | null][] = [];
    const label = commit.subject !== '' ? `patch '${commitLabel(commit)}'` : 'an earlier patch';
    files.forEach((file, i) => {
      const found = pres[i] ?? null;
      if (found === DIFF_ONLY) {
        // a rename or copy whose old text is nowhere at hand: read its hunks alone
        const images = diffOnlyFileImages(file);
        const how = file.status === 'renamed' ? 'renamed' : 'copied';
        const hunks = file.hunks.length === 0 ? 'no line changed, nothing to check' : 'only the hunks were read';
        images.note =
          `${file.newPath}: ${how} from ${file.oldPath}, which is not ${this.baseName} and has no index-line blob ` +
          `in the repository: checked diff-only (${hunks})`;
        out.set(file, images);
        if (file.oldPath !== null) updates.push([file.oldPath, null]);
        return;
      }
      const pre = found;
      const result = applyFileDiff(pre?.text ?? null, file, pre?.where ?? 'an empty file');
      const images: FileImages = {
        pre: pre && file.oldPath !== null && file.status !== 'added' ? { path: file.oldPath, text: pre.text } : null,
        post: result && file.newPath !== null ? { path: file.newPath, text: result.text } : null,
        mode: 'full',
      };
      if (result && result.shifts.some((s) => s.oldShift !== 0 || s.newShift !== 0)) {
        images.hunkShifts = result.shifts;
      }
      out.set(file, images);
      if ((file.status === 'renamed' || file.status === 'deleted') && file.oldPath !== null) {
        updates.push([file.oldPath, null]);
      }
      if (result && file.newPath !== null) {
        updates.push([file.newPath, { text: result.text, where: `the file as left by ${label}` }]);
      }
    });
    for (const [path, v] of updates) this.latest.set(path, v);
    return out;
  }

  private async preOf(file: FileDiff): Promise<ImageBase | null | typeof DIFF_ONLY> {
    if (file.status === 'added' || file.oldPath === null) return null;
    const path = file.oldPath;
    const prev = this.latest.get(path);
    if (prev === null) {
      throw new InputError(
        `${path}: the patch ${VERB[file.status]} it, but an earlier patch of the series deleted or renamed it`,
      );
    }
    if (prev !== undefined) return prev;
    const base = await this.base(file, path);
    if (base === null) {
      // A rename or copy of a file the base does not have: a patch of a
      // commit already at HEAD (HEAD has the new name only), or from another
      // tree. Its text is not needed to know what the commit changed in it.
      if (this.kind === 'git' && (file.status === 'renamed' || file.status === 'copied')) return DIFF_ONLY;
      throw missingAtBase(path, this.baseName, file);
    }
    // patch text reaches us with CRLF turned into LF; do the same to the file
    if (base.text.includes('\r\n')) base.text = base.text.replace(/\r\n/g, '\n');
    return base;
  }
}

/** Patch files inside a repository: pre-image = blob on the index line if the repo has it, else HEAD:path; post = hunks applied. */
export function gitPatchImages(repo: GitRepo): ImageSource {
  return new ChainedImages(
    'git',
    async (file, path) => {
      const id = blobId(file.oldBlob);
      if (id !== null) {
        const text = await repo.readBlob(id);
        if (text !== null) return { text, where: `blob ${id} in ${repo.dir}` };
      }
      const text = await repo.readBlob(`HEAD:${path}`);
      return text === null ? null : { text, where: `the file at HEAD in ${repo.dir}` };
    },
    `at HEAD in ${repo.dir}`,
  );
}

/** Patch files against a source tree that is not a repository: pre = file in dir, post = hunks applied. */
export function treeImages(dir: string): ImageSource {
  return new ChainedImages(
    'tree',
    async (_file, path) => {
      const text = await readTreeFile(dir, path);
      return text === null ? null : { text, where: `the file in ${dir}` };
    },
    `in ${dir}`,
  );
}

/** No files at all: images rebuilt from hunk text, lines outside hunks blank, same line numbers. */
export function diffOnlyImages(): ImageSource {
  return {
    kind: 'diff-only',
    async imagesFor(commit: Commit): Promise<Map<FileDiff, FileImages>> {
      const out = new Map<FileDiff, FileImages>();
      for (const file of imagedFiles(commit)) out.set(file, diffOnlyFileImages(file));
      return out;
    },
  };
}

/**
 * Patch files whose pre-images come from `base` (any lookup: a revision of a
 * repository, a blob id), chained over the commits of a series like the other
 * sources. `baseName` ends the "not found ..." error.
 */
export function chainedImages(base: (file: FileDiff, path: string) => Promise<ImageBase | null>, baseName: string): ImageSource {
  return new ChainedImages('git', base, baseName);
}
