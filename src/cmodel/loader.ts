/**
 * Loading web-tree-sitter and the C grammar, once per process.
 *
 * Where the wasm files come from, first match wins:
 *  - grammar (tree-sitter-c.wasm): `options.grammarWasm`, env PAIRLINT_C_WASM,
 *    a `tree-sitter-c.wasm` beside this module (a bundle ships it there),
 *    then `tree-sitter-c/tree-sitter-c.wasm` resolved from node_modules;
 *  - runtime (web-tree-sitter's tree-sitter.wasm): `options.runtimeWasm`,
 *    env PAIRLINT_TS_WASM, a `tree-sitter.wasm` beside this module, else
 *    web-tree-sitter's own lookup (beside its tree-sitter.js).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import { PairlintError } from '../errors.js';

export interface CParserOptions {
  /** path to tree-sitter-c.wasm, or its bytes */
  grammarWasm?: string | Uint8Array;
  /** path to web-tree-sitter's tree-sitter.wasm, or its bytes */
  runtimeWasm?: string | Uint8Array;
}

let parser: Parser | null = null;
let grammarId: string | null = null;
let pending: Promise<void> | null = null;

function moduleDir(): string | null {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return null;
  }
}

function besideModule(file: string): string | null {
  const dir = moduleDir();
  if (!dir) return null;
  const p = join(dir, file);
  return existsSync(p) ? p : null;
}

function envPath(name: string): string | null {
  const v = process.env[name];
  return v && v.trim() !== '' ? v.trim() : null;
}

/** Where the C grammar wasm will be read from (for diagnostics and bundlers). */
export function resolveGrammarWasm(options: CParserOptions = {}): string | Uint8Array {
  if (options.grammarWasm) return options.grammarWasm;
  const env = envPath('PAIRLINT_C_WASM');
  if (env) return env;
  const beside = besideModule('tree-sitter-c.wasm');
  if (beside) return beside;
  try {
    return createRequire(import.meta.url).resolve('tree-sitter-c/tree-sitter-c.wasm');
  } catch {
    throw new PairlintError(
      'cannot find tree-sitter-c.wasm: install tree-sitter-c, put the wasm beside the bundle, or set PAIRLINT_C_WASM',
    );
  }
}

/** The runtime wasm override, or null to let web-tree-sitter find its own. */
export function resolveRuntimeWasm(options: CParserOptions = {}): string | Uint8Array | null {
  if (options.runtimeWasm) return options.runtimeWasm;
  const env = envPath('PAIRLINT_TS_WASM');
  if (env) return env;
  return besideModule('tree-sitter.wasm');
}

function readBytes(what: string, src: string | Uint8Array): Uint8Array {
  if (typeof src !== 'string') return src;
  try {
    return new Uint8Array(readFileSync(src));
  } catch (e) {
    throw new PairlintError(`cannot read ${what} ${src}: ${(e as Error).message}`);
  }
}

async function load(options: CParserOptions): Promise<void> {
  // read the grammar first: a bad path fails before the runtime is set up
  const grammar = readBytes('C grammar wasm', resolveGrammarWasm(options));
  const runtime = resolveRuntimeWasm(options);
  if (runtime) {
    const bytes = readBytes('tree-sitter runtime wasm', runtime);
    const path = typeof runtime === 'string' ? runtime : null;
    // wasmBinary is an Emscripten module option the typings do not list
    const moduleOptions = {
      wasmBinary: bytes,
      locateFile: (file: string, dir: string) => (path && file.endsWith('.wasm') ? path : dir + file),
    };
    await Parser.init(moduleOptions as unknown as Parameters<typeof Parser.init>[0]);
  } else {
    await Parser.init();
  }
  grammarId = createHash('sha1').update(grammar).digest('hex');
  const language = await Language.load(grammar);
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

/** Load web-tree-sitter and the C grammar once per process. */
export async function initCParser(options: CParserOptions = {}): Promise<void> {
  if (parser) return;
  if (!pending) {
    pending = load(options).catch((e: unknown) => {
      pending = null;
      if (e instanceof PairlintError) throw e;
      throw new PairlintError(`cannot load the C parser: ${(e as Error)?.message ?? String(e)}`);
    });
  }
  await pending;
}

/**
 * Set once the tree-sitter runtime has trapped (a wasm RuntimeError such as
 * "memory access out of bounds"): its memory is then in an unknown state,
 * so nothing may call into it again, not even to free a tree. Files modelled
 * after that are reported as not checked (CParserCrash), instead of losing
 * the whole report.
 */
let broken: string | null = null;

/** Why the C parser can no longer be used in this process, or null. */
export function cParserBroken(): string | null {
  return broken;
}

/** A failure of the C parser runtime: the file could not be modelled. */
export class CParserCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CParserCrash';
  }
}

/** Is `e` a trap of the wasm runtime (out-of-bounds access, unreachable, stack exhaustion)? */
export function isWasmTrap(e: unknown): boolean {
  return typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
}

/** Record a trap of the runtime (first one wins) and return the error to throw. */
export function markCParserBroken(e: unknown): CParserCrash {
  const what = (e as Error)?.message ?? String(e);
  broken ??= `the C parser failed (${what})`;
  return new CParserCrash(broken);
}

/** Test hook: forget a recorded trap (the runtime is not restored; only for simulated traps). */
export function resetCParserBrokenForTests(): void {
  broken = null;
}

/** The shared parser; initCParser() must have resolved. */
export function getParser(): Parser {
  if (!parser) throw new Error('C parser not initialized: await initCParser() first');
  if (broken) throw new CParserCrash(`${broken} earlier in this run`);
  return parser;
}

/** sha1 of the C grammar's wasm bytes, once initCParser() resolved (a model cache on disk is keyed by it). */
export function grammarDigest(): string | null {
  return grammarId;
}

export function isCParserReady(): boolean {
  return parser !== null;
}
