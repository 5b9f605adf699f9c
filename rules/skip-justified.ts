/**
 * skip-justified: a commit that adds a skip on a map/unmap path says in its
 * message which path and why. Runs after the other rules of the commit
 * (meta.after) and reads their findings.
 */
import type { Finding } from '../src/rule/finding.js';
import type { RelatedReport, Rule, RuleContext, RuleOptionSpecs } from '../src/rule/rule.js';
import type { CCall, CFunction } from '../src/cmodel/types.js';
import type { ChangedFile, ModelService, NewSkip } from '../src/rule/model.js';

const RULE_ID = 'skip-justified';

const DEFAULT_SKIP_RULES = ['skip-asymmetry', 'branch-asymmetry', 'ram-device-skip'];
const DEFAULT_PATH_FUNCTIONS = '_notify$|map';

const OPTIONS = {
  skipRules: {
    type: 'strings',
    default: DEFAULT_SKIP_RULES,
    description: 'rules whose findings in the same commit point at a new skip (counted when it skips a map/unmap primitive)',
  },
  pathFunctions: {
    type: 'regex',
    default: DEFAULT_PATH_FUNCTIONS,
    description: 'functions whose new early exits before a map/unmap primitive count as a skip (regular expression on the name)',
  },
} satisfies RuleOptionSpecs;

const MESSAGES = {
  unjustified:
    'this commit adds a skip on a map/unmap path ({{where}}), but the message names neither {{named}} ' +
    'nor says why this path needs the skip. Say which path skips what and why (found in testing? which device, which failure?): ' +
    'reviewers ask "why do we need this in {{first}}()?".',
  // one skip of `where` (joined with '; ')
  site: '{{fn}}() at {{file}}:{{line}} skips {{primitives}}',
  siteNoPrimitive: '{{fn}}() at {{file}}:{{line}}',
  // the related location of each skip
  newSkip: 'the new skip in {{fn}}()',
};

type Ctx = RuleContext<typeof OPTIONS, keyof typeof MESSAGES>;

/** One skip the commit adds, and the names that would show the message talks about it. */
interface SkipSite {
  file: string;
  line: number;
  function: string;
  /** primitives the skip keeps from running */
  primitives: string[];
  /**
   * those the message lists as skipped: not error handling (a failure report
   * only a failed map runs), nor a call in the other branch of the exit's `if`
   */
  shown: string[];
  /** other functions involved (the other side of a pair) */
  others: string[];
}

/** A map/unmap primitive: a pair primitive (or family member) whose name says map. */
function isMapPrimitive(ctx: Ctx, file: ChangedFile, callee: string): boolean {
  return /map/i.test(callee) && (ctx.pairs.primitive(callee) !== null || ctx.pairs.primitiveOrFamily(callee, file.knownNames) !== null);
}

/**
 * Map/unmap primitives `skip` keeps from running: called by the function, or
 * by a helper of the same file it calls. `shown`: the ones the message names
 * as skipped, without error handling (model.handlesFailure:
 * `fx_report_map_failure()` under `if (ret)`) and calls the exit only passes
 * by (model.inOtherBranch: the unmap in the `else` of the map's `if`).
 */
function skippedMapPrimitives(ctx: Ctx, file: ChangedFile, fn: CFunction, skip: NewSkip): { all: string[]; shown: string[] } {
  const all = new Set<string>();
  const shown = new Set<string>();
  // `site` the call in fn (itself, or the helper call it is reached through)
  const add = (call: CCall, site: CCall) => {
    all.add(call.callee);
    const passedBy = skip.exit !== null && ctx.model.inOtherBranch(skip.exit, site);
    if (!passedBy && !ctx.model.handlesFailure(call) && !ctx.pairs.isNonResource(call.callee)) shown.add(call.callee);
  };
  for (const call of fn.calls) {
    if (!ctx.model.skipsCall(skip, call)) continue;
    if (isMapPrimitive(ctx, file, call.callee)) add(call, call);
    else if (call.callee !== fn.name) {
      const helper = file.post?.functionByName(call.callee);
      for (const inner of helper?.calls ?? []) if (isMapPrimitive(ctx, file, inner.callee)) add(inner, call);
    }
  }
  return { all: [...all], shown: [...shown] };
}

/** The new skips in `fn` (those `keep` accepts) that keep a map/unmap primitive from running. */
function mapSkips(ctx: Ctx, file: ChangedFile, fn: CFunction, keep: (skip: NewSkip) => boolean, others: string[]): SkipSite[] {
  const out: SkipSite[] = [];
  for (const skip of ctx.model.newSkips(file, fn)) {
    if (!keep(skip)) continue;
    const { all, shown } = skippedMapPrimitives(ctx, file, fn, skip);
    if (all.length > 0) out.push({ file: file.path, line: skip.line, function: fn.name, primitives: all, shown, others });
  }
  return out;
}

/** The skips behind another rule's finding: new skips of map/unmap primitives at the finding's lines. */
function fromFinding(ctx: Ctx, f: Finding): SkipSite[] {
  const file = ctx.files.find((x) => x.path === f.file);
  const fn = f.function !== null ? file?.post?.functionByName(f.function) : null;
  if (!file || !fn) return [];
  const end = f.endLine ?? f.line;
  const others = [...new Set(f.related.map((r) => r.function).filter((n): n is string => n !== null && n !== fn.name))];
  return mapSkips(ctx, file, fn, (skip) => skip.line <= end && skip.endLine >= f.line, others);
}

/** New early exits (and cleared gate flags) in `*_notify` / `*map*` functions that skip a map/unmap primitive. */
function ownSites(ctx: Ctx, pathFunctions: RegExp): SkipSite[] {
  const out: SkipSite[] = [];
  for (const file of ctx.files) {
    for (const fn of file.post?.functions ?? []) {
      if (pathFunctions.test(fn.name) && file.touched(fn.name)) out.push(...mapSkips(ctx, file, fn, () => true, []));
    }
  }
  return out;
}

/** The message prose (subject and body, no trailers), made for name matching. */
function prose(ctx: Ctx): string {
  const lines = ctx.model.messageLines(ctx.commit).slice(0, ctx.model.trailerBlockStart(ctx.commit));
  return ctx.model.nameText(lines.join('\n'));
}

function justified(model: ModelService, text: string, site: SkipSite): boolean {
  const names = [site.function, ...site.others, ...site.primitives];
  if (names.some((n) => model.mentionsName(text, n))) return true;
  // a notifier path explained as such
  return /_notify$/.test(site.function) && /_(notifier|notifiers|notify|iotlb|viommu)_/.test(text);
}

export const skipJustified: Rule<typeof OPTIONS, keyof typeof MESSAGES> = {
  meta: {
    id: RULE_ID,
    category: 'commit',
    severity: 'warning',
    after: true,
    scope: 'touched-functions',
    summary: 'A commit that adds a skip on a map/unmap path without saying in its message which path and why',
    messages: MESSAGES,
    options: OPTIONS,
    docs: {
      what:
        'The commit adds a skip on a map/unmap path: a new early exit, goto or cleared gate flag that keeps a map/unmap ' +
        'primitive (vfio_container_dma_map, vfio_container_dma_unmap, ...) from running, found by skip-asymmetry, ' +
        'branch-asymmetry or ram-device-skip in the same commit, or added to a function named `*_notify` or `*map*`. ' +
        'It reports when the commit message (subject and body) names neither the function, ' +
        'nor the function on the other side, nor the skipped primitive, nor (for `*_notify` functions) the notifier ' +
        'path. Names count in full (`vfio_iommu_map_notify`) or by their last two words (`map_notify`, `DMA map`). ' +
        'Findings of rules that are off do not count.',
      why:
        'A skip on a map path changes what the IOMMU sees for some regions; whoever reviews or bisects it needs to ' +
        'know why that path can see such regions. Reviewers ask exactly that: "Why do we need skip_iommu_map() in ' +
        'vfio_iommu_map_notify path? If that\'s from testing or codex review please include the justification in ' +
        'commit log."',
      fix:
        'Say in the message which function skips what, and why that path needs it: which device or workload reaches ' +
        'it, what failed without the skip, whether it came from testing or review.',
      bad: [
        'vfio/listener: Check skip_iommu_map on one more mapping path',
        '',
        'Check the flag in one more place in the VFIO listener code as well.',
        '',
        '+        if (memory_region_skip_iommu_map(mr)) {',
        '+            goto out;    /* in vfio_iommu_map_notify() */',
        '+        }',
      ].join('\n'),
      good: [
        'vfio/listener: Skip marked regions in vfio_iommu_map_notify()',
        '',
        'With a vIOMMU, a translated IOTLB entry can point into a region marked',
        'skip_iommu_map (found in testing with ...): do not hand it to',
        'vfio_container_dma_map() either, and skip its unmap in the UNMAP branch.',
      ].join('\n'),
    },
  },
  create(context) {
    const { commit, model } = context;
    return {
      commitMessage() {
        const skipRules = new Set(context.options.skipRules);
        const pathFunctions = new RegExp(context.options.pathFunctions);
        const sites: SkipSite[] = [];
        for (const f of context.findings) {
          if (!skipRules.has(f.ruleId)) continue;
          for (const site of fromFinding(context, f)) {
            if (!sites.some((s) => s.file === site.file && s.function === site.function && s.line === site.line)) sites.push(site);
          }
        }
        for (const site of ownSites(context, pathFunctions)) {
          if (!sites.some((s) => s.file === site.file && s.function === site.function && s.line === site.line)) sites.push(site);
        }
        if (sites.length === 0) return;
        const text = prose(context);
        const unjustified = sites.filter((s) => !justified(model, text, s));
        if (unjustified.length === 0) return;
        const first = unjustified[0] as SkipSite;
        const named = [...new Set(unjustified.flatMap((s) => [s.function, ...s.shown]))].map((n) => `${n}()`);
        const where = unjustified
          .map((s) =>
            s.shown.length > 0
              ? context.format('site', { fn: s.function, file: s.file, line: s.line, primitives: s.shown.map((p) => `${p}()`).join(', ') })
              : context.format('siteNoPrimitive', { fn: s.function, file: s.file, line: s.line }),
          )
          .join('; ');
        const related: RelatedReport<keyof typeof MESSAGES>[] = unjustified.map((s) => ({
          file: s.file,
          line: s.line,
          function: s.function,
          messageId: 'newSkip',
          data: { fn: s.function },
        }));
        context.report({
          at: { file: model.commitMessagePath(commit), line: 1, function: null },
          messageId: 'unjustified',
          data: { where, named: named.join(' nor '), first: first.function },
          related,
          key: `${commit.subject}|${[...new Set(unjustified.map((s) => s.function))].sort().join(',')}`,
        });
      },
    };
  },
};
