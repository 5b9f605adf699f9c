/**
 * The layout, read from the real source files: folders of src/ and rules/
 * import each other one way (no cycle, each only folders below it), and the
 * model stage imports nothing above it; rules ask the model only through
 * ctx.model and import only types. `npm run layout` prints the same graph.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderCycles, layoutGraph, ruleOffences, upwardImports, type LayoutGraph } from '../../scripts/layout-graph.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const graph = layoutGraph(ROOT);

describe('folder layout', () => {
  it('reads the real imports (the engine imports the model; the model is one folder)', () => {
    expect(graph.folders.get('src/engine')).toContain('src/model');
    expect(graph.folders.has('src/summary')).toBe(false);
    expect(graph.folders.has('src/analysis')).toBe(false);
  });

  it('has no folder import cycle', () => {
    expect(folderCycles(graph.folders)).toEqual([]);
  });

  it('imports only down the layers', () => {
    expect(upwardImports(graph.folders)).toEqual([]);
  });

  it('keeps the model under the rules, the engine, the fix stage, the reports and the CLI', () => {
    const above = ['rules', 'src/rule', 'src/engine', 'src/fix', 'src/report', 'src/cli'];
    expect((graph.folders.get('src/model') ?? []).filter((f) => above.includes(f))).toEqual([]);
  });
});

describe('rules and the model', () => {
  it('rules import only types from src/, none from src/model, and never call summaryOf', () => {
    expect(ruleOffences(ROOT, graph)).toEqual([]);
  });

  it('flags a rule that imports a model function, or reaches src/model past the rule API', () => {
    const file = 'rules/skip-asymmetry.ts';
    const offending: LayoutGraph = {
      files: [],
      imports: [
        { from: file, to: 'src/model/skips.ts', typeOnly: false },
        { from: file, to: 'src/rule/model.ts', typeOnly: true },
        { from: file, to: 'src/cmodel/types.ts', typeOnly: true },
      ],
      folders: new Map(),
    };
    expect(ruleOffences(ROOT, offending)).toEqual([
      `${file} imports src/model/skips.ts (model types come from src/rule/model.ts)`,
      `${file} imports values from src/model/skips.ts (types only; ask ctx.model)`,
    ]);
  });
});

describe('cycle detection', () => {
  it('finds a cycle through three folders and none in a chain', () => {
    const cyclic = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(folderCycles(cyclic)).toEqual([['a', 'b', 'c']]);
    expect(folderCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('flags an import that goes up the layers', () => {
    expect(upwardImports(new Map([['src/model', ['src/engine']]]))).toEqual(['src/model → src/engine goes up']);
  });
});
