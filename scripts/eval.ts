/**
 * `npm run eval [-- CORPUS]`: precision and recall of pairlint on a labelled
 * corpus (default ../shared/corpus). Runs the real CLI entry in-process on
 * every case (`--tree case/base case/patch.mbox --format json`) and on the
 * seed series (with --tree, and as git ranges of seed.bundle), then on the
 * real list series and the hw/vfio history (see eval-real.ts), judged by the
 * triage ledger eval/ledger.json, and prints a table.
 *
 * A positive is found when a pair/domain finding names one of its add/del
 * functions (as primary or related function). A negative is a false alarm
 * when it gets any pair/domain finding of warning or error level.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { loadConfig } from '../src/config/load.js';
import { RULE_IDS, RULE_OPTION_SPECS } from '../rules/index.js';
import { learnBase } from '../src/engine/learn-base.js';
import { buildFileModel } from '../src/cmodel/parse.js';
import { findSidePairs } from '../src/pairs/sides.js';
import { loadLedger, pairsHistoryReport, realPatchesReport, runHistory, runPairsHistory, runSeries, type RealFinding } from './eval-real.js';

/** The repository root (this file runs from build/scripts/). */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A finding as the JSON report gives it. */
type JsonFinding = RealFinding;

interface Meta {
  id: string;
  label: 'positive' | 'negative';
  needs: string | null;
  findings?: { add_side: string; del_side: string; needs: string; kinds?: string[] }[];
  add_side?: string;
  del_side?: string;
}

async function runCli(args: string[]): Promise<{ code: number; findings: JsonFinding[]; stderr: string }> {
  let out = '';
  let err = '';
  const code = await main([...args, '--format', 'json'], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: () => Buffer.alloc(0),
    cwd: process.cwd(),
    env: process.env,
    isTTY: false,
  });
  const findings = code === 2 ? [] : ((JSON.parse(out) as { findings: JsonFinding[] }).findings ?? []);
  return { code, findings, stderr: err.trim() };
}

/** Function names in a free-text side description, outside parentheses. */
function sideFunctions(text: string): string[] {
  const outside = text.replace(/\([^)]*\)/g, ' ');
  return [...outside.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]).filter((w) => w.includes('_'));
}

const pairish = (f: JsonFinding) => (f.category === 'pair' || f.category === 'domain') && f.severity !== 'info';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Call names in parentheses (`vfio_migration_init (register_savevm_live)`), else the function names. */
function sideNames(text: string): { calls: string[]; functions: string[] } {
  const calls = [...text.matchAll(/\(([^)]*)\)/g)].flatMap((m) => [...(m[1] as string).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((x) => x[0]));
  return { calls: calls.filter((w) => w.includes('_')), functions: sideFunctions(text) };
}

/**
 * Does pairlint know the pair at fault, from the case's base alone: the two
 * calls named in parentheses pair in the built-in or learned table, or the
 * two functions pair as a callback slot or by name?
 */
async function pairKnown(caseDir: string, addSide: string, delSide: string): Promise<boolean> {
  const config = loadConfig(null, caseDir, RULE_IDS, RULE_OPTION_SPECS);
  await learnBase(config.pairs, { kind: 'dir', dir: join(caseDir, 'base') }, { cacheDir: null, version: 'eval' });
  const a = sideNames(addSide);
  const d = sideNames(delSide);
  const pairs = (acq: readonly string[], rel: readonly string[]) =>
    acq.some((x) => {
      const m = config.pairs.primitive(x);
      if (m && m.role === 'acquire' && rel.some((r) => m.counterparts.includes(r))) return true;
      return config.pairs.familyCounterparts(x).some((c) => c.role === 'acquire' && rel.some((r) => c.names.includes(r)));
    });
  if (a.calls.length > 0 && d.calls.length > 0 && pairs(a.calls, d.calls)) return true;
  if (pairs(a.functions, d.functions)) return true;
  // a callback slot pair in the base: the two functions are installed in one initializer's paired slots
  for (const file of listC(join(caseDir, 'base'))) {
    const model = buildFileModel(file, readFileSync(join(caseDir, 'base', file), 'utf8'));
    for (const side of findSidePairs(model, config.pairs)) {
      if (a.functions.includes(side.acquire) && d.functions.includes(side.release)) return true;
    }
  }
  return false;
}

function listC(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listC(dir, rel));
    else if (/\.[ch]$/.test(e.name)) out.push(rel);
  }
  return out;
}

async function evalCases(corpus: string) {
  const dir = join(corpus, 'cases');
  const ids = readdirSync(dir).filter((d) => existsSync(join(dir, d, 'meta.json'))).sort();
  const rows: string[] = [];
  const recall = new Map<string, { found: number; total: number }>();
  const byKind = new Map<string, { found: number; total: number }>();
  const coverage = { known: 0, total: 0, missing: [] as string[] };
  let negatives = 0;
  let falseAlarms = 0;
  let errors = 0;
  const started = Date.now();
  for (const id of ids) {
    const caseDir = join(dir, id);
    const meta = JSON.parse(readFileSync(join(caseDir, 'meta.json'), 'utf8')) as Meta;
    const res = await runCli(['--tree', join(caseDir, 'base'), join(caseDir, 'patch.mbox')]);
    if (res.code === 2) errors++;
    const pairFindings = res.findings.filter(pairish);
    const summary = pairFindings.map((f) => `${f.ruleId}@${f.function ?? '?'}:${f.line}`).join(' ');
    if (meta.label === 'positive') {
      const expected = meta.findings ?? [{ add_side: meta.add_side ?? '', del_side: meta.del_side ?? '', needs: meta.needs ?? '' }];
      for (const exp of expected) {
        const names = new Set([...sideFunctions(exp.add_side), ...sideFunctions(exp.del_side)]);
        const hit = pairFindings.some(
          (f) => (f.function !== null && names.has(f.function)) || f.related.some((r) => r.function !== null && names.has(r.function)),
        );
        const bucket = recall.get(exp.needs) ?? { found: 0, total: 0 };
        bucket.total++;
        if (hit) bucket.found++;
        recall.set(exp.needs, bucket);
        for (const kind of exp.kinds ?? ['?']) {
          const k = byKind.get(kind) ?? { found: 0, total: 0 };
          k.total++;
          if (hit) k.found++;
          byKind.set(kind, k);
        }
        const covered = await pairKnown(caseDir, exp.add_side, exp.del_side);
        coverage.total++;
        if (covered) coverage.known++;
        else coverage.missing.push(`${id}: ${exp.add_side} / ${exp.del_side}`);
        rows.push(`${pad(id, 28)} ${pad(exp.needs, 13)} ${pad(hit ? 'FOUND' : 'missed', 7)} ${res.code === 2 ? 'ERROR ' + res.stderr : summary}`);
      }
    } else {
      negatives++;
      const fa = pairFindings.length > 0;
      if (fa) falseAlarms++;
      rows.push(`${pad(id, 28)} ${pad('negative', 13)} ${pad(fa ? 'FALSE+' : 'quiet', 7)} ${res.code === 2 ? 'ERROR ' + res.stderr : summary}`);
    }
  }
  return { rows, recall, byKind, coverage, negatives, falseAlarms, errors, seconds: (Date.now() - started) / 1000 };
}

interface SeedCheck {
  name: string;
  args: string[];
  expect: string;
  ok: (f: JsonFinding[]) => boolean;
}

async function evalSeeds(corpus: string) {
  const seed = join(corpus, 'seed');
  const base = join(seed, 'base');
  const m = (n: string) => join(seed, n);
  const checks: SeedCheck[] = [
    {
      name: 'skip-map-asymmetric',
      args: ['--tree', base, m('skip-map-asymmetric.mbox')],
      expect: 'skip-asymmetry at listener.c 617-621, related vfio_listener_region_del',
      ok: (f) =>
        f.some(
          (x) =>
            x.ruleId === 'skip-asymmetry' && x.file === 'hw/vfio/listener.c' && x.line >= 617 && x.line <= 621 &&
            x.related.some((r) => r.function === 'vfio_listener_region_del'),
        ),
    },
    {
      name: 'skip-map-symmetric',
      args: ['--tree', base, m('skip-map-symmetric.mbox')],
      expect: 'no pair finding',
      ok: (f) => !f.some(pairish),
    },
    {
      name: 'owner-skip',
      args: ['--tree', base, m('owner-skip.mbox')],
      expect: 'skip-asymmetry and ram-device-skip in vfio_container_region_add',
      ok: (f) =>
        f.some((x) => x.ruleId === 'skip-asymmetry' && x.function === 'vfio_container_region_add') &&
        f.some((x) => x.ruleId === 'ram-device-skip' && x.function === 'vfio_container_region_add'),
    },
    {
      name: 'owner-skip-revert',
      args: ['--tree', base, m('owner-skip.mbox'), m('owner-skip-revert.mbox')],
      expect: 'no pair finding on the revert commit',
      ok: (f) => !f.some((x) => pairish(x) && (x.commit?.subject ?? '').startsWith('Revert')),
    },
    {
      name: 'notifier-skip',
      args: ['--tree', base, m('notifier-skip.mbox')],
      expect: 'branch-asymmetry in vfio_iommu_map_notify at 166-168, related 189',
      ok: (f) =>
        f.some(
          (x) =>
            x.ruleId === 'branch-asymmetry' && x.function === 'vfio_iommu_map_notify' && x.line >= 166 && x.line <= 168 &&
            x.related.some((r) => r.line === 189),
        ),
    },
  ];
  // The same checks on seed.bundle as git ranges: images from git, not from base/.
  const tmp = mkdtempSync(join(tmpdir(), 'pairlint-seed-'));
  const clone = join(tmp, 'seed');
  execFileSync('git', ['clone', '-q', join(seed, 'seed.bundle'), clone], { stdio: 'ignore' });
  const ranges: Record<string, string[]> = {
    'skip-map-asymmetric': ['origin/base..origin/skip-map-asymmetric'],
    'skip-map-symmetric': ['origin/base..origin/skip-map-symmetric'],
    'owner-skip': ['origin/base..origin/owner-skip'],
    'owner-skip-revert': ['origin/base..origin/owner-skip-revert'],
    'notifier-skip': ['origin/notifier-skip~1..origin/notifier-skip'],
  };
  for (const c of [...checks]) {
    const range = ranges[c.name];
    if (range) checks.push({ ...c, name: `${c.name} (range)`, args: ['-C', clone, ...range] });
  }
  const rows: string[] = [];
  let passed = 0;
  for (const c of checks) {
    const res = await runCli(c.args);
    const ok = res.code !== 2 && c.ok(res.findings);
    if (ok) passed++;
    const got = res.code === 2 ? `ERROR ${res.stderr}` : res.findings.map((f) => `${f.ruleId}@${f.function ?? '?'}:${f.line}`).join(' ') || '(none)';
    rows.push(`${pad(c.name, 30)} ${pad(ok ? 'ok' : 'FAIL', 5)} expect: ${c.expect}; got: ${got}`);
  }
  rmSync(tmp, { recursive: true, force: true });
  return { rows, passed, total: checks.length };
}

async function run() {
  const corpus = resolve(process.argv[2] ?? join(process.cwd(), '..', 'shared', 'corpus'));
  if (!existsSync(join(corpus, 'cases'))) {
    process.stderr.write(`eval: no corpus at ${corpus} (give its path: npm run eval -- PATH)\n`);
    process.exitCode = 2;
    return;
  }
  const cases = await evalCases(corpus);
  process.stdout.write(`case                         needs         result  findings (rule@function:line)\n`);
  for (const r of cases.rows) process.stdout.write(r + '\n');
  if (existsSync(join(corpus, 'seed'))) {
    const seeds = await evalSeeds(corpus);
    process.stdout.write('\nseed series\n');
    for (const r of seeds.rows) process.stdout.write(r + '\n');
    process.stdout.write(`seed: ${seeds.passed}/${seeds.total} as the seed README describes\n`);
  }
  process.stdout.write('\nrecall on positives\n');
  let found = 0;
  let total = 0;
  for (const [needs, b] of [...cases.recall].sort()) {
    process.stdout.write(`  ${pad(needs, 13)} ${b.found}/${b.total}\n`);
    found += b.found;
    total += b.total;
  }
  process.stdout.write(`  ${pad('all', 13)} ${found}/${total} (${total ? ((100 * found) / total).toFixed(0) : 0}%)\n`);
  process.stdout.write('recall by kind\n');
  for (const [kind, b] of [...cases.byKind].sort()) process.stdout.write(`  ${pad(kind, 20)} ${b.found}/${b.total}\n`);
  process.stdout.write(
    `pair coverage: the pair at fault is known (built-in table, learned from the case's base, or a slot/name pair) for ` +
      `${cases.coverage.known}/${cases.coverage.total} positive findings\n`,
  );
  for (const m of cases.coverage.missing) process.stdout.write(`  not known: ${m}\n`);
  process.stdout.write(
    `false alarms on negatives: ${cases.falseAlarms}/${cases.negatives} ` +
      `(${cases.negatives ? ((100 * cases.falseAlarms) / cases.negatives).toFixed(1) : 0}%)\n`,
  );
  process.stdout.write(`input errors: ${cases.errors}; time: ${cases.seconds.toFixed(1)} s\n`);

  const started = Date.now();
  const series = await runSeries(corpus, runCli);
  const history = await runHistory(corpus, runCli);
  const ledgerPath = join(REPO, 'eval', 'ledger.json');
  const ledger = existsSync(ledgerPath) ? loadLedger(ledgerPath) : null;
  const pairsHistory = process.env.PAIRLINT_EVAL_SKIP_PAIRS ? null : await runPairsHistory(corpus, runCli);
  // the ledger judges the series and the hw/vfio history; the pairs history by its weak labels, and by the ledger apart
  process.stdout.write(realPatchesReport(series, [history], ledger));
  if (pairsHistory) process.stdout.write(pairsHistoryReport(pairsHistory, ledger));
  process.stdout.write(`real patches time: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

void run();
