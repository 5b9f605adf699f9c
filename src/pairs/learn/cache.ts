/**
 * The learned table on disk, keyed by the tree it was mined from (a git
 * tree id, or a hash of a directory's C files): mining QEMU's whole tree
 * takes a minute, reading it back a few milliseconds. Versioned by the
 * format, pairlint's version and the verb list; bounded (the oldest files
 * go past MAX_FILES); written to a temporary file and renamed, so a
 * concurrent run reads a whole file or none. Any failure to read or write
 * only means mining again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import verbs from './verbs.json' with { type: 'json' };
import type { LearnedData } from './learned.js';

const FORMAT = 1;
const MAX_FILES = 16;
const PREFIX = 'learned-pairs-';

export interface CachedTable {
  data: LearnedData;
  paths: string[];
}

/** `$PAIRLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/pairlint`, else `~/.cache/pairlint`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.PAIRLINT_CACHE_DIR) return env.PAIRLINT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'pairlint');
}

function fileName(key: string, version: string): string {
  const stamp = createHash('sha256').update(`${FORMAT}\0${version}\0${JSON.stringify(verbs)}\0${key}`).digest('hex').slice(0, 40);
  return `${PREFIX}${stamp}.json`;
}

export function readCachedTable(dir: string, key: string, version: string): CachedTable | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, fileName(key, version)), 'utf8')) as Partial<CachedTable> & { format?: number };
    if (parsed.format !== FORMAT || !parsed.data || !Array.isArray(parsed.paths)) return null;
    return { data: parsed.data, paths: parsed.paths };
  } catch {
    return null;
  }
}

export function writeCachedTable(dir: string, key: string, version: string, table: CachedTable): void {
  try {
    mkdirSync(dir, { recursive: true });
    const target = join(dir, fileName(key, version));
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, key, ...table }));
    renameSync(tmp, target);
    prune(dir);
  } catch {
    // a cache that cannot be written only costs the next run a mining
  }
}

/** Keep the newest MAX_FILES tables. */
function prune(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(PREFIX))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of files.slice(MAX_FILES)) {
    try {
      unlinkSync(join(dir, f));
    } catch {
      // another run pruned it
    }
  }
}
