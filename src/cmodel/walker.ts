/**
 * The walk over one top-level item of a parse tree (a function definition,
 * a declaration, a preprocessor block) that builds functions (calls, exits,
 * conditions, labels, statements, locals and assignments) and initializers.
 *
 * Statements are walked in JS, carrying guards and loop state down in an
 * immutable context. Expressions are not walked node by node (crossing into
 * wasm per node is what costs time): one descendantsOfType() query for the
 * item returns every call, assignment, ternary, compound literal and block
 * in source order, and each expression takes its share by source range
 * (binary search).
 */
import type { Node } from 'web-tree-sitter';
import type { CAssignment, CCondition, CExit, CFunction, CGuard, CInitializer, ExitKind, ParamAlias } from './types.js';
import { AUTO_CLEANUP, buildCall, splitArgs } from './calls.js';
import { buildCondition, guard } from './conditions.js';
import { errorParamHandedTo } from './error-params.js';
import { functionHeader } from './functions.js';
import { buildGates, type AssignmentRecord, type LocalRecord } from './gates.js';
import { fieldAssignment, initializersOfList, soleCallbackArm } from './initializers.js';
import { isStatement, macroBlockKind, macroName, trailingMacroHeader } from './macros.js';
import { declaredName, endLine, kids, normText, parentOf, startLine, statementStart, textOf, typeName, type Source } from './nodes.js';
import type { BlockMacro } from './prepare.js';
import { looksLikeMacro, normalizeC } from './text.js';
import { lowerBound } from '../sorted.js';

interface SwitchState {
  condition: CCondition;
  base: CGuard[];
  pending: string[];
}

interface Ctx {
  guards: CGuard[];
  /** calls here run repeatedly: loop or FOREACH body */
  inLoop: boolean;
  /** `break` stays in the function: loop, switch, FOREACH/WITH_ body */
  breakable: boolean;
  /** `continue` stays in the function */
  continuable: boolean;
  switchState: SwitchState | null;
  /** the last line of the innermost loop a `break` here leaves; null inside a switch or outside loops */
  loopEnd: number | null;
  /** the last line of the switch a `break` here leaves, when the innermost breakable statement is a switch */
  switchEnd?: number | null;
  /** the first line of the innermost loop a `continue` here goes back to */
  loopStart?: number | null;
}

const TOP: Ctx = { guards: [], inLoop: false, breakable: false, continuable: false, switchState: null, loopEnd: null };

/** Deeper than this the walk stops descending and flags the function. */
const MAX_DEPTH = 800;

/** The parameter an initializer names, directly, through a cast or an upper-case cast macro (`(T *)opaque`, `FX(obj)`), or the object embedding it (`container_of(l, T, f)`). */
function paramNamed(init: string, params: ReadonlySet<string>): string | null {
  // `container_of(listener, FxContainer, listener)`: the object that embeds the parameter is what it stands for
  const embedding = /^container_of\(\s*([A-Za-z_]\w*)\s*,[^()]*\)$/.exec(init.trim());
  if (embedding) return params.has(embedding[1] as string) ? (embedding[1] as string) : null;
  const m = /^(?:\([\w\s]+\**\s*\)\s*|[A-Z_][A-Z0-9_]*\(\s*)?([A-Za-z_]\w*)\s*\)?$/.exec(init.trim());
  const name = m?.[1];
  if (name === undefined || !params.has(name)) return null;
  // a macro call must close its parenthesis, a cast must not
  const macro = /^[A-Z_][A-Z0-9_]*\(/.test(init.trim());
  return macro === init.trim().endsWith(')') ? name : null;
}

/** Ternaries nested deeper than this add no more guards (keeps the walk linear). */
const MAX_TERNARY_NESTING = 32;

/** What an expression query returns. */
const EXPR_TYPES = [
  'call_expression',
  'assignment_expression',
  'conditional_expression',
  'compound_literal_expression',
  'update_expression',
  'compound_statement',
];

/** Nodes with nothing to find in them. */
const SKIP_TYPES = new Set([
  'comment',
  'string_literal',
  'concatenated_string',
  'char_literal',
  'number_literal',
  'identifier',
  'field_identifier',
  'type_identifier',
  'statement_identifier',
  'primitive_type',
  'sized_type_specifier',
  'true',
  'false',
  'null',
  'preproc_include',
  'preproc_def',
  'preproc_function_def',
  'preproc_call',
  'preproc_directive',
  'preproc_arg',
  'type_definition',
  'struct_specifier',
  'union_specifier',
  'enum_specifier',
  'storage_class_specifier',
  'type_qualifier',
  'field_declaration_list',
  'parameter_list',
  'escape_sequence',
  'string_content',
]);

/** Statement types whose last statement may be a block-macro header. */
const HEADER_CANDIDATES = new Set([
  'expression_statement',
  'if_statement',
  'while_statement',
  'for_statement',
  'labeled_statement',
]);

/**
 * Token types never worth a look: punctuation, and keywords (if, else,
 * return, ...). Every node type that can hold an expression is lower case
 * with an underscore (`call_expression`, `init_declarator`), except the ones
 * the dispatch handles before asking (ERROR, declaration).
 */
function isToken(type: string): boolean {
  const c = type.charCodeAt(0);
  return !(c >= 97 && c <= 122) || type.indexOf('_') < 0;
}

/** The index a `for` initializer starts and its first value: `i = dev->vq_index`, `int i = 0`. */
function loopStart(src: Source, init: Node): { index: string; start: string } | null {
  let target: Node | null = null;
  let value: Node | null = null;
  if (init.type === 'assignment_expression') {
    target = init.childForFieldName('left');
    value = init.childForFieldName('right');
  } else if (init.type === 'declaration') {
    const decl = init.namedChildren.find((c) => c?.type === 'init_declarator') ?? null;
    target = decl?.childForFieldName('declarator') ?? null;
    value = decl?.childForFieldName('value') ?? null;
  }
  if (!target || !value || target.type !== 'identifier') return null;
  return { index: textOf(src, target), start: normText(src, value) };
}

class FunctionBuilder {
  readonly locals = new Map<string, LocalRecord>();
  readonly localNames = new Set<string>();
  readonly params: Set<string>;
  readonly assignments: AssignmentRecord[] = [];
  /** locals declared g_autofree/g_autoptr/g_auto (a value stored in one later is released by its scope too), true for
   * `g_autofree` (freed with g_free) */
  readonly autoLocals = new Map<string, boolean>();
  /** locals declared `static`: they keep their value between calls, so a count kept in one outlives the call */
  readonly staticLocals = new Set<string>();
  /** every declaration of a local, with the lines of the block it is visible in and whether its scope releases it
   * (two blocks may each declare their own `s`, one `g_autofree` and the other not) */
  readonly declarations: { name: string; line: number; endLine: number; auto: boolean; free: boolean }[] = [];
  /** locals declared `Error *name` (not g_autoptr(Error)) */
  readonly errorLocals: string[] = [];
  constructor(readonly fn: CFunction) {
    this.params = new Set(fn.params ?? []);
  }
}

export interface WalkResult {
  functions: CFunction[];
  initializers: CInitializer[];
  /** ids of expression_statements whose MISSING `;` is a known macro shape */
  knownHeaders: Set<number>;
  /** function_definition node id -> function */
  functionsByNode: Map<number, CFunction>;
  /** the walk stopped descending somewhere outside any function */
  truncated: boolean;
}

interface Ternary {
  condition: CCondition;
  condEnd: number;
  altStart: number;
  end: number;
}

export class Walker {
  private readonly functions: CFunction[] = [];
  private readonly initializers: CInitializer[] = [];
  private readonly knownHeaders = new Set<number>();
  private readonly functionsByNode = new Map<number, CFunction>();
  /** header statement id -> the block it opens */
  private readonly macroBodies = new Map<number, Node>();
  /** block ids visited through their header */
  private readonly pairedBodies = new Set<number>();
  private fb: FunctionBuilder | null = null;
  private depth = 0;
  private truncated = false;
  /** every expression node of interest in the file, in source order */
  private found: Node[] = [];
  private starts: number[] = [];
  private done: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly src: Source,
    /** block-macro headers the parsed text has as `while`, by offset */
    private readonly blockMacros: ReadonlyMap<number, BlockMacro> = new Map(),
  ) {}

  /**
   * Walk one top-level item of a file (a child of the translation unit, or
   * of preprocessor blocks `nesting` deep in it) as the walk of the whole
   * file would: a file is modelled item by item so the models of items an
   * edit did not touch can be reused. Outside functions a list's items do
   * not depend on their siblings (only statement lists pair block macros
   * with their bodies), so an item walks alone as it would in its block.
   */
  runItem(item: Node, nesting = 0): WalkResult {
    this.query(item);
    // as if under the translation unit and its blocks: the depth limit counts the same
    this.depth = 1 + nesting;
    this.visitList([item], TOP);
    this.depth = 0;
    return this.result();
  }

  private query(node: Node): void {
    this.found = node.descendantsOfType(EXPR_TYPES).filter((n): n is Node => n !== null);
    this.starts = this.found.map((n) => n.startIndex);
    this.done = new Uint8Array(this.found.length);
  }

  private result(): WalkResult {
    return {
      functions: this.functions,
      initializers: this.initializers,
      knownHeaders: this.knownHeaders,
      functionsByNode: this.functionsByNode,
      truncated: this.truncated,
    };
  }

  private flagTruncated(): void {
    if (this.fb) this.fb.fn.hasErrors = true;
    else this.truncated = true;
  }

  private visit(node: Node, type: string, ctx: Ctx): void {
    if (this.depth >= MAX_DEPTH) {
      this.flagTruncated();
      return;
    }
    this.depth++;
    try {
      this.dispatch(node, type, ctx);
    } finally {
      this.depth--;
    }
  }

  private dispatch(node: Node, type: string, ctx: Ctx): void {
    switch (type) {
      case 'function_definition':
        if (this.fb && this.visitMacroDefinition(node, ctx)) return;
        this.visitFunction(node);
        return;
      case 'translation_unit':
      case 'compound_statement':
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef':
      case 'attributed_statement':
      case 'declaration_list':
      case 'linkage_specification':
      case 'ERROR':
        this.visitList(kids(node), ctx);
        return;
      case 'if_statement':
        this.visitIf(node, ctx);
        return;
      case 'while_statement':
        this.visitWhile(node, ctx);
        return;
      case 'do_statement':
        this.visitDo(node, ctx);
        return;
      case 'for_statement':
        this.visitFor(node, ctx);
        return;
      case 'switch_statement':
        this.visitSwitch(node, ctx);
        return;
      case 'case_statement':
        this.visitCase(node, ctx);
        return;
      case 'labeled_statement':
        this.visitLabeled(node, ctx);
        return;
      case 'expression_statement':
        this.visitExpressionStatement(node, ctx);
        return;
      case 'declaration':
        this.visitDeclaration(node, ctx, true);
        return;
      case 'return_statement':
      case 'goto_statement':
      case 'break_statement':
      case 'continue_statement':
        this.visitExit(node, type, ctx);
        return;
      default:
        if (SKIP_TYPES.has(type) || isToken(type)) return;
        if (this.fb || type.endsWith('_expression') || type === 'initializer_list' || type === 'argument_list') {
          this.visitExpr(node, ctx);
        } else {
          this.visitList(kids(node), ctx);
        }
    }
  }

  /** Visit a list of siblings, pairing block macros with their blocks. */
  private visitList(children: Node[], ctx: Ctx): void {
    for (let i = 0; i < children.length; i++) {
      const c = children[i] as Node;
      if (this.pairedBodies.size > 0 && this.pairedBodies.has(c.id)) continue;
      const type = c.type;
      if (HEADER_CANDIDATES.has(type) && c.hasError) {
        if (this.fb) this.pairMacroBlock(children, i);
        else if (type === 'expression_statement' && trailingMacroHeader(c) === c) {
          // file-scope `OBJECT_DECLARE_SIMPLE_TYPE(...)`, `type_init(f)`
          this.knownHeaders.add(c.id);
        }
      }
      this.visit(c, type, ctx);
    }
  }

  private pairMacroBlock(children: Node[], i: number): void {
    const c = children[i] as Node;
    const header = trailingMacroHeader(c);
    if (!header) return;
    let j = i + 1;
    while (j < children.length && (children[j] as Node).type === 'comment') j++;
    const body = children[j];
    if (body && isStatement(body)) {
      this.macroBodies.set(header.id, body);
      this.pairedBodies.add(body.id);
      this.knownHeaders.add(header.id);
    } else if (looksLikeMacro(macroName(header))) {
      // `FOO(x)` used without a semicolon at the end of a block
      this.knownHeaders.add(header.id);
    }
  }

  /**
   * The calls, assignments, ternaries and compound literals of an expression
   * subtree, taken from the file-wide query by source range. Ternary branches
   * add guards by range; statement expressions `({ ... })` are walked as
   * statements.
   */
  private visitExpr(node: Node, ctx: Ctx): void {
    const found = this.found;
    if (found.length === 0) return;
    const start = node.startIndex;
    let i = lowerBound(this.starts, start);
    if (i >= found.length) return;
    const end = node.endIndex;
    const ternaries: Ternary[] = [];
    let skipUntil = -1;
    for (; i < found.length; i++) {
      const s = this.starts[i] as number;
      if (s >= end) break;
      if (s < skipUntil || this.done[i]) continue;
      this.done[i] = 1;
      const n = found[i] as Node;
      while (ternaries.length > 0 && s >= (ternaries[ternaries.length - 1] as Ternary).end) ternaries.pop();
      let c = ctx;
      if (ternaries.length > 0) {
        const guards = [...ctx.guards];
        for (const t of ternaries) {
          if (s >= t.altStart) guards.push(guard(t.condition, true));
          else if (s >= t.condEnd) guards.push(guard(t.condition, false));
        }
        if (guards.length > ctx.guards.length) c = { ...ctx, guards };
      }
      const type = n.type;
      switch (type) {
        case 'call_expression':
          if (this.fb) this.fb.fn.calls.push(buildCall(this.src, n, c.guards, c.inLoop));
          break;
        case 'assignment_expression':
          this.assignment(n, c);
          break;
        case 'conditional_expression': {
          const t = this.ternary(n);
          if (t && ternaries.length < MAX_TERNARY_NESTING) ternaries.push(t);
          break;
        }
        case 'compound_literal_expression':
          this.compoundLiteral(n);
          break;
        case 'update_expression':
          if (this.fb) this.counterUpdate(n, c);
          break;
        case 'compound_statement':
          // GNU statement expression
          skipUntil = n.endIndex;
          this.visit(n, type, c);
          break;
        default:
          break;
      }
    }
  }

  /**
   * `s->inflight++` / `s->inflight--` on a field, a static local or a variable of the file (not a loop's own step
   * in a `for` header): a count the function raises and lowers again, recorded as a call of `++` or `--` on it
   * (CCall.callee).
   */
  private counterUpdate(node: Node, ctx: Ctx): void {
    const arg = node.childForFieldName('argument');
    const op = node.childForFieldName('operator');
    if (!arg || !op) return;
    // a field, or a variable that outlives the call (a static local, or one of the file: `reentrancy++`); not a
    // plain local or a parameter (a loop's or a tally's count)
    const fb = this.fb as FunctionBuilder;
    const name = arg.type === 'identifier' ? textOf(this.src, arg) : null;
    const lasting = name !== null && (fb.staticLocals.has(name) || (!fb.localNames.has(name) && !fb.params.has(name)));
    if (arg.type !== 'field_expression' && !lasting) return;
    const parent = parentOf(node);
    if (parent?.type === 'for_statement') return;
    const callee = textOf(this.src, op);
    if (callee !== '++' && callee !== '--') return;
    (this.fb as FunctionBuilder).fn.calls.push({
      callee,
      args: [normText(this.src, arg)],
      line: startLine(node),
      endLine: endLine(node),
      guards: ctx.guards,
      inLoop: ctx.inLoop,
    });
  }

  /**
   * Inside a function, `TOY_BLOCK(s) { ... }` (a block macro with one plain
   * argument) parses as a nested definition of type `TOY_BLOCK` with
   * declarator `(s)`: report the macro call and walk the block.
   */
  private visitMacroDefinition(node: Node, ctx: Ctx): boolean {
    const type = node.childForFieldName('type');
    const decl = node.childForFieldName('declarator');
    const body = node.childForFieldName('body');
    if (!type || !decl || !body || type.type !== 'type_identifier' || decl.type !== 'parenthesized_declarator') return false;
    if (node.namedChildCount !== 3) return false; // storage class, qualifiers: a real (odd) definition
    const fb = this.fb as FunctionBuilder;
    const name = textOf(this.src, type);
    const line = startLine(node);
    const last = Math.max(line, endLine(decl));
    const kind = macroBlockKind(name);
    fb.fn.calls.push({
      callee: name,
      args: splitArgs(textOf(this.src, decl)),
      line,
      endLine: last,
      guards: ctx.guards,
      inLoop: ctx.inLoop,
      ...(kind === 'loop' ? { loopBodyEnd: endLine(body) } : {}),
    });
    fb.fn.statements.push({ normalized: normalizeC(this.src.text.slice(node.startIndex, decl.endIndex)), line, endLine: last });
    const inner: Ctx =
      kind === 'loop'
        ? { ...ctx, inLoop: true, breakable: true, continuable: true, loopEnd: endLine(body), switchEnd: null, loopStart: startLine(node) }
        : kind === 'scope'
          ? { ...ctx, breakable: true, continuable: true, loopEnd: null, switchEnd: null }
          : ctx;
    this.visitBody(body, inner);
    return true;
  }

  private visitFunction(node: Node): void {
    const h = functionHeader(this.src, node);
    const fn: CFunction = {
      name: h.name,
      startLine: h.startLine,
      endLine: h.endLine,
      bodyStartLine: h.bodyStartLine,
      isStatic: h.isStatic,
      calls: [],
      exits: [],
      conditions: [],
      gates: [],
      labels: [],
      statements: [],
      stores: [],
      assignments: [],
      hasErrors: h.odd,
      params: h.params,
      ...(h.reports !== undefined ? { reports: h.reports } : {}),
    };
    this.functions.push(fn);
    this.functionsByNode.set(node.id, fn);
    const outer = this.fb;
    const fb = new FunctionBuilder(fn);
    this.fb = fb;
    try {
      const body = node.childForFieldName('body');
      if (body) this.visit(body, body.type, TOP);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      fn.hasErrors = true; // stack exhausted: keep what was found
    } finally {
      this.fb = outer;
    }
    const body = node.childForFieldName('body');
    if (body && h.errorParams.length > 0) {
      fn.errorParams = h.errorParams.map((p) => ({ ...p, handedTo: errorParamHandedTo(this.src, body, p.name) }));
    }
    this.finishFunction(fb);
  }

  private finishFunction(fb: FunctionBuilder): void {
    const fn = fb.fn;
    const labels = new Map<string, number>();
    for (const l of fn.labels) if (!labels.has(l.name)) labels.set(l.name, l.line);
    for (const e of fn.exits) {
      if (e.kind === 'goto' && e.label !== undefined) {
        const line = labels.get(e.label);
        if (line !== undefined) e.labelLine = line;
      }
    }
    fn.gates = buildGates(fn.calls, fb.locals, fb.assignments);
    // `FxReq *req = opaque;`, `FxState *s = FX_STATE(obj);`: a local that names what a parameter is
    const aliases: ParamAlias[] = [];
    for (const [name, local] of fb.locals) {
      const param = local.initValue !== null ? paramNamed(local.initValue, fb.params) : null;
      if (param !== null) aliases.push({ name, param, line: local.line });
    }
    if (aliases.length > 0) fn.paramAliases = aliases;
    const errors = fb.errorLocals.filter((name) => !fb.autoLocals.has(name));
    if (errors.length > 0) fn.errorLocals = errors;
    // `g_autoptr(GPtrArray) arr = NULL; ... arr = g_ptr_array_new_full(...)`: the scope releases what is stored later too
    if (fb.autoLocals.size > 0) {
      for (const c of fn.calls) {
        if (c.result === undefined) continue;
        const name = c.result.trim();
        // the declaration the result names: the innermost one of that name visible at the call
        const decl = innermostDeclaration(fb.declarations, name, c.line);
        if (!decl?.auto) continue;
        c.autoReleased = true;
        if (decl.free) c.autoFreed = true;
      }
    }
    for (const c of fn.calls) {
      if (c.result !== undefined && fb.localNames.has(c.result.trim())) {
        c.resultLocal = true;
        const scopeEnd = innermostDeclaration(fb.declarations, c.result.trim(), c.line)?.endLine;
        if (scopeEnd !== undefined && scopeEnd < fn.endLine) c.resultScopeEnd = scopeEnd;
      }
      // `section = fx_region_find(...); mr = section.mr;`: a member copied into a plain variable of the function
      if (c.resultLocal === true && c.result !== undefined && /^\w+$/.test(c.result.trim())) {
        const member = new RegExp(`^${c.result.trim()}\\s*(\\.|->)\\s*\\w+$`);
        const copies = (fn.assignments ?? []).filter((a) => a.line > c.line && /^\w+$/.test(a.target.trim()) && fb.localNames.has(a.target.trim()) && member.test(a.value.trim())).map((a) => a.target.trim());
        if (copies.length > 0) c.memberCopies = [...new Set(copies)];
      }
      // (through a cast too: `g_file_get_contents(name, (gchar **) &buf, ...)`)
      const out = c.args.map((a) => /^&\s*(\w+)$/.exec(a.trim().replace(/^\(\s*(const\s+)?\w+(\s*\*)+\s*\)\s*/, ''))?.[1]).filter((n): n is string => n !== undefined && fb.localNames.has(n));
      if (out.length > 0) c.outLocals = out;
    }
  }

  private addCondition(c: CCondition): void {
    if (this.fb) this.fb.fn.conditions.push(c);
  }

  private addStatement(node: Node): void {
    if (!this.fb) return;
    const start = statementStart(this.src, node);
    this.fb.fn.statements.push({
      normalized: normalizeC(this.src.text.slice(start, node.endIndex)),
      line: startLine(node),
      endLine: endLine(node),
    });
  }

  /** Visit one statement of a body (an if branch, a loop body): no sibling to pair with. */
  private visitBody(node: Node, ctx: Ctx): void {
    this.visit(node, node.type, ctx);
  }

  /** An if and its `else if` chain, iteratively (chains can be long). */
  private visitIf(node: Node, ctx: Ctx): void {
    let cur: Node | null = node;
    let c = ctx;
    for (let guardCount = 0; cur && guardCount < 100000; guardCount++) {
      const condNode = cur.childForFieldName('condition');
      const cons = cur.childForFieldName('consequence');
      const alt: Node | null = cur.childForFieldName('alternative');
      let yes = c;
      let no = c;
      if (condNode) {
        const cond = buildCondition(this.src, 'if', condNode, cur);
        this.addCondition(cond);
        this.visitExpr(condNode, c);
        yes = { ...c, guards: [...c.guards, guard(cond, false)] };
        no = { ...c, guards: [...c.guards, guard(cond, true)] };
      }
      if (cons) this.visitBody(cons, yes);
      cur = null;
      if (!alt) break;
      const rest: Node[] = kids(alt).filter((k) => k.type !== 'else' && k.type !== 'comment');
      const only: Node | null = rest.length === 1 ? (rest[0] as Node) : null;
      if (only && only.type === 'if_statement') {
        cur = only;
        c = no;
      } else {
        this.visitList(rest, no);
      }
    }
  }

  private loopCtx(ctx: Ctx, cond: CCondition | null, loop: Node): Ctx {
    return {
      guards: cond ? [...ctx.guards, guard(cond, false)] : ctx.guards,
      inLoop: true,
      breakable: true,
      continuable: true,
      switchState: ctx.switchState,
      loopEnd: endLine(loop),
      loopStart: startLine(loop),
    };
  }

  private visitWhile(node: Node, ctx: Ctx): void {
    const macro = this.blockMacros.size > 0 ? this.blockMacros.get(node.startIndex) : undefined;
    if (macro) {
      this.visitBlockMacro(node, macro, ctx);
      return;
    }
    const condNode = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    let cond: CCondition | null = null;
    if (condNode) {
      cond = buildCondition(this.src, 'while', condNode, node);
      this.addCondition(cond);
      this.visitExpr(condNode, { ...ctx, inLoop: true });
    }
    if (body) this.visitBody(body, this.loopCtx(ctx, cond, node));
  }

  /** `QLIST_FOREACH(x, &l, next) { ... }`, parsed from its `while` rewrite. */
  private visitBlockMacro(node: Node, macro: BlockMacro, ctx: Ctx): void {
    const condNode = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    const fb = this.fb;
    if (fb) {
      const line = startLine(node);
      const last = Math.max(line, condNode ? endLine(condNode) : line);
      fb.fn.calls.push({
        callee: macro.name,
        args: splitArgs(this.src.text.slice(macro.argsStart, macro.end)),
        line,
        endLine: last,
        guards: ctx.guards,
        inLoop: ctx.inLoop,
        ...(macro.kind === 'loop' && body ? { loopBodyEnd: endLine(body) } : {}),
      });
      fb.fn.statements.push({ normalized: normalizeC(this.src.text.slice(macro.start, macro.end)), line, endLine: last });
    }
    if (condNode) this.visitExpr(condNode, ctx);
    if (!body) return;
    const inner: Ctx =
      macro.kind === 'loop'
        ? { ...ctx, inLoop: true, breakable: true, continuable: true, loopEnd: endLine(body), switchEnd: null, loopStart: startLine(node) }
        : { ...ctx, breakable: true, continuable: true, loopEnd: null, switchEnd: null };
    this.visitBody(body, inner);
  }

  private visitDo(node: Node, ctx: Ctx): void {
    const condNode = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    let cond: CCondition | null = null;
    if (condNode) {
      cond = buildCondition(this.src, 'do', condNode, node);
      this.addCondition(cond);
    }
    if (body) this.visitBody(body, this.loopCtx(ctx, null, node));
    if (condNode) this.visitExpr(condNode, { ...ctx, inLoop: true });
  }

  private visitFor(node: Node, ctx: Ctx): void {
    const init = node.childForFieldName('initializer');
    const condNode = node.childForFieldName('condition');
    const update = node.childForFieldName('update');
    const body = node.childForFieldName('body');
    if (init) {
      if (init.type === 'declaration') this.visitDeclaration(init, ctx, false);
      else this.visitExpr(init, ctx);
    }
    let cond: CCondition | null = null;
    if (condNode) {
      cond = buildCondition(this.src, 'for', condNode, node);
      const loop = init ? loopStart(this.src, init) : null;
      if (loop) cond.loop = loop;
      if (update) cond.step = normText(this.src, update);
      this.addCondition(cond);
      this.visitExpr(condNode, { ...ctx, inLoop: true });
    }
    const inner = this.loopCtx(ctx, cond, node);
    if (body) this.visitBody(body, inner);
    if (update) this.visitExpr(update, inner);
  }

  private visitSwitch(node: Node, ctx: Ctx): void {
    const condNode = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    if (!condNode) {
      if (body) this.visitBody(body, { ...ctx, breakable: true, switchState: null, loopEnd: null });
      return;
    }
    const cond = buildCondition(this.src, 'switch', condNode, node);
    this.addCondition(cond);
    this.visitExpr(condNode, ctx);
    if (!body) return;
    const state: SwitchState = { condition: cond, base: ctx.guards, pending: [] };
    this.visitBody(body, {
      ...ctx,
      guards: [...ctx.guards, guard(cond, false, [])],
      breakable: true,
      switchState: state,
      loopEnd: null,
      switchEnd: endLine(node),
    });
  }

  private visitCase(node: Node, ctx: Ctx): void {
    const value = node.childForFieldName('value');
    const label = value ? normText(this.src, value) : 'default';
    const stmts: Node[] = [];
    for (const c of kids(node)) {
      if (value && c.id === value.id) continue;
      const t = c.type;
      if (t === 'case' || t === 'default' || t === ':' || t === 'comment') continue;
      stmts.push(c);
    }
    const state = ctx.switchState;
    if (!state) {
      this.visitList(stmts, ctx);
      return;
    }
    if (stmts.length === 0) {
      state.pending.push(label);
      return;
    }
    const caseValues = [...state.pending, label];
    state.pending = [];
    this.visitList(stmts, { ...ctx, guards: [...state.base, guard(state.condition, false, caseValues)] });
  }

  private visitLabeled(node: Node, ctx: Ctx): void {
    const label = node.childForFieldName('label');
    if (label && this.fb) this.fb.fn.labels.push({ name: textOf(this.src, label), line: startLine(label) });
    this.visitList(
      kids(node).filter((c) => !label || c.id !== label.id),
      ctx,
    );
  }

  private visitExpressionStatement(node: Node, ctx: Ctx): void {
    this.addStatement(node);
    this.visitExpr(node, ctx);
    const body = this.macroBodies.get(node.id);
    if (!body) return;
    const kind = macroBlockKind(macroName(node));
    if (kind === 'loop' && this.fb) {
      const macro = this.fb.fn.calls.find((c) => c.line === startLine(node) && c.callee === macroName(node));
      if (macro) macro.loopBodyEnd = endLine(body);
    }
    const inner: Ctx =
      kind === 'loop'
        ? { ...ctx, inLoop: true, breakable: true, continuable: true, loopEnd: endLine(body), switchEnd: null, loopStart: startLine(node) }
        : kind === 'scope'
          ? { ...ctx, breakable: true, continuable: true, loopEnd: null, switchEnd: null }
          : ctx;
    this.visit(body, body.type, inner);
  }

  private visitDeclaration(node: Node, ctx: Ctx, asStatement: boolean): void {
    if (asStatement) this.addStatement(node);
    const statement = asStatement ? this.fb?.fn.statements[this.fb.fn.statements.length - 1] : undefined;
    const declarators = node.childrenForFieldName('declarator');
    let type: string | null | undefined;
    let auto: boolean | undefined;
    let autoFree: boolean | undefined;
    for (const d of declarators) {
      if (!d) continue;
      const isInit = d.type === 'init_declarator';
      const nameNode = declaredName(isInit ? d.childForFieldName('declarator') : d);
      const value = isInit ? d.childForFieldName('value') : null;
      const name = nameNode && nameNode.type === 'identifier' ? textOf(this.src, nameNode) : null;
      if (this.fb && name) {
        this.fb.localNames.add(name);
        // `Error *err = NULL;`: an error value the function must hand on or free once a call sets it
        const inner = isInit ? d.childForFieldName('declarator') : d;
        if (inner?.type === 'pointer_declarator' && inner.childForFieldName('declarator')?.type === 'identifier') {
          type ??= typeName(this.src, node.childForFieldName('type'));
          if (type === 'Error') this.fb.errorLocals.push(name);
        }
        // g_autofree is blanked before parsing (text.ts): read the declaration from where it starts in the image
        const declText = auto === undefined ? this.src.text.slice(statementStart(this.src, node), node.endIndex) : '';
        auto ??= AUTO_CLEANUP.test(declText);
        autoFree ??= /^\s*g_autofree\b/.test(declText);
        if (auto) this.fb.autoLocals.set(name, autoFree);
        if (node.namedChildren.some((c) => c?.type === 'storage_class_specifier' && textOf(this.src, c) === 'static')) this.fb.staticLocals.add(name);
        const block = node.parent;
        this.fb.declarations.push({ name, line: startLine(d), endLine: block ? endLine(block) : Number.MAX_SAFE_INTEGER, auto, free: autoFree });
        if (!this.fb.locals.has(name)) {
          this.fb.locals.set(name, {
            line: startLine(nameNode as Node),
            initValue: value ? normText(this.src, value) : null,
            end: d.endIndex,
          });
        }
      }
      if (!value) continue;
      if (this.fb && name && value.type !== 'initializer_list') {
        this.fb.fn.assignments?.push({
          target: name,
          value: normText(this.src, value),
          line: startLine(d),
          guards: ctx.guards,
          declaration: true,
          ...(ctx.inLoop ? { inLoop: true } : {}),
        });
      }
      // one variable set where it is declared: the same statement as `x = value;` (code moved between a
      // declaration and an assignment is the same code)
      if (statement && name && declarators.length === 1 && value.type !== 'initializer_list') statement.assignment = `${name} = ${normText(this.src, value)};`;
      if (value.type === 'initializer_list') {
        if (type === undefined) type = typeName(this.src, node.childForFieldName('type'));
        for (const init of initializersOfList(this.src, value, type, name, this.fb?.fn.name ?? null)) {
          this.initializers.push(init);
        }
      }
      this.visitExpr(value, ctx);
    }
  }

  private visitExit(node: Node, type: string, ctx: Ctx): void {
    this.addStatement(node);
    const fb = this.fb;
    if (!fb) return;
    const kind = type.slice(0, type.indexOf('_')) as ExitKind;
    const exit: CExit = { kind, line: startLine(node), guards: ctx.guards, inLoop: false };
    if (kind === 'return') {
      const value = node.namedChildren.find((c) => c && c.type !== 'comment');
      if (value) {
        exit.value = normText(this.src, value);
        fb.fn.exits.push(exit);
        this.visitExpr(value, ctx);
        return;
      }
    } else if (kind === 'goto') {
      const label = node.childForFieldName('label');
      if (label) exit.label = textOf(this.src, label);
    } else if (kind === 'break') {
      exit.inLoop = ctx.breakable;
      if (ctx.loopEnd !== null) exit.loopEnd = ctx.loopEnd;
      else if (ctx.switchEnd != null) exit.switchEnd = ctx.switchEnd;
    } else {
      exit.inLoop = ctx.continuable;
      // a continue ends this pass of the loop: what the pass took and releases later in its body is held
      if (ctx.loopEnd !== null) exit.loopEnd = ctx.loopEnd;
      if (ctx.loopEnd !== null && ctx.loopStart != null) exit.loopStart = ctx.loopStart;
    }
    fb.fn.exits.push(exit);
  }

  private ternary(node: Node): Ternary | null {
    const condNode = node.childForFieldName('condition');
    const alt = node.childForFieldName('alternative');
    if (!condNode) return null;
    const cond = buildCondition(this.src, 'ternary', condNode, node);
    this.addCondition(cond);
    const end = node.endIndex;
    return { condition: cond, condEnd: condNode.endIndex, altStart: alt ? alt.startIndex : end, end };
  }

  private assignment(node: Node, ctx: Ctx): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const fb = this.fb;
    if (!left || !right) return;
    const lt = left.type;
    if (fb && lt === 'identifier') {
      const op = node.childForFieldName('operator');
      const opText = op ? textOf(this.src, op) : '=';
      const assignment: CAssignment = {
        target: textOf(this.src, left),
        value: normText(this.src, right),
        line: startLine(node),
        guards: ctx.guards,
        ...(opText !== '=' ? { operator: opText } : {}),
        ...(ctx.inLoop ? { inLoop: true } : {}),
      };
      fb.assignments.push({ index: node.startIndex, assignment });
      fb.fn.assignments?.push(assignment);
    }
    if (fb && lt === 'field_expression') {
      const field = left.childForFieldName('field');
      if (field) {
        fb.fn.stores.push({ target: normText(this.src, left), field: textOf(this.src, field), value: normText(this.src, right), line: startLine(node), guards: ctx.guards });
      }
    }
    const callback = right.type === 'identifier' ? right : soleCallbackArm(this.src, right);
    if (lt === 'field_expression' && callback) {
      const value = textOf(this.src, callback);
      // locals, parameters and macro constants are not callbacks
      if (fb && (fb.localNames.has(value) || fb.params.has(value))) return;
      if (looksLikeMacro(value)) return;
      // `#ifdef X` + `.f = g,` in an initializer list misparses as `X.f = g`
      const parent = parentOf(node);
      if (parent && (parent.type === 'initializer_list' || parent.type === 'ERROR')) return;
      const init = fieldAssignment(this.src, left, callback, fb?.fn.name ?? null);
      if (init) this.initializers.push(init);
    }
  }

  private compoundLiteral(node: Node): void {
    const value = node.childForFieldName('value');
    if (!value || value.type !== 'initializer_list') return;
    const type = typeName(this.src, node.childForFieldName('type'));
    let variable: string | null = null;
    const parent = parentOf(node);
    if (parent?.type === 'init_declarator') {
      const n = declaredName(parent.childForFieldName('declarator'));
      variable = n ? textOf(this.src, n) : null;
    } else if (parent?.type === 'assignment_expression') {
      const l = parent.childForFieldName('left');
      variable = l && l.id !== node.id ? normText(this.src, l) : null;
    }
    for (const init of initializersOfList(this.src, value, type, variable, this.fb?.fn.name ?? null)) {
      this.initializers.push(init);
    }
  }
}

/** The declaration of `name` visible at `line`: the innermost block's, where blocks declare the same name twice. */
function innermostDeclaration<D extends { name: string; line: number; endLine: number }>(declarations: readonly D[], name: string, line: number): D | undefined {
  let decl: D | undefined;
  for (const d of declarations) if (d.name === name && d.line <= line && line <= d.endLine && (!decl || d.line > decl.line)) decl = d;
  return decl;
}
