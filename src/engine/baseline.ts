/**
 * Baselines: `--write-baseline FILE` records the fingerprints of the current
 * findings; `--baseline FILE` then reports only findings whose fingerprint is
 * not in it. Fingerprints never contain line numbers, so a finding stays
 * known when unrelated edits move it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Finding, Severity } from '../rule/finding.js';
import type { LintResult } from './lint.js';

export const BASELINE_VERSION = 1;

/** One known finding; everything but `fingerprint` is for the humans who read the file. */
export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file: string;
  function: string | null;
  message: string;
}

export interface BaselineFile {
  version: number;
  fingerprints: BaselineEntry[];
}

/** The baseline JSON for `findings`: one entry per fingerprint, sorted so that diffs stay small. */
export function baselineText(findings: readonly Finding[]): string {
  const byPrint = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (byPrint.has(f.fingerprint)) continue;
    byPrint.set(f.fingerprint, { fingerprint: f.fingerprint, rule: f.ruleId, file: f.file, function: f.function, message: f.message });
  }
  const fingerprints = [...byPrint.values()].sort((a, b) =>
    a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0,
  );
  const file: BaselineFile = { version: BASELINE_VERSION, fingerprints };
  return JSON.stringify(file, null, 2) + '\n';
}

export function writeBaseline(path: string, findings: readonly Finding[]): void {
  try {
    writeFileSync(path, baselineText(findings));
  } catch (err) {
    throw new InputError(`--write-baseline ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Read a baseline file; any problem is an InputError naming the file (exit 2). */
export function readBaseline(path: string): ReadonlySet<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`--baseline ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`--baseline ${path}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const bad = (what: string): never => {
    throw new InputError(`--baseline ${path}: not a pairlint baseline (${what}); write one with --write-baseline`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('expected a JSON object');
  const obj = raw as Record<string, unknown>;
  if (obj.version !== BASELINE_VERSION) return bad(`"version" must be ${BASELINE_VERSION}, got ${JSON.stringify(obj.version)}`);
  if (!Array.isArray(obj.fingerprints)) return bad('"fingerprints" must be an array');
  const out = new Set<string>();
  obj.fingerprints.forEach((e: unknown, i: number) => {
    const print = typeof e === 'string' ? e : typeof e === 'object' && e !== null ? (e as Record<string, unknown>).fingerprint : undefined;
    if (typeof print !== 'string' || !/^[0-9a-f]{8,64}$/.test(print)) bad(`"fingerprints[${i}].fingerprint" must be a hex string`);
    out.add(print as string);
  });
  return out;
}

/** The result without the findings `known` lists, with the summary counted again and a note. */
export function applyBaseline(result: LintResult, known: ReadonlySet<string>): LintResult {
  const findings = result.findings.filter((f) => !known.has(f.fingerprint));
  const hidden = result.findings.length - findings.length;
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const notes = hidden > 0 ? [...result.notes, `${hidden} finding${hidden === 1 ? '' : 's'} already in the baseline not shown`] : result.notes;
  return {
    ...result,
    findings,
    summary: { ...result.summary, errors: count('error'), warnings: count('warning'), infos: count('info') },
    notes,
  };
}
