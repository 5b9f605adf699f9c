/**
 * Which files of a commit a range's pathspec selects. With a pathspec, range
 * mode asks git for the whole diff of each selected commit (`--full-diff`):
 * the half of a move or a file split that lies outside the pathspec (code
 * moved from hw/misc/ into hw/vfio/) is read as context for the pair
 * summaries, and only the files the pathspec selects are reported on.
 *
 * Plain pathspecs only: a path, a directory, or a pattern with git's
 * wildcards (`*` matches across `/`, as git's default pathspecs do). A
 * pathspec with magic (`:(glob)`, `:!exclude`) is left to git alone: no
 * context is read then.
 */
import { posix } from 'node:path';

/** A commit touching more context files than this is mechanical (a tree-wide rename): its context is not read. */
export const MAX_CONTEXT_FILES = 50;

export interface PathspecMatcher {
  matches(path: string): boolean;
}

function wildcardRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\').replace(/^!/, '^')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(/.*)?$`);
}

/**
 * A matcher for `pathspec` as given in `prefix` (the directory git ran in,
 * relative to the top level, as `git rev-parse --show-prefix` prints it), or
 * null when a pathspec uses magic this does not model.
 */
export function pathspecMatcher(pathspec: readonly string[], prefix: string): PathspecMatcher | null {
  if (pathspec.length === 0 || pathspec.some((p) => p.startsWith(':'))) return null;
  const tests = pathspec.map((spec) => {
    const full = posix.normalize(posix.join(prefix, spec)).replace(/\/+$/, '');
    if (full === '.' || full === '') return () => true;
    if (/[*?[]/.test(full)) {
      const re = wildcardRegExp(full);
      return (path: string) => re.test(path);
    }
    return (path: string) => path === full || path.startsWith(`${full}/`);
  });
  return { matches: (path) => tests.some((t) => t(path)) };
}
