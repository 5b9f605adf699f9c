/**
 * The learned table on disk, keyed by the tree it was mined from (a git
 * tree id, or a hash of a directory's C files): mining QEMU's whole tree
 * takes a minute, reading it back a few milliseconds. Versioned by the
 * format, pairlint's version, the code that mines (a digest of the built
 * file, so that a build with other morphology or evidence rules mines
 * again) and the verb list; bounded (the oldest files
 * go past MAX_FILES or MAX_BYTES); written to a temporary file and renamed, so a
 * concurrent run reads a whole file or none. Any failure to read or write
 * only means mining again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import verbs from './verbs.json' with { type: 'json' };
import type { LearnedData } from './learned.js';
import type { FileEvidence } from './evidence.js';
import { codeId } from '../../code-id.js';

const FORMAT = 16;
/** Tables kept: a series linted against many small trees (one per series) must not evict the big one. */
const MAX_FILES = 512;
/** ...and at most this many bytes of them, newest first. */
const MAX_BYTES = 128 * 1024 * 1024;
const PREFIX = 'learned-pairs-';
const STORE_PREFIX = 'learned-files-';

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
  const stamp = createHash('sha256').update(`${FORMAT}\0${version}\0${codeId()}\0${JSON.stringify(verbs)}\0${key}`).digest('hex').slice(0, 40);
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

/**
 * The evidence of each file of the last tree mined at one place (a
 * repository, a directory), by path and blob id (or size and mtime): a new
 * tree there mines only the files that changed.
 */
function storeName(place: string, version: string): string {
  const stamp = createHash('sha256').update(`${FORMAT}\0${version}\0${codeId()}\0${JSON.stringify(verbs)}\0${place}`).digest('hex').slice(0, 40);
  return `${STORE_PREFIX}${stamp}.json`;
}

export function readFileStore(dir: string, place: string, version: string): Map<string, FileEvidence> {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, storeName(place, version)), 'utf8')) as { format?: number; files?: Record<string, FileEvidence> };
    if (parsed.format !== FORMAT || !parsed.files) return new Map();
    return new Map(Object.entries(parsed.files));
  } catch {
    return new Map();
  }
}

export function writeFileStore(dir: string, place: string, version: string, store: ReadonlyMap<string, FileEvidence>): void {
  try {
    mkdirSync(dir, { recursive: true });
    const target = join(dir, storeName(place, version));
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, place, files: Object.fromEntries(store) }));
    renameSync(tmp, target);
    prune(dir, STORE_PREFIX);
  } catch {
    // the next new tree mines every file again
  }
}

/** Keep the newest files of a kind: at most MAX_FILES, and MAX_BYTES together (the newest always). */
function prune(dir: string, prefix = PREFIX): void {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && !f.endsWith('.tmp'))
    .map((f) => {
      const st = statSync(join(dir, f));
      return { f, t: st.mtimeMs, size: st.size };
    })
    .sort((a, b) => b.t - a.t);
  let bytes = 0;
  const kept = files.findIndex((x, i) => (bytes += x.size) > MAX_BYTES || i >= MAX_FILES);
  for (const { f } of kept < 0 ? [] : files.slice(Math.max(1, kept))) {
    try {
      unlinkSync(join(dir, f));
    } catch {
      // another run pruned it
    }
  }
}
