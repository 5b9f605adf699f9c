/**
 * The model service a rule is given as `ctx.model` (as typescript-eslint
 * gives rules `parserServices`): every question the rules ask of the model
 * stage, answered for one commit. Rules call only this and import only types,
 * so what they may ask is written down in one place and the model can change
 * beneath them. The answers are the model functions themselves: the service
 * adds nothing but the commit it was built for (its summary, shared by every
 * rule of the commit and built on first use: commit rules never need it).
 */
import type { PairTable } from '../pairs/table.js';
import { droppedErrors, type DroppedError } from './error-values.js';
import { errorOutParameter, failureTests, goesOnAfterFailure, type FailureTest, type GoesOn } from './failure-tests.js';
import type { CCall, CFunction } from '../cmodel/types.js';
import { acquiredObjectTexts, releasesSameObjectWithin } from '../pairs/learn/evidence.js';
import type { ChangedFile } from './changed-file.js';
import { sideRootsOf, summaryOf, type CommitSummary } from './commit.js';
import { firstCallTo } from './reach.js';
import { matchPrimitive } from './primitives.js';
import { copiesOf, namesVariable, sameObject } from './objects.js';
import { conjuncts, disjuncts } from './top-level.js';
import { withoutCasts } from '../cmodel/casts.js';
import { calleeBase, callSource, toggleOf } from '../cmodel/toggles.js';
import { conditionalExits, describeExit, errorHandledOnWay, exitSkipsCall, gateClears, guardsCover, handlesFailure, inOtherBranch, isClearErrorExit, isDelegatingExit, isErrorExit, isErrorLabel, onErrorBranch, onErrorPath } from './skips.js';
import { newErrorSkips, newSkips, skipsCall } from './new-skips.js';
import { anyTests, COMMON_NAMES, predicateKey } from './predicate.js';
import { fieldsStored, fieldsStoredAfter, intersects, namesTestedOnPath } from './state-guard.js';
import { exitGuards, pathGuards } from './path-guards.js';
import { mirroredOnPath, skipPredicateNames } from './mirror.js';
import { branchTests, sideParameter, twoBranchIfs } from './branches.js';
import { jumpCanLoop } from './goto-chains.js';
import { functionPaths, mayHoldAt } from './paths.js';
import { comparedWithAnotherObject, failsToFillArgs, returnsStatus, testsReturnedMember, testsValueItself } from './value-tests.js';
import { clearlyDifferentObjects, isVfioCode, objectText, releasesOnOtherObjects } from './facts.js';
import { skipsOnlyAbsentObject, skipsOnlyEmptyList } from './null-safe.js';
import { baseless, extractedIntoCallee, removedWhole, withArguments } from './moves.js';
import { addedConditionsWith, addedConjuncts, callsRemade, clearRemade, inlinedCondition, releaseHandedOn, testsOnlyVanished } from './rewrites.js';
import { addedToOwnedContainer, filledHeapVariable, handedOverBefore, type FilledHeap } from './ownership.js';
import { fieldChain, fieldRelease, freedFields, heapFieldStore, releasesField, releasesFieldThroughLocal, storesField, takesField } from './fields.js';
import { indexedArrays, indexLoops, listOp, listOps } from './lists.js';
import { removedFromTable, tableValueRelease } from './tables.js';
import { bodyLines, mentionsName, messageLines, nameText, normalizeSpace, personName, trailerBlockStart, trailersNamed } from './message.js';
import { commitMessagePath, hasCommitMessage } from './commit-message.js';

export interface ModelService {
  // --- pair summaries of the commit (src/model/commit.ts, reach.ts)
  /** the pair summaries of the commit over every touched file, before and after */
  summary(): CommitSummary;
  /** a pair's acquire root and every release root the file pairs with it */
  readonly sideRootsOf: typeof sideRootsOf;
  /** the first call to one of the callees among reached functions (on the same object, when given) */
  readonly firstCallTo: typeof firstCallTo;

  // --- primitives and objects
  /** the primitive a call stands for (built-in, learned, or by name family) */
  readonly matchPrimitive: typeof matchPrimitive;
  /** do two calls work on the same object? */
  readonly sameObject: typeof sameObject;
  /** the function's variables given another's value as it is (`head = iov;`): the same object under another name */
  readonly copiesOf: typeof copiesOf;
  /** the alternatives of a test joined by `||` at its top level (none without one) */
  readonly disjuncts: typeof disjuncts;
  /** the parts of a test joined by `&&` at its top level (none without one) */
  readonly conjuncts: typeof conjuncts;
  /** an argument with the cast macros around it peeled off (`OBJECT(dev)` → `dev`) */
  readonly withoutCasts: typeof withoutCasts;
  /** what a learned pair's acquire produced, and whether a release releases it (src/pairs/learn/evidence.ts) */
  readonly acquiredObjectTexts: typeof acquiredObjectTexts;
  readonly releasesSameObjectWithin: typeof releasesSameObjectWithin;
  /** values found in a hash table and removed from it after (src/model/tables.ts) */
  readonly removedFromTable: typeof removedFromTable;
  /** a hash table's value destroy function and the release its body makes (src/model/tables.ts) */
  readonly tableValueRelease: typeof tableValueRelease;
  /** a switch call's function, its C text, and what its modelled name says (src/cmodel/toggles.ts) */
  readonly calleeBase: typeof calleeBase;
  readonly callSource: typeof callSource;
  readonly toggleOf: typeof toggleOf;

  // --- exits and skips
  readonly conditionalExits: typeof conditionalExits;
  readonly gateClears: typeof gateClears;
  readonly exitSkipsCall: typeof exitSkipsCall;
  readonly isErrorExit: typeof isErrorExit;
  readonly isClearErrorExit: typeof isClearErrorExit;
  /** does a condition test a value itself (`!elem`), not read through it (`elem->n`) or hand it to a call? */
  readonly testsValueItself: typeof testsValueItself;
  readonly testsReturnedMember: typeof testsReturnedMember;
  /** is every test of a value a comparison with another object (`mrs.mr != mr`), not a failure test? */
  readonly comparedWithAnotherObject: typeof comparedWithAnotherObject;
  /** is what a call returns into a variable a status (`ret`, tested `< 0`), not the object it made? */
  readonly returnsStatus: typeof returnsStatus;
  /** does a call's argument name the function's variable, through cast macros (objects.ts)? */
  readonly namesVariable: typeof namesVariable;
  /** is a test the failure of a call that fills the acquire's own arguments through pointers (value-tests.ts)? */
  readonly failsToFillArgs: typeof failsToFillArgs;
  /** an error test that every call setting the error on the way already answered (it serves another path) */
  readonly errorHandledOnWay: typeof errorHandledOnWay;
  readonly isDelegatingExit: typeof isDelegatingExit;
  /** error handling, not a resource: an error report, or a call only a failure runs (`if (ret) report(...)`) */
  readonly handlesFailure: typeof handlesFailure;
  /** a call in another branch of a condition an exit is under: passed by, not skipped */
  readonly inOtherBranch: typeof inOtherBranch;
  readonly onErrorPath: typeof onErrorPath;
  readonly onErrorBranch: typeof onErrorBranch;
  readonly describeExit: typeof describeExit;
  readonly guardsCover: typeof guardsCover;
  /** the skips a commit adds to a function, and which calls each skips */
  readonly newSkips: typeof newSkips;
  readonly newErrorSkips: typeof newErrorSkips;
  readonly skipsCall: typeof skipsCall;

  // --- predicates, state guards, mirrors, branches
  readonly predicateKey: typeof predicateKey;
  /** names too common to identify a predicate (ret, err, ...) */
  readonly commonNames: ReadonlySet<string>;
  readonly anyTests: typeof anyTests;
  readonly pathGuards: typeof pathGuards;
  /** the early exits (`if (cond) return;`) a call runs after, from its side's root */
  readonly exitGuards: typeof exitGuards;
  readonly fieldsStored: typeof fieldsStored;
  readonly fieldsStoredAfter: typeof fieldsStoredAfter;
  readonly namesTestedOnPath: typeof namesTestedOnPath;
  readonly intersects: typeof intersects;
  readonly skipPredicateNames: typeof skipPredicateNames;
  readonly mirroredOnPath: typeof mirroredOnPath;
  readonly twoBranchIfs: typeof twoBranchIfs;
  readonly branchTests: typeof branchTests;
  readonly sideParameter: typeof sideParameter;
  /** goto chains: whether a backward jump can loop (goto-chains.ts; the per-path model follows the chains) */
  readonly jumpCanLoop: typeof jumpCanLoop;

  // --- the balance model: per-path balance of a function, and the facts messages are built from
  /** for each exit of a function, what was acquired on the way and is still held there (paths.ts) */
  readonly functionPaths: typeof functionPaths;
  readonly mayHoldAt: typeof mayHoldAt;
  /** message facts: the release on other objects only, the object named, VFIO code (facts.ts) */
  readonly releasesOnOtherObjects: typeof releasesOnOtherObjects;
  readonly objectText: typeof objectText;
  readonly isVfioCode: typeof isVfioCode;
  readonly clearlyDifferentObjects: typeof clearlyDifferentObjects;
  /** releases that undo nothing when nothing was done: a NULL or empty object, an empty list (null-safe.ts) */
  readonly skipsOnlyAbsentObject: typeof skipsOnlyAbsentObject;
  readonly skipsOnlyEmptyList: typeof skipsOnlyEmptyList;
  /** moved code: a statement deleted whole, or moved into a callee the function newly calls (moves.ts) */
  readonly removedWhole: typeof removedWhole;
  readonly extractedIntoCallee: typeof extractedIntoCallee;
  readonly withArguments: typeof withArguments;
  /** a text with each field chain's base variable made alike (a statement moved into a helper that names its parameter another way) */
  readonly baseless: typeof baseless;
  /** rewrites that keep what a statement does: a call remade for another local, a pointer cleared through a call given its address, a temporary inlined, a test of a vanished variable (rewrites.ts) */
  readonly callsRemade: typeof callsRemade;
  readonly clearRemade: typeof clearRemade;
  /** a release the function still makes through a call handed it as a function (`g_clear_pointer(&s->bh, qemu_bh_delete)`) */
  readonly releaseHandedOn: typeof releaseHandedOn;
  readonly inlinedCondition: typeof inlinedCondition;
  readonly addedConditionsWith: typeof addedConditionsWith;
  readonly testsOnlyVanished: typeof testsOnlyVanished;
  readonly addedConjuncts: typeof addedConjuncts;
  /** ownership: a subregion of a container the side creates with an owner (ownership.ts; the names: the pair table's `ownership`) */
  addedToOwnedContainer(call: CCall, fns: Iterable<CFunction>, program?: Iterable<CFunction>, rootLetGo?: (root: CCall) => boolean): boolean;
  /** has the function handed over what an acquire stored in its own variable before `line` (ownership.ts)? */
  handedOverBefore(fn: CFunction, acquire: CCall, line: number, variable?: string): boolean;
  /** does a call to the name never return (exit(), g_assert_not_reached(), a function the code base declares G_NORETURN)? */
  endsProgram(name: string): boolean;
  /** the function's `Error **` parameter (`errp`), or null (failure-tests.ts) */
  readonly errorOutParameter: typeof errorOutParameter;
  /** the tests of the failures of calls handed the function's `Error **`, and whether each failing branch leaves */
  failureTests(fn: CFunction, variable: string): FailureTest[];
  /** failing branches of calls handed the function's `Error **` after which the function goes on with it set */
  goesOnAfterFailure(fn: CFunction, variable: string): GoesOn[];
  /** does the name release heap allocations (g_free)? */
  isHeapRelease(name: string): boolean;
  /** the function's own variable a call fills in a heap buffer through, and where the function frees it (ownership.ts) */
  filledHeapVariable(fn: CFunction, call: CCall): FilledHeap | null;
  /** paths that leave with a local `Error *` a call set and nothing handed on or freed (error-values.ts; the names: the pair table's `errorValues`) */
  droppedErrors(fn: CFunction): DroppedError[];
  /** fields: heap allocations kept in fields, and where they are freed (fields.ts) */
  readonly fieldChain: typeof fieldChain;
  /** a heap allocation (the pair table's `heapAllocations`, or a learned wrapper of one) stored into a field: its chain */
  heapFieldStore(call: CCall): string[] | null;
  readonly freedFields: typeof freedFields;
  readonly fieldRelease: typeof fieldRelease;
  /** does the call release the field through a local that took it (`vqs = s->dev.vqs; ... g_free(vqs);`)? */
  readonly releasesFieldThroughLocal: typeof releasesFieldThroughLocal;
  readonly releasesField: typeof releasesField;
  /** Does a call take a field (its chain without the base) as an argument? */
  readonly takesField: typeof takesField;
  readonly storesField: typeof storesField;
  isHeapAllocation(name: string): boolean;
  /** lists and index loops (lists.ts) */
  readonly listOp: typeof listOp;
  readonly listOps: typeof listOps;
  readonly indexLoops: typeof indexLoops;
  readonly indexedArrays: typeof indexedArrays;
  /** does a label name an unwind or error exit? */
  readonly isErrorLabel: typeof isErrorLabel;

  // --- the commit message
  /** where a finding in this commit's message points (the --commit-msg file or COMMIT_MSG) */
  readonly commitMessagePath: typeof commitMessagePath;
  readonly hasCommitMessage: typeof hasCommitMessage;
  readonly messageLines: typeof messageLines;
  readonly bodyLines: typeof bodyLines;
  readonly trailersNamed: typeof trailersNamed;
  readonly trailerBlockStart: typeof trailerBlockStart;
  readonly personName: typeof personName;
  readonly normalizeSpace: typeof normalizeSpace;
  readonly nameText: typeof nameText;
  readonly mentionsName: typeof mentionsName;
}

/** The questions that depend on no commit: the same functions for every service. */
const STATELESS = {
  sideRootsOf,
  firstCallTo,
  matchPrimitive,
  sameObject,
  copiesOf,
  disjuncts,
  conjuncts,
  withoutCasts,
  acquiredObjectTexts,
  releasesSameObjectWithin,
  removedFromTable,
  tableValueRelease,
  calleeBase,
  callSource,
  toggleOf,
  conditionalExits,
  gateClears,
  exitSkipsCall,
  isErrorExit,
  isClearErrorExit,
  testsValueItself,
  testsReturnedMember,
  comparedWithAnotherObject,
  returnsStatus,
  namesVariable,
  failsToFillArgs,
  errorHandledOnWay,
  isDelegatingExit,
  handlesFailure,
  inOtherBranch,
  onErrorPath,
  onErrorBranch,
  describeExit,
  guardsCover,
  newSkips,
  newErrorSkips,
  skipsCall,
  predicateKey,
  commonNames: COMMON_NAMES,
  anyTests,
  pathGuards,
  exitGuards,
  fieldsStored,
  fieldsStoredAfter,
  namesTestedOnPath,
  intersects,
  skipPredicateNames,
  mirroredOnPath,
  twoBranchIfs,
  branchTests,
  sideParameter,
  jumpCanLoop,
  functionPaths,
  mayHoldAt,
  releasesOnOtherObjects,
  objectText,
  isVfioCode,
  clearlyDifferentObjects,
  skipsOnlyAbsentObject,
  skipsOnlyEmptyList,
  removedWhole,
  extractedIntoCallee,
  withArguments,
  baseless,
  callsRemade,
  clearRemade,
  releaseHandedOn,
  inlinedCondition,
  addedConditionsWith,
  testsOnlyVanished,
  addedConjuncts,
  fieldChain,
  freedFields,
  fieldRelease,
  releasesFieldThroughLocal,
  releasesField,
  takesField,
  storesField,
  listOp,
  listOps,
  indexLoops,
  indexedArrays,
  isErrorLabel,
  errorOutParameter,
  commitMessagePath,
  hasCommitMessage,
  messageLines,
  bodyLines,
  trailersNamed,
  trailerBlockStart,
  personName,
  normalizeSpace,
  nameText,
  mentionsName,
} as const satisfies Omit<ModelService, 'summary' | 'heapFieldStore' | 'isHeapAllocation' | 'addedToOwnedContainer' | 'handedOverBefore' | 'endsProgram' | 'failureTests' | 'goesOnAfterFailure' | 'isHeapRelease' | 'filledHeapVariable' | 'droppedErrors'>;

/** The model service for one commit's touched files under one pair table. */
export function modelService(files: readonly ChangedFile[], table: PairTable): ModelService {
  return {
    ...STATELESS,
    summary: () => summaryOf(files, table),
    // the questions whose names are data of the pair table
    heapFieldStore: (call) => heapFieldStore(call, (n) => table.allocatesFromHeap(n)),
    isHeapAllocation: (name) => table.isHeapAllocation(name),
    addedToOwnedContainer: (call, fns, program, rootLetGo) => addedToOwnedContainer(table.ownership, call, fns, program, rootLetGo),
    handedOverBefore: (fn, acquire, line, variable) => handedOverBefore((n) => table.isListInsert(n), fn, acquire, line, variable, (n) => table.isHeapRelease(n)),
    endsProgram: (name) => table.endsProgram(name),
    failureTests: (fn, variable) => failureTests(fn, variable, (n) => table.endsProgram(n), (n) => table.reportsStatus(n)),
    goesOnAfterFailure: (fn, variable) => goesOnAfterFailure(fn, variable, (n) => table.endsProgram(n), (n) => table.isNonResource(n), (n) => table.reportsStatus(n)),
    isHeapRelease: (name) => table.isHeapRelease(name),
    filledHeapVariable: (fn, call) => filledHeapVariable((n) => table.freesHeapValue(n), fn, call),
    droppedErrors: (fn) => droppedErrors(fn, { setsAlways: (n) => table.setsErrorAlways(n), readsOnly: (n) => table.readsErrorOnly(n), endsProgram: (n) => table.endsProgram(n), reportsStatus: (n) => table.reportsStatus(n), reportsKnown: (n) => table.reportsKnown(n) }),
  };
}
