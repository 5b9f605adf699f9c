/** The reporter registry: one entry per `--format`. */
import type { Reporter } from './types.js';
import { textReporter } from './text.js';
import { jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { rdjsonReporter } from './rdjson.js';
import { githubReporter } from './github.js';
import { markdownReporter } from './markdown.js';
import { checkpatchReporter } from './checkpatch.js';

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  rdjson: rdjsonReporter,
  github: githubReporter,
  markdown: markdownReporter,
  checkpatch: checkpatchReporter,
};

export type { Reporter, ReportOptions } from './types.js';
