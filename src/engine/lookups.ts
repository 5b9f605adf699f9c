/**
 * The lookup pre-pass: before the rules of a commit run, collect the commit
 * ids they ask for (Rule.lookup: Fixes: tags, reverted commits) and resolve
 * them through the repository, so rules can check them without spawning git.
 * Commits seen earlier in the input count too (a Fixes: for patch 1/3 in 3/3).
 */
import type { Commit } from '../series/model.js';
import type { CommitRef, Rule } from '../rule/rule.js';
import type { ModelService } from '../model/service.js';

/** What the engine needs from a repository (GitRepo has it). */
export interface CommitResolver {
  commitSubject(id: string): Promise<CommitRef | null>;
}

const HEX = /^[0-9a-f]{4,64}$/;

export class CommitLookups {
  private readonly cache = new Map<string, Promise<CommitRef | null>>();
  private readonly seen: CommitRef[] = [];

  constructor(private readonly resolver: CommitResolver | null) {}

  /** Remember a commit of the input (after its rules ran) so later commits can name it. */
  note(commit: Commit): void {
    if (commit.sha && HEX.test(commit.sha) && !/^0+$/.test(commit.sha)) this.seen.push({ sha: commit.sha, subject: commit.subject });
  }

  /** Resolve what `rules` ask for in `commit` (reading it through `model`); null when there is no repository to ask. */
  async resolve(commit: Commit, rules: readonly Rule[], model: ModelService): Promise<ReadonlyMap<string, CommitRef | null> | null> {
    if (this.resolver === null) return null;
    const wanted = new Set<string>();
    for (const rule of rules) {
      for (const id of rule.lookup?.(commit, model) ?? []) {
        const key = id.toLowerCase();
        if (HEX.test(key)) wanted.add(key);
      }
    }
    const out = new Map<string, CommitRef | null>();
    await Promise.all(
      [...wanted].map(async (key) => {
        out.set(key, await this.lookup(key));
      }),
    );
    return out;
  }

  private lookup(key: string): Promise<CommitRef | null> {
    const inSeries = this.seen.filter((c) => c.sha.startsWith(key));
    if (inSeries.length === 1) return Promise.resolve(inSeries[0] as CommitRef);
    let hit = this.cache.get(key);
    if (!hit) {
      hit = (this.resolver as CommitResolver).commitSubject(key);
      this.cache.set(key, hit);
    }
    return hit;
  }
}
