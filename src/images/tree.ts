/** Reading base files from a source tree that is not a repository. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';

/**
 * Text of `path` (as named in a diff) under `dir`, decoded as UTF-8, or null
 * when there is no such file. Throws InputError for a path that would leave
 * `dir` (absolute, or `..` past the top).
 */
export async function readTreeFile(dir: string, path: string): Promise<string | null> {
  const root = resolve(dir);
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (isAbsolute(path) || rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
    throw new InputError(`${path}: path leaves the source tree ${dir}`);
  }
  try {
    return await readFile(full, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw new InputError(`${path}: cannot read ${full}: ${(e as Error).message}`);
  }
}
