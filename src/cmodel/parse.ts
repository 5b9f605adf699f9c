/**
 * Entry points of the C model: initCParser() once, then buildFileModel() per
 * file image, or ParsedImage (image.ts) to model a sequence of images of one
 * file incrementally. The model keeps plain data only.
 */
import type { CFileModel } from './types.js';
import { ParsedImage } from './image.js';

export {
  initCParser,
  resolveGrammarWasm,
  resolveRuntimeWasm,
  isCParserReady,
  CParserCrash,
  cParserBroken,
  type CParserOptions,
} from './loader.js';
export { normalizeC, blankAttributeMacros } from './text.js';
export { prepareSource } from './prepare.js';
export { ParsedImage } from './image.js';
export type { LineEdit } from './edits.js';

/** Build the C model of one file image. initCParser() must have resolved. */
export function buildFileModel(path: string, text: string): CFileModel {
  return ParsedImage.parse(path, text, false).model;
}
