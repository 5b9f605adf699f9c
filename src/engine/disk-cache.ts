/**
 * C models on disk (`--cache`, as ESLint's): a second run over the same
 * files, the common case for hooks and for a series linted again after a
 * rebase, reads each file's model instead of parsing and walking it.
 *
 * - Keyed by the file's git blob id (`git hash-object` of its text) and its
 *   path: one file per model, `<location>/models-<version>/<2 hex>/<38 hex>`.
 * - Versioned: <version> is a digest of the format, the code that builds
 *   models (the file holding this module: the whole CLI bundle in a release,
 *   so any other build or version of pairlint has its own) and the C
 *   grammar's wasm. Directories of other
 *   versions are deleted when the cache is pruned.
 * - Bounded: after a run that wrote to it, the oldest models (by the time
 *   they were last written or read) are deleted until the directory holds
 *   at most 80% of `maxBytes` (default 256 MiB).
 * - Safe under concurrent runs: a model is written to a temporary file and
 *   renamed into place, so a reader sees a whole model or none; a file that
 *   does not read back as a model is a miss. Nothing here ever fails a run:
 *   a cache that cannot be read or written is no cache.
 *
 * The model read back is the model the run would have built (plain data,
 * with moved functions copied out, shared objects still shared:
 * test/engine/disk-cache.test.ts and `npm run findings` compare reports).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { CFileModel } from '../cmodel/types.js';
import { makeModel, type ModelParts } from '../cmodel/model.js';
import { materializedFunction } from '../cmodel/shift.js';
import { grammarDigest } from '../cmodel/loader.js';
import { codeId } from '../code-id.js';

/** Bump when what is written changes shape. */
const FORMAT = 1;

export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

/** The default location: `$XDG_CACHE_HOME/pairlint`, else `~/.cache/pairlint`. */
export function defaultCacheLocation(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'pairlint');
}

/** git's blob id of `text` (as `git hash-object` gives it for the file's UTF-8 bytes). */
export function gitBlobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function isModelParts(x: unknown, path: string): x is ModelParts {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Partial<ModelParts>;
  return p.path === path && Array.isArray(p.functions) && Array.isArray(p.initializers) && typeof p.hasErrors === 'boolean';
}

export class DiskModelCache {
  hits = 0;
  misses = 0;
  writes = 0;

  private constructor(
    readonly location: string,
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  /**
   * The cache at `location` for this build and grammar (initCParser() must
   * have resolved); null when its directory cannot be made.
   */
  static open(location: string, maxBytes = DEFAULT_CACHE_BYTES): DiskModelCache | null {
    const version = createHash('sha1').update(`${FORMAT}\0${codeId()}\0${grammarDigest() ?? 'no grammar'}`).digest('hex').slice(0, 16);
    const dir = join(location, `models-${version}`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch {
      return null;
    }
    return new DiskModelCache(location, dir, maxBytes);
  }

  private fileOf(path: string, text: string): string {
    const key = createHash('sha1').update(`${path}\0${gitBlobId(text)}`).digest('hex');
    return join(this.dir, key.slice(0, 2), key.slice(2));
  }

  /** The model of `text` at `path` if the cache has it. */
  get(path: string, text: string): CFileModel | null {
    const file = this.fileOf(path, text);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      this.misses++;
      return null;
    }
    try {
      const parts: unknown = deserialize(bytes);
      if (!isModelParts(parts, path)) throw new Error('not a model');
      this.hits++;
      try {
        // read: the newest use, for pruning
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        /* a read-only cache still reads */
      }
      return makeModel(parts);
    } catch {
      this.misses++;
      return null;
    }
  }

  /** Store the model of `text` at `path`; failures are ignored. */
  put(path: string, text: string, model: CFileModel): void {
    const file = this.fileOf(path, text);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const parts: ModelParts = {
        path: model.path,
        functions: model.functions.map(materializedFunction),
        initializers: model.initializers,
        hasErrors: model.hasErrors,
        errorLines: model.errorLines ?? [],
      };
      const bytes = serialize(parts);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(tmp, bytes);
      renameSync(tmp, file);
      this.writes++;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        /* never written */
      }
    }
  }

  /**
   * Keep the cache within its bound: delete other versions' directories,
   * then the oldest models until at most 80% of maxBytes remain. Only after
   * a run that wrote (reading adds nothing).
   */
  prune(): void {
    if (this.writes === 0) return;
    try {
      for (const d of readdirSync(this.location)) {
        const path = join(this.location, d);
        if (d.startsWith('models-') && path !== this.dir) rmSync(path, { recursive: true, force: true });
      }
      const entries: { file: string; size: number; time: number }[] = [];
      let total = 0;
      for (const sub of readdirSync(this.dir)) {
        const at = join(this.dir, sub);
        for (const name of readdirSync(at)) {
          const file = join(at, name);
          try {
            const st = statSync(file);
            // a temporary file left by a run that died: gone after an hour
            if (name.endsWith('.tmp') && Date.now() - st.mtimeMs < 3600_000) continue;
            entries.push({ file, size: st.size, time: name.endsWith('.tmp') ? 0 : st.mtimeMs });
            total += st.size;
          } catch {
            /* deleted by another run */
          }
        }
      }
      if (total <= this.maxBytes) return;
      entries.sort((a, b) => a.time - b.time);
      for (const e of entries) {
        if (total <= this.maxBytes * 0.8) break;
        try {
          unlinkSync(e.file);
        } catch {
          /* deleted by another run */
        }
        total -= e.size;
      }
    } catch {
      /* a cache that cannot be listed is left as it is */
    }
  }
}
