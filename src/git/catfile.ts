/**
 * One long-lived `git cat-file --batch` process per repository: object names
 * are written to its stdin one per line, contents come back in order. Reading
 * a thousand blobs costs one process, not a thousand.
 */
import type { ChildProcess } from 'node:child_process';
import { InputError } from '../errors.js';
import { gitMessage, gitMissingError, spawnGit } from './run.js';

export interface GitObject {
  /** full object id */
  sha: string;
  /** 'blob' | 'tree' | 'commit' | 'tag' */
  type: string;
  size: number;
  content: Buffer;
}

interface Pending {
  spec: string;
  resolve(obj: GitObject | null): void;
  reject(err: Error): void;
}

interface Body {
  sha: string;
  type: string;
  size: number;
  got: number;
  chunks: Buffer[];
}

const EMPTY = Buffer.alloc(0);

interface Refable {
  ref(): void;
  unref(): void;
}

function setRef(x: unknown, on: boolean): void {
  const r = x as Partial<Refable> | null | undefined;
  if (r && typeof r.ref === 'function' && typeof r.unref === 'function') {
    if (on) r.ref();
    else r.unref();
  }
}

export class CatFile {
  /** object names asked for so far (for tests and diagnostics) */
  requests = 0;
  /** cat-file processes this instance started (1 in normal operation) */
  processes = 0;

  private child: ChildProcess | null = null;
  private queue: Pending[] = [];
  private rest: Buffer = EMPTY;
  private body: Body | null = null;
  private stderr = '';
  private closing: Promise<void> | null = null;

  constructor(readonly dir: string) {}

  /**
   * The object named by `spec` (`<sha>`, `<abbrev>`, `<rev>:<path>`, ...), or
   * null when git does not have it (missing, ambiguous, or a name that cannot be
   * written on one line).
   */
  read(spec: string): Promise<GitObject | null> {
    if (spec === '' || /[\n\r\0]/.test(spec)) return Promise.resolve(null);
    this.requests++;
    return new Promise<GitObject | null>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = this.ensure();
      } catch (e) {
        reject(e as Error);
        return;
      }
      this.queue.push({ spec, resolve, reject });
      if (this.queue.length === 1) this.setRefs(true);
      child.stdin?.write(`${spec}\n`);
    });
  }

  /** Stop the process (pending reads still complete). */
  close(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    if (!this.closing) {
      this.closing = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('close', () => resolve());
        this.setRefs(true);
        child.stdin?.end();
      });
    }
    return this.closing;
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    if (this.closing) throw new Error('cat-file: read after close');
    const child = spawnGit(this.dir, ['cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.processes++;
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    child.stdin?.on('error', () => {
      /* reported through 'close' */
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      this.failAll(e.code === 'ENOENT' ? gitMissingError(e) : e);
    });
    child.on('close', (code) => {
      if (this.child === child) this.child = null;
      if (this.queue.length > 0) {
        const why = gitMessage(this.stderr) || `exit ${code ?? 'by signal'}`;
        this.failAll(new InputError(`git cat-file in ${this.dir} stopped unexpectedly: ${why}`));
      }
    });
    return child;
  }

  private setRefs(on: boolean): void {
    const child = this.child;
    if (!child) return;
    setRef(child, on);
    setRef(child.stdout, on);
    setRef(child.stderr, on);
    setRef(child.stdin, on);
  }

  private failAll(err: Error): void {
    const q = this.queue;
    this.queue = [];
    this.body = null;
    this.rest = EMPTY;
    for (const p of q) p.reject(err);
  }

  private settle(obj: GitObject | null): void {
    const p = this.queue.shift();
    if (this.queue.length === 0) this.setRefs(false);
    p?.resolve(obj);
  }

  private onData(chunk: Buffer): void {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = EMPTY;
    let pos = 0;
    while (pos < data.length) {
      const body = this.body;
      if (body) {
        const need = body.size + 1 - body.got; // content plus the closing LF
        const take = Math.min(need, data.length - pos);
        body.chunks.push(data.subarray(pos, pos + take));
        body.got += take;
        pos += take;
        if (body.got === body.size + 1) {
          this.body = null;
          const all = body.chunks.length === 1 ? (body.chunks[0] as Buffer) : Buffer.concat(body.chunks, body.got);
          // copy out of the (possibly large, shared) chunk buffer
          const content = Buffer.from(all.subarray(0, body.size));
          this.settle({ sha: body.sha, type: body.type, size: body.size, content });
        }
        continue;
      }
      const nl = data.indexOf(10, pos);
      if (nl < 0) {
        this.rest = Buffer.from(data.subarray(pos));
        break;
      }
      const line = data.toString('utf8', pos, nl);
      pos = nl + 1;
      const m = /^([0-9a-f]{40,64}) ([a-z]+) (\d+)$/.exec(line);
      if (m) {
        this.body = { sha: m[1] as string, type: m[2] as string, size: Number(m[3]), got: 0, chunks: [] };
        continue;
      }
      // "<name> missing", "<name> ambiguous", and the like
      this.settle(null);
    }
  }
}
