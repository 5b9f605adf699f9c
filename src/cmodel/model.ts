/**
 * The CFileModel object: functions with O(1) line and name lookups.
 */
import type { CFileModel, CFunction, CInitializer } from './types.js';
import { calleeBase } from './toggles.js';

export interface ModelParts {
  path: string;
  functions: CFunction[];
  initializers: CInitializer[];
  hasErrors: boolean;
  errorLines: number[];
}

export function makeModel(parts: ModelParts): CFileModel {
  const functions = parts.functions;
  let maxLine = 0;
  for (const f of functions) if (f.endLine > maxLine) maxLine = f.endLine;
  // line -> index of the innermost function covering it, -1 for none
  const byLine = new Int32Array(maxLine + 2).fill(-1);
  const order = functions.map((_, i) => i);
  order.sort((a, b) => {
    const fa = functions[a] as CFunction;
    const fb = functions[b] as CFunction;
    return fa.startLine - fb.startLine || fb.endLine - fa.endLine || a - b;
  });
  for (const i of order) {
    const f = functions[i] as CFunction;
    byLine.fill(i, Math.max(0, f.startLine), f.endLine + 1);
  }
  const byName = new Map<string, CFunction>();
  for (const f of functions) if (f.name && !byName.has(f.name)) byName.set(f.name, f);
  return {
    path: parts.path,
    functions,
    initializers: parts.initializers,
    hasErrors: parts.hasErrors,
    errorLines: parts.errorLines,
    functionAt(line: number): CFunction | null {
      if (!Number.isInteger(line) || line < 1 || line >= byLine.length) return null;
      const i = byLine[line] as number;
      return i >= 0 ? (functions[i] as CFunction) : null;
    },
    functionByName(name: string): CFunction | null {
      // a toggle's callee (`fx_update__true_1_2`) is a call of its base function
      return byName.get(name) ?? byName.get(calleeBase(name)) ?? null;
    },
  };
}
