/**
 * Worker threads that model files for mining (evidence-worker.ts). Mining a
 * cold tree is mostly tree-sitter parsing, one file at a time with nothing
 * shared, so N workers take about 1/N of the time on N cores.
 *
 * The pool exists only where the worker's compiled script sits beside this
 * module (the tsc build, the CLI bundle and the Action bundle put it there);
 * run from TypeScript sources (the tests) it does not, and mining stays in
 * the calling thread, with the same result.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileEvidence } from './evidence.js';
import type { EvidenceReply, EvidenceRequest, EvidenceWorkerData } from './evidence-worker.js';

/** Below this many files to model, starting workers (each loads the parser) costs more than it saves. */
export const MIN_FILES_PER_WORKER = 48;
/** More workers than this gain little: the main thread's reading and summing becomes the limit. */
const MAX_WORKERS = 4;

/** Where the worker script is, or null when it is not built beside this module. */
export function workerScript(): URL | null {
  const url = new URL('./evidence-worker.js', import.meta.url);
  try {
    return existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

/**
 * How many workers to model `toModel` files with: `jobs` when the user set
 * it (1: none), else one per core up to MAX_WORKERS, and no more than one per
 * MIN_FILES_PER_WORKER files; never more than files, never just one. 0
 * means mine in the calling thread.
 */
export function workerCount(toModel: number, jobs: number | undefined): number {
  // one worker only moves the work off the main thread: it gains nothing
  const n = jobs !== undefined ? Math.min(jobs, toModel) : Math.min(availableParallelism(), MAX_WORKERS, Math.floor(toModel / MIN_FILES_PER_WORKER));
  return n >= 2 ? n : 0;
}

interface Pending {
  resolve: (ev: FileEvidence | null) => void;
  reject: (err: Error) => void;
}

export class EvidencePool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, { worker: number } & Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(script: URL, size: number, nonResources: readonly string[]) {
    const workerData: EvidenceWorkerData = { nonResources: [...nonResources] };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { workerData });
      worker.on('message', (reply: EvidenceReply) => this.settle(reply));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`mining worker exited with status ${code}`));
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  private waiter: { limit: number; resolve: () => void } | null = null;

  /** Resolves once fewer than `limit` files are out (at once when they are, or when the pool failed). */
  below(limit: number): Promise<void> {
    if (this.pending.size < limit || this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = { limit, resolve };
    });
  }

  private wake(): void {
    if (this.waiter && (this.pending.size < this.waiter.limit || this.failure)) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve();
    }
  }

  /** The file's evidence, modelled by the least busy worker; null when the parser cannot take it. */
  model(path: string, text: string): Promise<FileEvidence | null> {
    if (this.failure) return Promise.reject(this.failure);
    let w = 0;
    for (let i = 1; i < this.load.length; i++) if ((this.load[i] as number) < (this.load[w] as number)) w = i;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker: w, resolve, reject });
      this.load[w] = (this.load[w] as number) + 1;
      (this.workers[w] as Worker).postMessage({ id, path, text } satisfies EvidenceRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(reply: EvidenceReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    this.load[p.worker] = (this.load[p.worker] as number) - 1;
    p.resolve(reply.evidence);
    this.wake();
  }

  /** A worker died: every file still out fails, and the caller mines them itself. */
  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.wake();
  }
}
