/**
 * Small helpers over tree-sitter nodes: children, lines, texts from the
 * original file image, declarator names.
 */
import type { Node } from 'web-tree-sitter';
import { normalizeC } from './text.js';

/** The source of one parse: the original image (texts come from here) and the parsed text. */
export interface Source {
  text: string;
  /** the text tree-sitter parsed (attribute macros blanked); same length and lines */
  parsed?: string;
}

export function kids(node: Node): Node[] {
  const out: Node[] = [];
  for (const c of node.children) if (c) out.push(c);
  return out;
}

export function namedKids(node: Node): Node[] {
  const out: Node[] = [];
  for (const c of node.namedChildren) if (c && c.type !== 'comment') out.push(c);
  return out;
}

export function field(node: Node, name: string): Node | null {
  return node.childForFieldName(name);
}

/**
 * `node.parent`, except for a zero-width node (a MISSING token), whose
 * parent tree-sitter finds by a recursion as deep as the tree: in the deep
 * trees error recovery builds (diff-only images) it overflows the wasm
 * stack and corrupts the runtime. Such a node has no parent worth asking.
 */
export function parentOf(node: Node): Node | null {
  return node.startIndex === node.endIndex ? null : node.parent;
}

/** 1-based first line. */
export function startLine(node: Node): number {
  return node.startPosition.row + 1;
}

/** 1-based last line; a node ending at column 0 ends on the previous line. */
export function endLine(node: Node): number {
  const s = node.startPosition.row;
  const e = node.endPosition.row;
  return e > s && node.endPosition.column === 0 ? e : e + 1;
}

export function textOf(src: Source, node: Node): string {
  return src.text.slice(node.startIndex, node.endIndex);
}

export function normText(src: Source, node: Node): string {
  return normalizeC(textOf(src, node));
}

/**
 * Where a statement starts in the original image: before any attribute
 * macro blanked just before it on its line (`g_autofree char *p = NULL;`).
 */
export function statementStart(src: Source, node: Node): number {
  const start = node.startIndex;
  const parsed = src.parsed;
  if (!parsed || parsed === src.text) return start;
  let s = start;
  while (s > 0) {
    const c = parsed.charCodeAt(s - 1);
    if (c !== 32 && c !== 9) break;
    s--;
  }
  while (s < start) {
    const c = src.text.charCodeAt(s);
    if (c !== 32 && c !== 9) break;
    s++;
  }
  return s;
}

export function spanText(src: Source, from: Node, to: Node): string {
  return src.text.slice(from.startIndex, Math.max(from.startIndex, to.endIndex));
}

/** The contents of a parenthesized node, without the outer parentheses. */
export function innerOfParens(node: Node): { first: Node; last: Node } | null {
  if (node.type !== 'parenthesized_expression') return { first: node, last: node };
  const inner = kids(node).filter((c) => c.type !== '(' && c.type !== ')' && !c.isMissing);
  if (inner.length === 0) return null;
  return { first: inner[0] as Node, last: inner[inner.length - 1] as Node };
}

const DECLARATOR_TYPES = new Set([
  'pointer_declarator',
  'function_declarator',
  'array_declarator',
  'parenthesized_declarator',
  'attributed_declarator',
  'init_declarator',
]);

/** The identifier a declarator declares: `*p`, `a[3]`, `(*fn)(int)`, `x = 1`. */
export function declaredName(declarator: Node | null): Node | null {
  let cur: Node | null = declarator;
  for (let guard = 0; cur && guard < 64; guard++) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier' || cur.type === 'type_identifier') return cur;
    if (!DECLARATOR_TYPES.has(cur.type)) return null;
    const next: Node | null = cur.childForFieldName('declarator');
    if (next) {
      cur = next;
      continue;
    }
    cur = namedKids(cur).find((c) => c.type === 'identifier' || DECLARATOR_TYPES.has(c.type)) ?? null;
  }
  return null;
}

/** The type name of a declaration's type node: `MemoryListener`, `struct foo` -> `foo`. */
export function typeName(src: Source, type: Node | null): string | null {
  if (!type) return null;
  switch (type.type) {
    case 'type_identifier':
    case 'primitive_type':
    case 'sized_type_specifier':
      return normText(src, type);
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier': {
      const name = type.childForFieldName('name');
      return name ? textOf(src, name) : null;
    }
    case 'type_descriptor':
      return typeName(src, type.childForFieldName('type'));
    case 'macro_type_specifier':
      return normText(src, type);
    default:
      return normText(src, type) || null;
  }
}
