import type { LintResult } from '../engine/lint.js';
import type { Rule } from '../rule/rule.js';

export interface ReportOptions {
  color: boolean;
  rules: readonly Rule[];
  /** working directory, for tools that want paths relative to it */
  cwd: string;
}

/** A reporter turns a lint result into text. It never decides what is a finding. */
export interface Reporter {
  name: string;
  description: string;
  format(result: LintResult, options: ReportOptions): string;
}
