/**
 * One parsed file image: its C model, and (while it is the newest image of
 * its path) the tree-sitter tree it came from, so the next image of the
 * same file can be modelled from it.
 *
 * A file is modelled item by item (the children of the translation unit:
 * function definitions, declarations, preprocessor blocks). The next image
 * re-parses incrementally (`tree.edit()` with the checked edits, then a
 * parse that reuses the old tree) and walks only the items an edit or a
 * changed syntax range touches; every other item keeps its model, moved by
 * the number of lines inserted or deleted above it. A commit that edits one
 * function of a 2,500-line file walks that function, not the file.
 *
 * A preprocessor block at file scope (a header's include guard, an
 * `#ifdef CONFIG_X` around functions) is not one item but its children:
 * the walk treats them as it treats items (see Walker.runItem), and a
 * header is mostly one `#ifndef` block, which would otherwise be walked
 * whole, and parsed again from scratch (below), for any edit to it.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { CFileModel, CFunction, CInitializer } from './types.js';
import { CParserCrash, cParserBroken, getParser, isWasmTrap, markCParserBroken } from './loader.js';
import { scanErrors } from './diagnostics.js';
import { checkedEdits, lineStarts, pointAt, type LineEdit, type TextEdit } from './edits.js';
import { nameHandlerSwitches } from './handlers.js';
import { makeModel } from './model.js';
import { prepareSource, type PreparedSource } from './prepare.js';
import { shiftItem } from './shift.js';
import { Walker } from './walker.js';

/** What one top-level item of the file contributes to the model. */
interface ItemModel {
  /** offsets of the item in its image */
  start: number;
  end: number;
  type: string;
  /** preprocessor blocks it is in (0: a child of the translation unit) */
  nesting: number;
  /** its node's descendant count and error flag: what a parse from scratch must give again for the model to be reused */
  descendants: number;
  hasError: boolean;
  /** 0-based row of its first line */
  row: number;
  functions: CFunction[];
  initializers: CInitializer[];
  /** lines of unexplained parse errors in the item */
  errorLines: number[];
  /** the walk hit its depth limit outside any function */
  truncated: boolean;
}

/** Models keep at most this many error lines (as the whole-file scan did). */
const ERROR_LINE_LIMIT = 100;

/** Characters handed to tree-sitter per read: under web-tree-sitter's 10 KiB input buffer. */
const READ_CHUNK = 4096;

function looksBinary(text: string): boolean {
  // like git: a NUL byte near the start
  return text.slice(0, 8000).includes('\0');
}

function emptyModel(path: string): CFileModel {
  return makeModel({ path, functions: [], initializers: [], hasErrors: true, errorLines: [] });
}

function assemble(path: string, root: Node, items: readonly ItemModel[]): CFileModel {
  const functions: CFunction[] = [];
  const initializers: CInitializer[] = [];
  const errorLines: number[] = [];
  let truncated = false;
  for (const item of items) {
    for (const f of item.functions) functions.push(f);
    for (const i of item.initializers) initializers.push(i);
    for (const l of item.errorLines) if (errorLines.length < ERROR_LINE_LIMIT) errorLines.push(l);
    truncated ||= item.truncated;
  }
  // a handler setter's side is known once every function of the file is (handlers.ts)
  nameHandlerSwitches(functions);
  return makeModel({
    path,
    functions,
    initializers,
    hasErrors: root.hasError || truncated || functions.some((f) => f.hasErrors),
    errorLines,
  });
}

/** Preprocessor blocks whose children are items of their own. */
const BLOCKS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);

interface Item {
  node: Node;
  nesting: number;
}

/** The items of a tree: children of the translation unit, with preprocessor blocks opened, in source order. */
function itemsOf(root: Node): Item[] {
  const out: Item[] = [];
  const open = (node: Node, nesting: number): void => {
    for (const c of node.children) {
      if (!c) continue;
      if (BLOCKS.has(c.type)) open(c, nesting + 1);
      else out.push({ node: c, nesting });
    }
  };
  open(root, 0);
  return out;
}

/**
 * Walk one item. With `detach`, the model owns its strings: the names and
 * texts it holds are slices of the file image, and V8 keeps a whole string
 * alive while a slice of it is. An item walked for a later image is carried
 * on into the images after it, so each would otherwise pin the text of the
 * image it was walked in: one copy of pci.c per commit that edited it.
 */
function walkItem({ node: item, nesting }: Item, text: string, prepared: PreparedSource, detach = false): ItemModel {
  const walk = new Walker({ text, parsed: prepared.text }, prepared.blockMacros).runItem(item, nesting);
  const scan = scanErrors(item, walk.knownHeaders, walk.functionsByNode, ERROR_LINE_LIMIT);
  // after scanErrors, which marks functions with errors; a clone keeps shared objects shared
  const own = detach ? structuredClone({ functions: walk.functions, initializers: walk.initializers }) : walk;
  return {
    start: item.startIndex,
    end: item.endIndex,
    type: item.type,
    nesting,
    descendants: item.descendantCount,
    hasError: item.hasError,
    row: item.startPosition.row,
    functions: own.functions,
    initializers: own.initializers,
    errorLines: scan.lines,
    truncated: walk.truncated,
  };
}

function moved(old: ItemModel, { node: item }: Item): ItemModel {
  const row = item.startPosition.row;
  const delta = row - old.row;
  const shifted = delta === 0 ? old : shiftItem(old.functions, old.initializers, delta);
  return {
    start: item.startIndex,
    end: item.endIndex,
    type: old.type,
    nesting: old.nesting,
    descendants: old.descendants,
    hasError: old.hasError,
    row,
    functions: shifted.functions,
    initializers: shifted.initializers,
    errorLines: delta === 0 ? old.errorLines : old.errorLines.map((l) => l + delta),
    truncated: old.truncated,
  };
}

function parseText(tree: Tree | null, text: string): Tree | null {
  return getParser().parse((index: number) => text.slice(index, index + READ_CHUNK), tree);
}

/** Where an edit's old end lands once the edits before it are applied (tree-sitter applies edits one by one). */
function editFor(e: TextEdit, oldLines: Int32Array, newLines: Int32Array) {
  const startPosition = pointAt(newLines, e.newStart);
  const oldStart = pointAt(oldLines, e.oldStart);
  const oldEnd = pointAt(oldLines, e.oldEnd);
  const oldEndPosition =
    oldEnd.row === oldStart.row
      ? { row: startPosition.row, column: startPosition.column + (oldEnd.column - oldStart.column) }
      : { row: startPosition.row + (oldEnd.row - oldStart.row), column: oldEnd.column };
  return {
    startIndex: e.newStart,
    oldEndIndex: e.newStart + (e.oldEnd - e.oldStart),
    newEndIndex: e.newEnd,
    startPosition,
    oldEndPosition,
    newEndPosition: pointAt(newLines, e.newEnd),
  };
}

interface Range {
  start: number;
  end: number;
}

export class ParsedImage {
  private constructor(
    readonly path: string,
    readonly text: string,
    readonly model: CFileModel,
    private tree: Tree | null,
    private readonly prepared: PreparedSource | null,
    private readonly lines: Int32Array | null,
    private readonly items: readonly ItemModel[],
  ) {}

  /** Model `text` from scratch. initCParser() must have resolved. */
  static parse(path: string, text: string, keepTree = true): ParsedImage {
    const source = typeof text === 'string' ? text : String(text ?? '');
    if (looksBinary(source)) return ParsedImage.failed(path, source);
    let tree: Tree | null = null;
    try {
      const prepared = prepareSource(source);
      tree = parseText(null, prepared.text);
      if (!tree) return ParsedImage.failed(path, source);
      const root = tree.rootNode;
      const items: ItemModel[] = [];
      for (const item of itemsOf(root)) items.push(walkItem(item, source, prepared));
      const model = assemble(path, root, items);
      const image = new ParsedImage(path, source, model, keepTree ? tree : null, prepared, lineStarts(source), items);
      if (keepTree) tree = null;
      return image;
    } catch (e) {
      if (isWasmTrap(e) || cParserBroken()) throw crash(e);
      return ParsedImage.failed(path, source);
    } finally {
      freeTree(tree);
    }
  }

  /** A model that says the file could not be modelled. */
  private static failed(path: string, text: string): ParsedImage {
    try {
      if (!cParserBroken()) getParser().reset();
    } catch {
      /* ignore */
    }
    return new ParsedImage(path, text, emptyModel(path), null, null, null, []);
  }

  /** Can next() build on this image, or must the next image be parsed from scratch? */
  /** An image whose model was built before (a model cache on disk): no tree, so the next image is parsed from scratch unless the cache has it too. */
  static fromModel(path: string, text: string, model: CFileModel): ParsedImage {
    return new ParsedImage(path, text, model, null, null, null, []);
  }

  get hasTree(): boolean {
    return this.tree !== null;
  }

  /**
   * Model `text`, the image after `edits` to this one. Uses up this image's
   * tree (a later next() on it parses from scratch); the new image owns the
   * new tree. Edits are a hint, checked against both texts.
   */
  next(path: string, text: string, edits: readonly LineEdit[]): ParsedImage {
    const tree = this.tree;
    if (!tree || !this.prepared || !this.lines || looksBinary(text) || cParserBroken()) {
      this.dispose();
      return ParsedImage.parse(path, text);
    }
    this.tree = null;
    let newTree: Tree | null = null;
    try {
      const prepared = prepareSource(text);
      const lines = lineStarts(text);
      const textEdits = checkedEdits(
        edits,
        [
          { old: this.text, new: text },
          { old: this.prepared.text, new: prepared.text },
        ],
        this.lines,
        lines,
      );
      for (const e of textEdits) tree.edit(editFor(e, this.lines, lines));
      newTree = parseText(tree, prepared.text);
      if (!newTree) return ParsedImage.failed(path, text);
      const dirty: Range[] = textEdits.map((e) => ({ start: e.newStart, end: e.newEnd }));
      for (const r of newTree.getChangedRanges(tree)) dirty.push({ start: r.startIndex, end: r.endIndex });
      let items = this.reuse(newTree.rootNode, textEdits, dirty, text, prepared, false);
      if (!items) {
        // error recovery depends on the parse's history: near an error, an
        // incremental parse may differ from a parse from scratch, so an
        // edited item with an error is modelled from a parse from scratch.
        // The items no edit touched keep their models when the new parse
        // gives them again (same text, type, size and error flag).
        const old = newTree;
        newTree = null;
        old.delete();
        newTree = parseText(null, prepared.text);
        if (!newTree) return ParsedImage.failed(path, text);
        items = this.reuse(newTree.rootNode, textEdits, textEdits.map((e) => ({ start: e.newStart, end: e.newEnd })), text, prepared, true);
      }
      if (!items) return ParsedImage.failed(path, text);
      const image = new ParsedImage(path, text, assemble(path, newTree.rootNode, items), newTree, prepared, lines, items);
      newTree = null;
      return image;
    } catch (e) {
      if (isWasmTrap(e) || cParserBroken()) throw crash(e);
      return ParsedImage.failed(path, text);
    } finally {
      freeTree(tree);
      freeTree(newTree);
    }
  }

  /**
   * The items of the tree `root` of the next image: those outside every
   * `dirty` range keep this image's models, moved; the others are walked.
   * From an incremental tree (`scratch` false) an item to walk that has an
   * error gives up (null). From a tree parsed from scratch a model is only
   * kept when the node has the old item's descendant count and error flag.
   */
  private reuse(
    root: Node,
    textEdits: readonly TextEdit[],
    dirty: readonly Range[],
    text: string,
    prepared: PreparedSource,
    scratch: boolean,
  ): ItemModel[] | null {
    const byStart = new Map<number, ItemModel>();
    for (const old of this.items) byStart.set(old.start, old);
    // first which items keep their models, so that giving up walks nothing
    const plan: (ItemModel | null)[] = [];
    const all = itemsOf(root);
    for (const item of all) {
      const { node } = item;
      const start = node.startIndex;
      const end = node.endIndex;
      const touched = dirty.some((r) => start <= r.end && r.start <= end);
      const old = touched ? undefined : byStart.get(start - shiftBefore(textEdits, start));
      const keep =
        old &&
        old.end - old.start === end - start &&
        old.type === node.type &&
        old.nesting === item.nesting &&
        (!scratch || (old.descendants === node.descendantCount && old.hasError === node.hasError));
      if (!keep && !scratch && node.hasError) return null;
      plan.push(keep ? old : null);
    }
    return all.map((item, i) => {
      const old = plan[i];
      return old ? moved(old, item) : walkItem(item, text, prepared, true);
    });
  }

  /** Free the tree (wasm memory); the model stays usable. */
  dispose(): void {
    const tree = this.tree;
    this.tree = null;
    freeTree(tree);
  }
}

/** The error a trap of the runtime becomes (see loader.ts: the runtime is not used again). */
function crash(e: unknown): Error {
  return e instanceof CParserCrash ? e : markCParserBroken(e);
}

/**
 * Free a tree, unless the runtime has trapped: its memory can no longer be
 * trusted (freeing would trap again), so the tree is left to the process's end.
 */
function freeTree(tree: Tree | null): void {
  if (!tree || cParserBroken()) return;
  try {
    tree.delete();
  } catch (e) {
    if (isWasmTrap(e)) markCParserBroken(e);
    else throw e;
  }
}

/** How far the edits before `offset` (in the new image) moved it. */
function shiftBefore(edits: readonly TextEdit[], offset: number): number {
  let shift = 0;
  for (const e of edits) {
    if (e.newEnd > offset) break;
    shift += e.newEnd - e.newStart - (e.oldEnd - e.oldStart);
  }
  return shift;
}
