/** The reporter registry: one entry per `--format`. */
import type { Reporter } from './types.js';
import { textReporter } from './text.js';
import { jsonReporter } from './json.js';

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: textReporter,
  json: jsonReporter,
};

export type { Reporter, ReportOptions } from './types.js';
