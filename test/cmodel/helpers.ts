import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFileModel, initCParser } from '../../src/cmodel/parse.js';
import type { CCall, CFileModel, CFunction, CGuard } from '../../src/cmodel/types.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function fixtureText(name: string): string {
  return readFileSync(join(repoRoot, 'test', 'fixtures', 'cmodel', name), 'utf8');
}

export async function fixtureModel(name: string): Promise<{ text: string; model: CFileModel }> {
  await initCParser();
  const text = fixtureText(name);
  return { text, model: buildFileModel(name, text) };
}

export async function modelOf(text: string, path = 'inline.c'): Promise<CFileModel> {
  await initCParser();
  return buildFileModel(path, text);
}

/** 1-based line of the first line containing `snippet` (after line `after`). */
export function lineOf(text: string, snippet: string, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if ((lines[i] as string).includes(snippet)) return i + 1;
  throw new Error(`snippet not found: ${snippet}`);
}

export function fn(model: CFileModel, name: string): CFunction {
  const f = model.functionByName(name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

export function callsTo(f: CFunction, callee: string): CCall[] {
  return f.calls.filter((c) => c.callee === callee);
}

export function callTo(f: CFunction, callee: string, index = 0): CCall {
  const c = callsTo(f, callee)[index];
  if (!c) throw new Error(`no call ${callee}#${index} in ${f.name}`);
  return c;
}

/** Guards as `+text` / `!text`, outermost first. */
export function guardTexts(guards: readonly CGuard[]): string[] {
  return guards.map((g) => `${g.negated ? '!' : '+'}${g.condition.normalized}`);
}
