/** Escaping text for use inside a RegExp source, shared by the modules that build patterns from C names. */

/** `text` with every character RegExp gives a meaning escaped (RegExp.escape arrives only with Node 24). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
