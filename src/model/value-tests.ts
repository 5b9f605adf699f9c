/**
 * Does a condition test a value itself (`!elem`, `fd < 0`, `p == MAP_FAILED`,
 * `if (ret)`), rather than use it: read what it points to (`elem->out_num`,
 * `buf[0]`) or hand it to a call (`fx_len(elem) < n`)? Only a test of the
 * value itself can be the failure of the call that produced it; a condition
 * that dereferences it or passes it on runs after that call succeeded.
 */
export function testsValueItself(conditionText: string, value: string): boolean {
  const name = value.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const occurrence = new RegExp(`(?<![A-Za-z0-9_>.])${name}(?![A-Za-z0-9_])`, 'g');
  for (const m of conditionText.matchAll(occurrence)) {
    const before = conditionText.slice(0, m.index);
    const after = conditionText.slice((m.index ?? 0) + m[0].length);
    // what it points to: elem->x, elem.x, elem[i]
    if (/^\s*(->|\.|\[)/.test(after)) continue;
    // a call's argument: f(elem), f(a, elem, b)
    if (/^\s*[,)]/.test(after) && (/,\s*$/.test(before) || /[A-Za-z0-9_]\s*\(\s*$/.test(before))) continue;
    return true;
  }
  return false;
}
