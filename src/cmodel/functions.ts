/**
 * Function headers: name, storage class, line range and parameters of a
 * function_definition, through pointer/parenthesized declarators and
 * attribute macros.
 */
import type { Node } from 'web-tree-sitter';
import { declaredName, endLine, kids, namedKids, startLine, type Source } from './nodes.js';
import { normalizeC } from './text.js';

export interface FunctionHeader {
  name: string;
  /** the header did not parse as a function declarator (an unknown macro in it) */
  odd: boolean;
  isStatic: boolean;
  startLine: number;
  endLine: number;
  bodyStartLine: number;
  params: string[];
  /** parameters declared `Error *name` (their uses are read by the walker) */
  errorParams: { name: string; isConst: boolean }[];
  /** for a function handed `Error **`: whether it answers with a bool (true: done) or a status (0: done) */
  reports?: 'bool' | 'status';
}

const STATUS_TYPES = new Set(['int', 'ssize_t', 'long', 'int64_t', 'int32_t']);

/**
 * How a function handed `Error **` answers: `bool fx_open(..., Error **errp)` says true when it succeeded, `int
 * fx_open(...)` 0 (a negative errno when it failed), so `if (fx_open(..., &err))` tests its failure only for the second.
 * Undefined for a function with no `Error **` parameter, a pointer or any other return type.
 */
function reportsHow(src: Source, node: Node, fdecl: Node | null, decl: Node | null): 'bool' | 'status' | undefined {
  const list = fdecl?.childForFieldName('parameters');
  if (!list || decl !== fdecl) return undefined;
  const takesErrp = kids(list).some((p) => {
    if (p.type !== 'parameter_declaration') return false;
    const type = p.childForFieldName('type');
    const d = p.childForFieldName('declarator');
    return type !== null && src.text.slice(type.startIndex, type.endIndex) === 'Error' && d?.type === 'pointer_declarator' && d.childForFieldName('declarator')?.type === 'pointer_declarator';
  });
  if (!takesErrp) return undefined;
  const type = node.childForFieldName('type');
  const text = type ? src.text.slice(type.startIndex, type.endIndex).trim() : '';
  if (text === 'bool') return 'bool';
  return STATUS_TYPES.has(text) ? 'status' : undefined;
}

/** The function_declarator of a definition: `f(...)` inside `*f(...)`, `(*f(int))(long)`. */
function functionDeclarator(decl: Node | null): Node | null {
  let cur: Node | null = decl;
  let found: Node | null = null;
  for (let guard = 0; cur && guard < 64; guard++) {
    if (cur.type === 'function_declarator') found = cur;
    const next: Node | null =
      cur.childForFieldName('declarator') ??
      namedKids(cur).find((c) => c.type.endsWith('declarator')) ??
      null;
    if (!next) break;
    cur = next;
  }
  return found;
}

function paramNames(src: Source, fdecl: Node | null): string[] {
  const list = fdecl?.childForFieldName('parameters');
  if (!list) return [];
  const out: string[] = [];
  for (const p of kids(list)) {
    if (p.type !== 'parameter_declaration') continue;
    const id = declaredName(p.childForFieldName('declarator'));
    if (id && id.type === 'identifier') out.push(src.text.slice(id.startIndex, id.endIndex));
  }
  return out;
}

/** Parameters declared `Error *name` or `const Error *name` (one pointer): an Error handed over, not an out-parameter. */
function errorParams(src: Source, fdecl: Node | null): { name: string; isConst: boolean }[] {
  const list = fdecl?.childForFieldName('parameters');
  if (!list) return [];
  const out: { name: string; isConst: boolean }[] = [];
  for (const p of kids(list)) {
    if (p.type !== 'parameter_declaration') continue;
    const type = p.childForFieldName('type');
    const decl = p.childForFieldName('declarator');
    if (type?.type !== 'type_identifier' || src.text.slice(type.startIndex, type.endIndex) !== 'Error') continue;
    if (decl?.type !== 'pointer_declarator' || decl.childForFieldName('declarator')?.type !== 'identifier') continue;
    const id = decl.childForFieldName('declarator') as Node;
    const isConst = kids(p).some((k) => k.type === 'type_qualifier' && src.text.slice(k.startIndex, k.endIndex) === 'const');
    out.push({ name: src.text.slice(id.startIndex, id.endIndex), isConst });
  }
  return out;
}

/** Name from the header text when the declarator is odd: the first `word(` before the body. */
function nameFromText(header: string): string {
  const clean = normalizeC(header);
  const m = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(clean);
  return m ? (m[1] as string) : '';
}

export function functionHeader(src: Source, node: Node): FunctionHeader {
  const body = node.childForFieldName('body');
  const decl = node.childForFieldName('declarator');
  const fdecl = functionDeclarator(decl);
  let name = '';
  let odd = false;
  if (fdecl) {
    const id = declaredName(fdecl.childForFieldName('declarator'));
    if (id) name = src.text.slice(id.startIndex, id.endIndex);
  } else {
    // `static int UNKNOWN_ATTR f(void)` parses as `static int UNKNOWN_ATTR;`
    // then a definition of type `f` with declarator `(void)`
    odd = true;
    const type = node.childForFieldName('type');
    if (type && type.type === 'type_identifier' && decl?.type === 'parenthesized_declarator') {
      name = src.text.slice(type.startIndex, type.endIndex);
    }
  }
  const headerEnd = body ? body.startIndex : node.endIndex;
  if (!name) name = nameFromText(src.text.slice(node.startIndex, headerEnd));
  // storage class: from the start of the first line, in case a macro split the header
  const lineStart = src.text.lastIndexOf('\n', Math.max(0, node.startIndex - 1)) + 1;
  const beforeDecl = src.text.slice(Math.min(lineStart, node.startIndex), decl ? decl.startIndex : headerEnd);
  const isStatic = /(^|[^A-Za-z0-9_])static([^A-Za-z0-9_]|$)/.test(normalizeC(beforeDecl));
  const start = startLine(node);
  return {
    name,
    odd,
    isStatic,
    startLine: start,
    endLine: Math.max(start, endLine(node)),
    bodyStartLine: body ? startLine(body) : start,
    params: paramNames(src, fdecl),
    errorParams: errorParams(src, fdecl),
    ...(reportsHow(src, node, fdecl, decl) !== undefined ? { reports: reportsHow(src, node, fdecl, decl) } : {}),
  };
}
