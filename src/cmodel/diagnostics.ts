/**
 * Parse errors: which ERROR/MISSING nodes are known QEMU macro shapes and
 * which are real, and the functions the real ones fall in. Only follows
 * subtrees that have errors, so it costs nothing on clean files.
 */
import type { Node } from 'web-tree-sitter';
import type { CFunction } from './types.js';
import { startLine } from './nodes.js';

/** Leaves of a type used as a macro argument: `struct foo *`, `unsigned long`. */
const TYPE_LEAVES = new Set([
  'identifier',
  'type_identifier',
  'primitive_type',
  'sized_type_specifier',
  '*',
  'struct',
  'union',
  'enum',
  'const',
  'volatile',
  'unsigned',
  'signed',
  'long',
  'short',
  'type_qualifier',
]);

/** Leaves of an attribute macro: `coroutine_fn`, `QEMU_FOO(1)`. */
const ATTRIBUTE_LEAVES = new Set(['identifier', 'type_identifier', 'primitive_type', 'number_literal', '(', ')', ',']);

const TYPE_OR_COMMA = new Set([...TYPE_LEAVES, ',']);

/** Leaves of preprocessor lines in an initializer list. */
const PREPROC_LEAVES = new Set([
  '#if',
  '#ifdef',
  '#ifndef',
  '#else',
  '#elif',
  '#endif',
  'preproc_directive',
  'preproc_arg',
  'identifier',
  '\n',
]);

/** Do all leaves of `node` (at most `max` nodes) have types in `allowed`? */
function leavesIn(node: Node, allowed: ReadonlySet<string>, max = 64): boolean {
  const stack: Node[] = [node];
  let seen = 0;
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (++seen > max) return false;
    if (n.isMissing) return false;
    const count = n.childCount;
    if (count === 0) {
      if (!allowed.has(n.type)) return false;
      continue;
    }
    for (const c of n.children) if (c) stack.push(c);
  }
  return true;
}

/**
 * Is the ERROR `node` a known QEMU shape? `parent` and `grandparent` are its
 * ancestors, as the caller walked down to it (null: file scope, or unknown).
 * They are passed in, not read with `node.parent`: tree-sitter finds a
 * parent by walking down from the root, recursively for a zero-width node
 * (a MISSING token, an empty ERROR), and in the deep trees error recovery
 * builds from hunk fragments (diff-only images: 700 levels of ERROR) that
 * recursion overflows the wasm stack, which corrupts the runtime's memory.
 */
export function isKnownError(node: Node, parent: Node | null, grandparent: Node | null): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case 'argument_list':
      // container_of(p, struct foo, f), g_new0(struct foo, n), g_array_index(a, Foo *, i)
      return leavesIn(node, TYPE_LEAVES, 16);
    case 'binary_expression':
      // g_new0(CPUState *, n): `CPUState * <ERROR ,> n` inside an argument list
      // g_renew(const char *, p, n): `const <ERROR char> * <ERROR ,> p`
      return grandparent?.type === 'argument_list' && leavesIn(node, TYPE_OR_COMMA, 4);
    case 'offsetof_expression':
    case 'alignof_expression':
      // offsetof(VRingUsed, ring[i]), __alignof__(elem->in_addr[0])
      return true;
    case 'preproc_params':
      // #define F(a, b...) with GNU named variadic parameters
      return true;
    case 'macro_type_specifier':
      // QLIST_HEAD(, VFIOGroup)
      return leavesIn(node, new Set([',', 'identifier', 'type_identifier']), 8);
    case 'function_definition': {
      // an unknown attribute macro in the header: static int QEMU_FOO f(void)
      const body = parent.childForFieldName('body');
      if (body && node.startIndex >= body.startIndex) return false;
      return leavesIn(node, ATTRIBUTE_LEAVES, 16);
    }
    case 'pointer_declarator':
    case 'parameter_declaration':
    case 'function_declarator':
    case 'declaration':
      // `Error **errp ATTR`, `ATTR char *p = NULL`
      return leavesIn(node, ATTRIBUTE_LEAVES, 8);
    case 'initializer_list':
      // #ifdef CONFIG_FOO / #endif between designated fields
      return leavesIn(node, PREPROC_LEAVES, 16);
    default:
      return false;
  }
}

/** A node's ancestors inside the item being scanned, nearest first; null past the item's root. */
interface Up {
  node: Node;
  up: Up | null;
}

/**
 * Is the node `chain` starts at the translation unit or a preprocessor block
 * directly in it? Past the item's root (null) is file scope: items are the
 * children of the translation unit and of its preprocessor blocks.
 */
function isFileScope(chain: Up | null): boolean {
  for (let cur = chain, guard = 0; guard < 32; cur = cur.up, guard++) {
    if (!cur) return true;
    const t = cur.node.type;
    if (t === 'translation_unit') return true;
    if (!t.startsWith('preproc_')) return false;
  }
  return false;
}

export interface ErrorScan {
  /** lines of errors not explained by a known shape, sorted, at most `limit` */
  lines: number[];
}

/**
 * Find real errors. `knownHeaders` are the expression_statements whose
 * MISSING `;` is a block-macro header; `functionsByNode` maps
 * function_definition ids to functions, which get `hasErrors` set.
 */
export function scanErrors(
  root: Node,
  knownHeaders: ReadonlySet<number>,
  functionsByNode: ReadonlyMap<number, CFunction>,
  limit = 100,
): ErrorScan {
  const lines = new Set<number>();
  const report = (node: Node, fn: CFunction | null): void => {
    if (fn) fn.hasErrors = true;
    if (lines.size < limit) lines.add(startLine(node));
  };
  if (!root.hasError) return { lines: [] };
  // each entry carries its ancestors (see isKnownError: never `node.parent`)
  const stack: { node: Node; fn: CFunction | null; up: Up | null }[] = [{ node: root, fn: null, up: null }];
  let budget = 1_000_000;
  while (stack.length > 0 && budget-- > 0) {
    const item = stack.pop() as { node: Node; fn: CFunction | null; up: Up | null };
    const node = item.node;
    let fn = item.fn;
    const parent = item.up?.node ?? null;
    if (node.type === 'function_definition') fn = functionsByNode.get(node.id) ?? fn;
    if (node.isMissing) {
      const known =
        node.type === ';' &&
        // a block-macro header, or a file-scope macro invocation: type_init(f), DEFINE_TYPES(t)
        ((parent && knownHeaders.has(parent.id)) || (fn === null && isFileScope(item.up)));
      if (!known) report(node, fn);
      continue;
    }
    if (node.isError) {
      if (isKnownError(node, parent, item.up?.up?.node ?? null)) continue;
      report(node, fn);
    }
    const children = node.children;
    const up: Up = { node, up: item.up };
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c && (c.hasError || c.isMissing)) stack.push({ node: c, fn, up });
    }
  }
  return { lines: [...lines].sort((a, b) => a - b) };
}
