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

/**
 * A key for the directory's C files as they are: their paths, sizes and
 * modification times (what ESLint's cache compares by default), hashed.
 */
export function dirFilesKey(dir: string, paths: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of paths) {
    try {
      const st = statSync(join(dir, p));
      h.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
    } catch {
      h.update(`${p}\0missing\n`);
    }
  }
  return h.digest('hex');
}

export function* readDirFiles(dir: string, paths: readonly string[]): Generator<{ path: string; text: string }> {
  for (const path of paths) {
    try {
      yield { path, text: readFileSync(join(dir, path), 'utf8') };
    } catch {
      // vanished or unreadable: it teaches nothing
    }
  }
}
