import { readFileSync } from 'node:fs';

/** The version from package.json (read once; the launcher and the build share the package root). */
export function packageVersion(): string {
  try {
    const url = new URL('../../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
