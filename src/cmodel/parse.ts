/**
 * Entry points of the C model: initCParser() once, then buildFileModel() per
 * file image. The tree is deleted before buildFileModel returns; the model
 * keeps plain data only.
 */
import type { Tree } from 'web-tree-sitter';
import type { CFileModel } from './types.js';
import { getParser } from './loader.js';
import { scanErrors } from './diagnostics.js';
import { makeModel } from './model.js';
import { prepareSource } from './prepare.js';
import { Walker } from './walker.js';

export { initCParser, resolveGrammarWasm, resolveRuntimeWasm, isCParserReady, type CParserOptions } from './loader.js';
export { normalizeC, blankAttributeMacros } from './text.js';
export { prepareSource } from './prepare.js';

function emptyModel(path: string): CFileModel {
  return makeModel({ path, functions: [], initializers: [], hasErrors: true, errorLines: [] });
}

/** Build the C model of one file image. initCParser() must have resolved. */
export function buildFileModel(path: string, text: string): CFileModel {
  const parser = getParser();
  const source = typeof text === 'string' ? text : String(text ?? '');
  // binary like git sees it: a NUL byte near the start
  if (source.slice(0, 8000).includes('\0')) return emptyModel(path);
  let tree: Tree | null = null;
  try {
    const prepared = prepareSource(source);
    tree = parser.parse(prepared.text);
    if (!tree) return emptyModel(path);
    const root = tree.rootNode;
    const walk = new Walker({ text: source, parsed: prepared.text }, prepared.blockMacros).run(root);
    const scan = scanErrors(root, walk.knownHeaders, walk.functionsByNode);
    return makeModel({
      path,
      functions: walk.functions,
      initializers: walk.initializers,
      hasErrors: root.hasError || walk.truncated || walk.functions.some((f) => f.hasErrors),
      errorLines: scan.lines,
    });
  } catch {
    // never throw on odd input: degrade to an empty model
    try {
      parser.reset();
    } catch {
      /* ignore */
    }
    return emptyModel(path);
  } finally {
    tree?.delete();
  }
}
