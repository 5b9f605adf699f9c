/**
 * The C model: what rules know about a C file. Built from a tree-sitter parse
 * of one file image. Line numbers are 1-based and inclusive.
 */

export type ConditionKind = 'if' | 'while' | 'for' | 'do' | 'switch' | 'ternary';

export interface CCondition {
  kind: ConditionKind;
  /** source text of the condition expression, without the outer parentheses */
  text: string;
  /** `text` with whitespace runs collapsed to one space (comments removed) */
  normalized: string;
  /** identifiers in the condition: variables, struct fields, called functions */
  names: string[];
  /** names of the functions called in the condition (innermost and outer) */
  callees: string[];
  /** plain identifiers only (no struct field names), deduplicated, in order; gates match flags against these */
  identifiers?: string[];
  /** for a `for` loop that starts an index (`i = dev->vq_index`, `int i = 0`): the index and its first value */
  loop?: { index: string; start: string };
  /** for a `for` loop with an update expression: that expression, normalized (`i--`, `j += 2`): which way its index counts */
  step?: string;
  /** lines of the condition expression */
  line: number;
  endLine: number;
  /** lines of the whole statement (`if (...) {...} else {...}`) */
  stmtLine: number;
  stmtEndLine: number;
}

/**
 * One enclosing condition of a statement; `negated` is true in an else branch
 * (and in the `:` branch of a ternary). Guards come from if/else, ternaries,
 * while and for loops (the body is guarded by the loop condition) and switch
 * (with `caseValues`); do-while and FOREACH/WITH_ macro bodies add none.
 * The same CCondition object appears in `CFunction.conditions`.
 */
export interface CGuard {
  condition: CCondition;
  negated: boolean;
  /**
   * for a `switch` guard: the case labels of the statement (`IOMMU_NOTIFIER_MAP`,
   * `default`), with the labels falling through to it; [] before any label
   */
  caseValues?: string[];
}

export interface CCall {
  /**
   * function name; for calls through a pointer, the callee expression text (`ops->dma_map`); `++` or `--`
   * for a field's count raised or lowered (`s->inflight++`, its one argument the field); for a switch turned on
   * or off by one boolean literal, the function with that literal (`fx_change__true_1_2`, toggles.ts)
   */
  callee: string;
  /** argument texts, whitespace-collapsed (a toggle's literal left out: its name holds it) */
  args: string[];
  line: number;
  endLine: number;
  /** enclosing conditions inside the function, outermost first */
  guards: CGuard[];
  /** inside a for/while/do loop or a QEMU FOREACH macro body */
  inLoop: boolean;
  /** for a block macro that loops (`QLIST_FOREACH(x, &l, next) { ... }`): the last line of its body */
  loopBodyEnd?: number;
  /** the variable or field its value is stored in (`addr = mmap(...)`, `n->addr = mmap(...)`), when there is one */
  result?: string;
  /** stored in a variable its scope releases (`g_autofree`, `g_autoptr(T)`, `g_auto(T)`): no path leaks it */
  autoReleased?: boolean;
  /** stored in a `g_autofree` variable: its scope frees it with g_free() */
  autoFreed?: boolean;
  /** `result` is a variable the function declares (not a parameter, a field or a global): the function owns what it holds */
  resultLocal?: boolean;
  /**
   * for a `resultLocal` declared in a block inside the body (a case's `{ ... }`, a loop's body): that block's last
   * line. A `break` or `continue` that leaves the block leaves the variable, and with it what it alone holds.
   */
  resultScopeEnd?: number;
  /** the function's own variables whose address it passes (`g_file_get_contents(path, &contents, ...)`): what the call may fill in */
  outLocals?: string[];
  /**
   * for a `resultLocal` the call returns a structure into (`section = fx_region_find(...)`): the function's plain
   * variables given one of its members after the call (`mr = section.mr;`), which name what the call took
   */
  memberCopies?: string[];
}

export type ExitKind = 'return' | 'goto' | 'break' | 'continue';

export interface CExit {
  kind: ExitKind;
  line: number;
  /** enclosing conditions inside the function, outermost first (empty: unconditional) */
  guards: CGuard[];
  /** return expression text, whitespace-collapsed */
  value?: string;
  /** goto target */
  label?: string;
  /** line of that label in the same function, when found */
  labelLine?: number;
  /** for break/continue: inside a loop or switch, so the exit does not leave the function */
  inLoop: boolean;
  /** for a `break` out of a loop (not a switch): the loop's last line, where its path goes on; for a
   * `continue` in a loop (not in a switch inside it): the last line of the body whose pass it ends */
  loopEnd?: number;
  /** for a `break` out of a switch (its innermost breakable statement): the switch's last line, where its path goes on */
  switchEnd?: number;
  /** for a `continue` in a loop: the loop's first line (a loop with no condition, `for (;;)` or a FOREACH, adds no guard to tell its pass by) */
  loopStart?: number;
}

export interface CAssignment {
  target: string;
  value: string;
  line: number;
  guards: CGuard[];
  /** the assignment operator when not `=` (`|=`, `&=`, ...) */
  operator?: string;
  /** inside a loop or a FOREACH macro body */
  inLoop?: boolean;
  /** the value a declaration gives its variable (`char *name = s->name;`) */
  declaration?: boolean;
}

/**
 * A local variable that later decides whether calls run: `bool try_unmap =
 * true; ... try_unmap = false; ... if (try_unmap) { vfio_container_dma_unmap(...) }`.
 */
export interface CGate {
  flag: string;
  declLine: number;
  initValue: string | null;
  /** assignments to the flag after its declaration */
  assignments: CAssignment[];
  /** calls guarded by a condition that tests the flag */
  gatedCalls: CCall[];
}

/** A simple statement (expression, declaration, return, ...), for one-side-edit checks. */
export interface CStatement {
  normalized: string;
  line: number;
  endLine: number;
  /** a declaration of one variable with its value, as an assignment (`SerialState *s = p->state;` → `s = p->state;`) */
  assignment?: string;
}

export interface CLabel {
  name: string;
  line: number;
}

/**
 * An assignment to a struct field (`vdev->intx.kvm_accel = true;`): state a
 * side records, which the other side may test before it undoes anything.
 */
export interface CStore {
  /** the assigned lvalue, whitespace-collapsed (`vdev->intx.kvm_accel`) */
  target: string;
  /** its last field name (`kvm_accel`) */
  field: string;
  value: string;
  line: number;
  /** enclosing conditions inside the function, outermost first */
  guards: CGuard[];
}

export interface CFunction {
  name: string;
  /** first line of the definition (return type / storage class) */
  startLine: number;
  endLine: number;
  /** line of the opening brace of the body */
  bodyStartLine: number;
  isStatic: boolean;
  calls: CCall[];
  exits: CExit[];
  conditions: CCondition[];
  gates: CGate[];
  labels: CLabel[];
  statements: CStatement[];
  /** assignments to struct fields, in source order */
  stores: CStore[];
  /**
   * values given to the function's plain variables, by assignment or in a declaration (`name = s->name;`,
   * `char *name = g_strdup(...);`), in source order, with the conditions they are under: which value a
   * variable holds on which path
   */
  assignments?: CAssignment[];
  /** tree-sitter reported errors inside this function: rules treat it as diff-only */
  hasErrors: boolean;
  /** parameter names, in order */
  params?: string[];
  /** locals declared `Error *err` (not g_autoptr(Error)): a call handed `&err` may set it, and then the function owns it */
  errorLocals?: string[];
  /** parameters declared `Error *` (one pointer, not `Error **`): what the body does with the Error it is handed */
  errorParams?: ErrorParam[];
  /** locals initialised to what a parameter is (`FxReq *req = opaque;`, `FxState *s = FX_STATE(obj);`) */
  paramAliases?: ParamAlias[];
  /** handed `Error **`: answers with a bool (true: done) or a status (0: done, negative errno: failed) */
  reports?: 'bool' | 'status';
}

export interface ErrorParam {
  name: string;
  /** declared `const Error *`: the function promises to keep nothing of it */
  isConst: boolean;
  /**
   * the calls the body hands it to when it does nothing else with it than test it (`if (err)`, `err != NULL`);
   * null when it also frees, stores, returns or otherwise keeps it
   */
  handedTo: string[] | null;
}

export interface ParamAlias {
  /** the local */
  name: string;
  /** the parameter it names */
  param: string;
  /** line of its declaration */
  line: number;
}

export interface CInitializerField {
  field: string;
  /** the assigned identifier (a function name for callback slots) */
  value: string;
  line: number;
}

/**
 * Designated initializers and field assignments that install callbacks:
 * `static const MemoryListener l = { .region_add = fn, ... };` and
 * `listener->region_add = fn;`.
 */
export interface CInitializer {
  /** struct type name when declared (`MemoryListener`), else null */
  type: string | null;
  /** variable or lvalue base the fields belong to, when known */
  variable: string | null;
  line: number;
  fields: CInitializerField[];
  /** for an element of an array initializer (`TypeInfo types[] = { {...}, {...} }`): its index */
  element?: number;
  /** the function the initializer or assignment is in, null at file scope */
  functionName?: string | null;
}

export interface CFileModel {
  path: string;
  functions: CFunction[];
  initializers: CInitializer[];
  /** the parse had errors somewhere (including known QEMU macro shapes) */
  hasErrors: boolean;
  /** lines of parse errors not explained by a known macro shape (at most 100) */
  errorLines?: number[];
  /** innermost function whose range contains the line */
  functionAt(line: number): CFunction | null;
  /** first function definition with that name */
  functionByName(name: string): CFunction | null;
}
