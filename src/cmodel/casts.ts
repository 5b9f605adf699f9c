/**
 * QOM and other cast macros peeled off an argument: `OBJECT(dev)`,
 * `DEVICE(VIRTIO_PCI(d))` name `dev` and `d`. Upper-case macros convert a
 * value, they make none, so every reading of what an argument names looks
 * through them the same way.
 */

const CAST = /^[A-Z_][A-Z0-9_]*\((.*)\)$/;

/** The text inside every upper-case macro call wrapped around it, trimmed at each step. */
export function withoutCasts(text: string): string {
  let t = text.trim();
  for (let m = CAST.exec(t); m; m = CAST.exec(t)) t = (m[1] as string).trim();
  return t;
}
