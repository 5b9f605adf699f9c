/**
 * Initializers that install callbacks: designated initializer lists
 * (`static const MemoryListener l = { .region_add = f }`), compound literals
 * (`(MemoryListener) { .region_add = f }`) and field assignments
 * (`x->listener.region_add = f;`). Only plain-identifier values are kept (and the one function a choice
 * installs: `k->exit = x ? f : NULL`).
 */
import type { Node } from 'web-tree-sitter';
import type { CInitializer, CInitializerField } from './types.js';
import { kids, normText, startLine, textOf, type Source } from './nodes.js';

/** `.a.b[2]` -> `a.b[2]`; null when a designator is not a field or subscript. */
function designatorPath(src: Source, pair: Node): string | null {
  let path = '';
  for (const d of pair.childrenForFieldName('designator')) {
    if (!d) continue;
    if (d.type === 'field_designator') {
      const f = kids(d).find((c) => c.type === 'field_identifier');
      if (!f) return null;
      path += (path ? '.' : '') + textOf(src, f);
    } else if (d.type === 'field_identifier') {
      // GNU `field: value`
      path += (path ? '.' : '') + textOf(src, d);
    } else if (d.type === 'subscript_designator' || d.type === 'subscript_range_designator') {
      path += normText(src, d);
    } else {
      return null;
    }
  }
  return path || null;
}

/** The children of an initializer list, with ERROR wrappers (preprocessor lines) flattened. */
function listItems(list: Node): Node[] {
  const out: Node[] = [];
  const stack = kids(list).reverse();
  let budget = 100000;
  while (stack.length > 0 && budget-- > 0) {
    const c = stack.pop() as Node;
    if (c.type === 'ERROR' || c.type === 'preproc_if' || c.type === 'preproc_ifdef' || c.type === 'preproc_else' || c.type === 'preproc_elif') {
      const inner = kids(c);
      for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i] as Node);
      continue;
    }
    out.push(c);
  }
  return out;
}

function collectFields(src: Source, list: Node, prefix: string, fields: CInitializerField[], depth: number): void {
  if (depth > 16) return;
  for (const item of listItems(list)) {
    if (item.type === 'initializer_pair') {
      const path = designatorPath(src, item);
      const value = item.childForFieldName('value');
      if (!path || !value) continue;
      const full = prefix ? `${prefix}.${path}` : path;
      if (value.type === 'identifier') {
        fields.push({ field: full, value: textOf(src, value), line: startLine(item) });
      } else if (value.type === 'initializer_list') {
        collectFields(src, value, full, fields, depth + 1);
      }
    } else if (item.type === 'assignment_expression') {
      // `#ifdef X` / `.f = g,` misparsed as `X.f = g`
      const left = item.childForFieldName('left');
      const right = item.childForFieldName('right');
      const f = left?.type === 'field_expression' ? left.childForFieldName('field') : null;
      if (f && right?.type === 'identifier') {
        const name = textOf(src, f);
        fields.push({ field: prefix ? `${prefix}.${name}` : name, value: textOf(src, right), line: startLine(f) });
      }
    }
  }
}

/**
 * The initializers of one initializer list: itself when it has identifier
 * fields, or one per element when it is an array of structs.
 */
export function initializersOfList(
  src: Source,
  list: Node,
  type: string | null,
  variable: string | null,
  functionName: string | null,
): CInitializer[] {
  const fields: CInitializerField[] = [];
  collectFields(src, list, '', fields, 0);
  const out: CInitializer[] = [];
  if (fields.length > 0) out.push({ type, variable, line: startLine(list), fields, functionName });
  let element = 0;
  for (const item of listItems(list)) {
    const t = item.type;
    if (t === '{' || t === '}' || t === ',' || t === 'comment' || item.isMissing) continue;
    if (t.startsWith('preproc') || t === '#ifdef' || t === '#endif') continue;
    if (t === 'initializer_list') {
      const f: CInitializerField[] = [];
      collectFields(src, item, '', f, 1);
      if (f.length > 0) out.push({ type, variable, line: startLine(item), fields: f, element, functionName });
    }
    element++;
  }
  return out;
}

/**
 * The function a choice installs (`k->exit = info->unplug ? fx_exit : NULL`): its one arm that is a plain
 * identifier other than NULL (the other a NULL, or a value read off a table: `info->realize`). A choice between
 * two functions is no one callback: null.
 */
export function soleCallbackArm(src: Source, node: Node): Node | null {
  if (node.type !== 'conditional_expression') return null;
  const arms = [node.childForFieldName('consequence'), node.childForFieldName('alternative')].filter(
    (n): n is Node => n !== null && n.type === 'identifier' && textOf(src, n) !== 'NULL',
  );
  return arms.length === 1 ? (arms[0] as Node) : null;
}

/** `x->listener.region_add = fn` -> an initializer with variable `x->listener`. */
export function fieldAssignment(
  src: Source,
  left: Node,
  right: Node,
  functionName: string | null,
): CInitializer | null {
  if (left.type !== 'field_expression' || right.type !== 'identifier') return null;
  const base = left.childForFieldName('argument');
  const f = left.childForFieldName('field');
  if (!base || !f) return null;
  const line = startLine(left);
  return {
    type: null,
    variable: normText(src, base),
    line,
    fields: [{ field: textOf(src, f), value: textOf(src, right), line: startLine(right) }],
    functionName,
  };
}
