/**
 * The C files under a source directory (`--tree`), for mining pairs: every
 * .c and .h file, skipping hidden folders, node_modules and build output.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createHash } from 'node:crypto';

const SKIP_DIRS = new Set(['node_modules', 'build', 'dist']);
const C_FILE = /\.[ch]$/;

/** Relative paths (with `/`) of the C files under `dir`, sorted. */
export function cFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    let entries;
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(at, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(full);
      } else if (e.isFile() && C_FILE.test(e.name)) {
        out.push(relative(dir, full).split(sep).join('/'));
      }
    }
  };
  walk(dir);
  return out.sort();
}

export interface DirFileStat {
  path: string;
  /** size and modification time: what says the file changed (ESLint's cache compares the same by default) */
  key: string;
}

/** The C files under `dir` with their sizes and modification times. */
export function cFileStats(dir: string): DirFileStat[] {
  const out: DirFileStat[] = [];
  for (const path of cFilesUnder(dir)) {
    try {
      const st = statSync(join(dir, path));
      out.push({ path, key: `${st.size}:${st.mtimeMs}` });
    } catch {
      // vanished between the listing and the stat
    }
  }
  return out;
}

/** A key for the directory's C files as they are: their paths, sizes and modification times, hashed. */
export function dirFilesKey(files: readonly DirFileStat[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.key}\n`);
  return h.digest('hex');
}

export function readDirFile(dir: string, path: string): string | null {
  try {
    return readFileSync(join(dir, path), 'utf8');
  } catch {
    return null;
  }
}
