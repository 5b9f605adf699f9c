/**
 * The real-patches part of `npm run eval`: pairlint on the unlabelled list
 * series (../shared/corpus/series) and on the hw/vfio history bundle, counted
 * as a maintainer would feel it (share of series with a pair finding,
 * findings per 100 patches, commits of the history with one), and judged by
 * the triage ledger (eval/ledger.json): every distinct pair finding needs a
 * verdict there, read from the code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RealFinding {
  ruleId: string;
  category: string;
  severity: string;
  file: string;
  line: number;
  function: string | null;
  message: string;
  commit: { sha?: string | null; subject: string; index?: number | null } | null;
  related: { file: string; function: string | null; line: number }[];
}

export type RunCli = (args: string[]) => Promise<{ code: number; findings: RealFinding[]; stderr: string }>;

export interface LedgerEntry {
  case: string;
  subject: string;
  rule: string;
  function: string | null;
  verdict: 'real' | 'false-alarm';
  /** for false alarms: the class of cause (rename, wrapper, trace-or-log, moved-code, ...) */
  cause?: string;
  /** one line naming the code that makes it so */
  reason: string;
}

export const isPairFinding = (f: RealFinding): boolean =>
  (f.category === 'pair' || f.category === 'domain') && f.severity !== 'info';

/** A finding's identity in the ledger: where (case, commit), which rule, which function. */
export function ledgerKey(caseId: string, f: { subject: string; rule: string; function: string | null }): string {
  return [caseId, f.subject, f.rule, f.function ?? ''].join('\u0000');
}

export function loadLedger(path: string): Map<string, LedgerEntry> {
  const entries = JSON.parse(readFileSync(path, 'utf8')) as LedgerEntry[];
  const map = new Map<string, LedgerEntry>();
  for (const e of entries) map.set(ledgerKey(e.case, e), e);
  return map;
}

export interface CaseFindings {
  caseId: string;
  patches: number;
  findings: RealFinding[];
  error: string | null;
  /** the series group (all versions and re-posts of one series), when the case says */
  group?: string;
}

export async function runSeries(corpus: string, runCli: RunCli): Promise<CaseFindings[]> {
  const dir = join(corpus, 'series');
  if (!existsSync(dir)) return [];
  const out: CaseFindings[] = [];
  for (const id of readdirSync(dir).filter((d) => existsSync(join(dir, d, 'meta.json'))).sort()) {
    const meta = JSON.parse(readFileSync(join(dir, id, 'meta.json'), 'utf8')) as { patches?: number; group?: string };
    const res = await runCli(['--tree', join(dir, id, 'base'), join(dir, id, 'patch.mbox')]);
    out.push({
      caseId: id,
      patches: meta.patches ?? 1,
      findings: res.findings.filter(isPairFinding),
      error: res.code === 2 ? res.stderr : null,
      group: meta.group ?? id,
    });
  }
  return out;
}

/** The history bundle as one range, ROOT..master, in a temporary clone. */
export async function runHistory(corpus: string, runCli: RunCli): Promise<{ commits: number; result: CaseFindings } | null> {
  const bundle = join(corpus, 'history', 'hw-vfio.bundle');
  if (!existsSync(bundle)) return null;
  const tmp = mkdtempSync(join(tmpdir(), 'pairlint-eval-'));
  try {
    const repo = join(tmp, 'repo');
    execFileSync('git', ['clone', '-q', bundle, repo], { stdio: 'ignore' });
    const root = execFileSync('git', ['-C', repo, 'rev-list', '--max-parents=0', 'master'], { encoding: 'utf8' }).trim().split('\n')[0] as string;
    const commits = Number(execFileSync('git', ['-C', repo, 'rev-list', '--count', '--no-merges', `${root}..master`], { encoding: 'utf8' }).trim());
    const res = await runCli(['-C', repo, `${root}..master`]);
    return {
      commits,
      result: { caseId: 'history', patches: commits, findings: res.findings.filter(isPairFinding), error: res.code === 2 ? res.stderr : null },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function byRule(findings: readonly RealFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts].sort().map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
}

export interface LedgerVerdicts {
  real: number;
  falseAlarms: number;
  untriaged: { caseId: string; finding: RealFinding }[];
  /** the false alarms reported now, with their ledger entries */
  falseAlarmEntries: LedgerEntry[];
}

/** Distinct findings of the run, judged by the ledger. */
export function judge(results: readonly CaseFindings[], ledger: ReadonlyMap<string, LedgerEntry>): LedgerVerdicts {
  const seen = new Set<string>();
  const verdicts: LedgerVerdicts = { real: 0, falseAlarms: 0, untriaged: [], falseAlarmEntries: [] };
  for (const r of results) {
    for (const f of r.findings) {
      const key = ledgerKey(r.caseId, { subject: f.commit?.subject ?? '', rule: f.ruleId, function: f.function });
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = ledger.get(key);
      if (!entry) verdicts.untriaged.push({ caseId: r.caseId, finding: f });
      else if (entry.verdict === 'real') verdicts.real++;
      else {
        verdicts.falseAlarms++;
        verdicts.falseAlarmEntries.push(entry);
      }
    }
  }
  return verdicts;
}

export function realPatchesReport(
  series: readonly CaseFindings[],
  histories: readonly ({ commits: number; result: CaseFindings } | null)[],
  ledger: ReadonlyMap<string, LedgerEntry> | null,
): string {
  const history = histories[0] ?? null;
  const more = histories.slice(1).filter((h): h is { commits: number; result: CaseFindings } => h !== null);
  const lines: string[] = ['', 'real patches'];
  if (series.length > 0) {
    const flagged = series.filter((s) => s.findings.length > 0);
    const patches = series.reduce((n, s) => n + s.patches, 0);
    const findings = series.flatMap((s) => s.findings);
    const errors = series.filter((s) => s.error !== null);
    // Ten versions of one series would otherwise count ten times: the target is per group.
    const groups = new Set(series.map((s) => s.group ?? s.caseId));
    const flaggedGroups = new Set(flagged.map((s) => s.group ?? s.caseId));
    lines.push(
      `  series: ${flagged.length}/${series.length} with a pair finding (${((100 * flagged.length) / series.length).toFixed(1)}%), ` +
        `${findings.length} findings in ${patches} patches (${((100 * findings.length) / patches).toFixed(2)} per 100 patches); by rule: ${byRule(findings)}`,
      `  series groups: ${flaggedGroups.size}/${groups.size} with a pair finding (${((100 * flaggedGroups.size) / groups.size).toFixed(1)}%)`,
    );
    for (const s of flagged) lines.push(`    ${s.caseId}: ${s.findings.map((f) => `${f.ruleId}@${f.function ?? '?'}`).join(' ')}`);
    if (errors.length > 0) lines.push(`  series input errors: ${errors.map((e) => `${e.caseId}: ${e.error}`).join('; ')}`);
  }
  if (history) {
    const commits = new Set(history.result.findings.map((f) => f.commit?.sha ?? f.commit?.subject ?? ''));
    lines.push(
      `  history: ${commits.size}/${history.commits} commits with a pair finding, ${history.result.findings.length} findings; by rule: ${byRule(history.result.findings)}`,
    );
    if (history.result.error) lines.push(`  history input error: ${history.result.error}`);
  }
  if (ledger) {
    const v = judge([...series, ...(history ? [history.result] : []), ...more.map((h) => h.result)], ledger);
    const judged = v.real + v.falseAlarms;
    lines.push(
      `  ledger: ${judged} distinct findings judged, ${v.real} real, ${v.falseAlarms} false alarms` +
        ` (precision ${judged ? ((100 * v.real) / judged).toFixed(0) : '-'}%); untriaged: ${v.untriaged.length}`,
    );
    for (const e of v.falseAlarmEntries) lines.push(`    false alarm: ${e.case} | ${e.subject} | ${e.rule} | ${e.function ?? ''} (${e.cause ?? '?'})`);
    for (const u of v.untriaged) {
      lines.push(`    untriaged: ${u.caseId} | ${u.finding.commit?.subject ?? ''} | ${u.finding.ruleId} | ${u.finding.function ?? ''} | ${u.finding.file}:${u.finding.line}`);
    }
  }
  return lines.join('\n') + '\n';
}

export interface PairsHistoryResult {
  commits: number;
  result: CaseFindings;
  /** bundle ids a later Fixes: names (fixes.tsv) */
  fixed: Set<string>;
  /** bundle ids of the labelled corpus cases (excluded from the lift) */
  corpusCommits: Set<string>;
}

/**
 * The pairs history (qemu-pairs.bundle, 7,569 commits) as one range, with its
 * weak labels: which commits a later `Fixes:` names. Kept apart from the
 * hw/vfio history so the ledger's keys stay as they were.
 */
export async function runPairsHistory(corpus: string, runCli: RunCli): Promise<PairsHistoryResult | null> {
  const dir = join(corpus, 'history');
  const bundle = join(dir, 'qemu-pairs.bundle');
  if (!existsSync(bundle)) return null;
  const fixed = new Set(
    readFileSync(join(dir, 'fixes.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t')[0] ?? '').filter((s) => /^[0-9a-f]{40}$/.test(s)),
  );
  const upstreamToBundle = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'commit-map.tsv'), 'utf8').split('\n')) {
    const [b, u] = line.split('\t');
    if (b && u) upstreamToBundle.set(u, b);
  }
  const corpusCommits = new Set<string>();
  const casesDir = join(corpus, 'cases');
  for (const id of existsSync(casesDir) ? readdirSync(casesDir) : []) {
    try {
      const sha = (JSON.parse(readFileSync(join(casesDir, id, 'meta.json'), 'utf8')) as { sha?: string }).sha;
      const b = sha ? upstreamToBundle.get(sha) : undefined;
      if (b) corpusCommits.add(b);
    } catch {
      // not a case
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'pairlint-eval-pairs-'));
  try {
    const repo = join(tmp, 'repo');
    execFileSync('git', ['clone', '-q', bundle, repo], { stdio: 'ignore' });
    const roots = execFileSync('git', ['-C', repo, 'rev-list', '--max-parents=0', 'master'], { encoding: 'utf8' }).trim().split('\n');
    const root = roots[roots.length - 1] as string;
    const commits = Number(execFileSync('git', ['-C', repo, 'rev-list', '--count', '--no-merges', `${root}..master`], { encoding: 'utf8' }).trim());
    const res = await runCli(['-C', repo, `${root}..master`]);
    return {
      commits,
      fixed,
      corpusCommits,
      result: { caseId: 'pairs-history', patches: commits, findings: res.findings.filter(isPairFinding), error: res.code === 2 ? res.stderr : null },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Flagged commits outside the corpus, how many a later Fixes: names, and the
 * lift over the base rate; with a ledger, also what the ledger's verdicts
 * (case `pairs-history`) say of its distinct findings, apart from the series
 * and hw/vfio history so those numbers stay comparable.
 */
export function pairsHistoryReport(h: PairsHistoryResult, ledger: ReadonlyMap<string, LedgerEntry> | null = null): string {
  const flagged = new Set(h.result.findings.map((f) => f.commit?.sha ?? '').filter((s) => s !== '' && !h.corpusCommits.has(s)));
  const fixedFlagged = [...flagged].filter((s) => h.fixed.has(s)).length;
  const fixedOutside = [...h.fixed].filter((s) => !h.corpusCommits.has(s)).length;
  const base = fixedOutside / Math.max(1, h.commits - h.corpusCommits.size);
  const rate = flagged.size > 0 ? fixedFlagged / flagged.size : 0;
  const lines = [
    `  pairs history: ${flagged.size}/${h.commits} commits flagged outside the corpus, ${h.result.findings.length} findings; by rule: ${byRule(h.result.findings)}`,
    `    later fixed: ${fixedFlagged} of ${flagged.size} flagged (${(100 * rate).toFixed(1)}%) against a base rate of ${(100 * base).toFixed(1)}%: ` +
      `lift ${base > 0 ? (rate / base).toFixed(2) : '-'}; ${fixedFlagged} of ${fixedOutside} later-fixed commits flagged`,
  ];
  if (h.result.error) lines.push(`    input error: ${h.result.error}`);
  if (ledger) {
    const v = judge([h.result], ledger);
    const judged = v.real + v.falseAlarms;
    lines.push(
      `    ledger: ${judged} distinct findings judged, ${v.real} real, ${v.falseAlarms} false alarms` +
        ` (precision ${judged ? ((100 * v.real) / judged).toFixed(0) : '-'}%); untriaged: ${v.untriaged.length}`,
    );
    for (const u of v.untriaged) {
      lines.push(`    untriaged: ${u.finding.commit?.sha?.slice(0, 12) ?? ''} | ${u.finding.commit?.subject ?? ''} | ${u.finding.ruleId} | ${u.finding.function ?? ''} | ${u.finding.file}:${u.finding.line}`);
    }
  }
  return lines.join('\n') + '\n';
}
