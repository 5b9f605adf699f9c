import { describe, expect, it } from 'vitest';
import { buildFileModel } from '../../src/cmodel/parse.js';
import { fixtureModel, fn, modelOf } from './helpers.js';

describe('robustness', () => {
  it('unbalanced braces: no throw, hasErrors on the file and the broken function', async () => {
    const { model } = await fixtureModel('unbalanced.c');
    expect(model.hasErrors).toBe(true);
    const broken = fn(model, 'toy_broken');
    expect(broken.hasErrors).toBe(true);
    expect(broken.calls.map((c) => c.callee)).toContain('toy_start');
    expect(model.errorLines?.length).toBeGreaterThan(0);
  });

  it('a clean file has no errors', async () => {
    const { model } = await fixtureModel('listener.c');
    expect(model.hasErrors).toBe(false);
    expect(model.errorLines).toEqual([]);
  });

  it('never throws: empty, junk, binary, lone braces, huge lines, deep nesting', async () => {
    await modelOf('');
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const junk = Array.from({ length: 20000 }, () => String.fromCharCode(rand() % 0x3000)).join('');
    const inputs: [string, string][] = [
      ['empty', ''],
      ['junk', junk],
      ['binary', 'void f(void)\n{\n    a(\0);\n}\n'],
      ['open', '{'.repeat(20000)],
      ['close', '}'.repeat(20000) + ')'.repeat(20000)],
      ['macro', 'QLIST_FOREACH('],
      ['macro2', 'void f(void){\nQLIST_FOREACH(x, l, n) {\n'],
      ['line', 'void f(void) { x = ' + 'a + '.repeat(260000) + 'b; g(); }\n'],
      ['nest', 'void f(void)\n{\n' + 'if (a) {\n'.repeat(3000) + 'g();\n' + '}\n'.repeat(3000) + '}\n'],
      ['elseif', 'void f(void)\n{\n if (a) g();\n' + Array.from({ length: 3000 }, (_, i) => `else if (a${i}) g${i}();`).join('\n') + '\n}\n'],
      ['ternary', 'void f(void) { x = ' + 'a ? b() : '.repeat(3000) + 'c; }\n'],
    ];
    for (const [name, text] of inputs) {
      const model = buildFileModel(name, text);
      expect(Array.isArray(model.functions)).toBe(true);
      expect(model.functionAt(1) === null || typeof model.functionAt(1)?.name === 'string').toBe(true);
      if (name !== 'empty' && name !== 'line' && name !== 'elseif' && name !== 'ternary') expect(model.hasErrors, name).toBe(true);
    }
    expect(buildFileModel('e', '').hasErrors).toBe(false);
    // a long else-if chain is walked completely (iteratively)
    const chain = buildFileModel('c', inputs[9]?.[1] as string);
    expect(chain.functions[0]?.calls).toHaveLength(3001);
    // too deep to walk: degraded, flagged
    expect(buildFileModel('n', inputs[8]?.[1] as string).functions[0]?.hasErrors).toBe(true);
  }, 60000);

  it('the parser is reused and stays usable after bad input', async () => {
    await modelOf('}}}} ((((');
    const model = await modelOf('int f(void)\n{\n    return g();\n}\n');
    expect(fn(model, 'f').calls.map((c) => c.callee)).toEqual(['g']);
  });
});
