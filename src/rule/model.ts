/**
 * The model types a rule may name: the model service (`ctx.model`) and what
 * its answers are made of. Rules import these types from here and nothing
 * from src/model itself (test/layout checks it), so the model stage can
 * change beneath the rules while this list stays what they rely on.
 */
export type { ModelService } from '../model/service.js';
export type { ChangedFile, FunctionChange } from '../model/changed-file.js';
export type { CommitSummary, SideRoots, Balance, Image } from '../model/commit.js';
export type { CallSite, ReachedFunction } from '../model/reach.js';
export type { Program, ProgramFunction } from '../model/program.js';
export type { NewSkip } from '../model/new-skips.js';
export type { PredicateKey } from '../model/predicate.js';
export type { Branches } from '../model/branches.js';
export type { DroppedError } from '../model/error-values.js';
export type { FailureTest, GoesOn } from '../model/failure-tests.js';
