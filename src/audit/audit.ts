/**
 * Audit mode: check the pairs in files as they are, with no diff. Each C file
 * becomes one "added" file of a synthetic commit, so every function counts as
 * new and the pair rules look at the whole file: an acquire on one side with
 * no release on the other, a listener register that replays add callbacks and
 * an unregister that replays no del.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Commit, FileDiff, HunkLine } from '../series/model.js';
import { anonymousCommit, emptySeriesInfo } from '../series/model.js';
import type { FileImages } from '../images/types.js';
import { isCFile, type ImageSource } from '../images/source.js';
import { InputError } from '../errors.js';

/** Directories never worth walking. */
const SKIP_DIRS = new Set(['.git', 'node_modules', 'build', 'subprojects', 'roms', 'tests']);

/** Every .c file under the given paths (files are taken as they are, directories walked). */
export function collectCFiles(root: string, paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const entry of readdirSync(abs).sort()) {
        if (SKIP_DIRS.has(entry)) continue;
        walk(join(abs, entry));
      }
    } else if (st.isFile() && /\.c$/.test(abs)) {
      out.push(abs);
    }
  };
  for (const p of paths.length > 0 ? paths : ['.']) {
    const abs = resolve(root, p);
    try {
      statSync(abs);
    } catch {
      throw new InputError(`${p}: no such file or directory`);
    }
    walk(abs);
  }
  return out;
}

function wholeFileDiff(path: string, text: string): FileDiff {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const hunkLines: HunkLine[] = lines.map((t, i) => ({ kind: '+', text: t, newLine: i + 1 }));
  return {
    oldPath: null,
    newPath: path,
    status: 'added',
    binary: false,
    modeOnly: false,
    hunks: [
      {
        index: 1,
        oldStart: 0,
        oldLines: 0,
        newStart: 1,
        newLines: lines.length,
        section: '',
        lines: hunkLines,
        oldNoNewlineAtEnd: false,
        newNoNewlineAtEnd: false,
      },
    ],
  };
}

export interface AuditInput {
  commits: Commit[];
  images: ImageSource;
  series: ReturnType<typeof emptySeriesInfo>;
}

/**
 * One synthetic commit per file (not one for all: a long tree must not sit
 * in memory at once, and findings do not need a commit).
 */
export function auditInput(root: string, files: readonly string[]): AuditInput {
  const texts = new Map<FileDiff, string>();
  const commits: Commit[] = files.map((abs) => {
    const path = relative(root, abs).split(sep).join('/');
    const diff = wholeFileDiff(path, '');
    texts.set(diff, abs);
    return anonymousCommit([diff], { kind: 'staged' });
  });
  const images: ImageSource = {
    kind: 'tree',
    async imagesFor(commit) {
      const out = new Map<FileDiff, FileImages>();
      for (const diff of commit.files) {
        const abs = texts.get(diff);
        if (!abs || !isCFile(diff.newPath)) continue;
        const text = readFileSync(abs, 'utf8');
        // The diff is built lazily so only one file's text is held at a time.
        Object.assign(diff, wholeFileDiff(diff.newPath as string, text));
        out.set(diff, { pre: null, post: { path: diff.newPath as string, text }, mode: 'full' });
      }
      return out;
    },
  };
  return { commits, images, series: emptySeriesInfo() };
}
