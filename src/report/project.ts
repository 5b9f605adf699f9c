import { readFileSync } from 'node:fs';

let cached: string | null | undefined;

/**
 * The project's web address from package.json (`homepage`), for SARIF's
 * `informationUri` and rdjson's `source.url`; null when package.json has none
 * (the reporters then leave those optional fields out). Looks two and three
 * levels up so it works from src/report (tests) and build/src/report.
 */
export function projectHomepage(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: unknown; homepage?: unknown };
      if (pkg.name !== 'pairlint') continue;
      if (typeof pkg.homepage === 'string' && /^https?:\/\//.test(pkg.homepage)) cached = pkg.homepage;
      break;
    } catch {
      // not there: try the next level
    }
  }
  return cached;
}
