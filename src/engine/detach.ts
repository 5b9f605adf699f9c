/**
 * Copies that own their strings. V8 keeps a whole string alive while any
 * slice of it is alive: a function name or a code-frame line cut from a file
 * image pins that image. Anything the lint loop keeps past its commit
 * (findings, the names a commit touched) goes through here, so that memory
 * stays flat in the length of a range instead of holding one image per commit.
 */
export function detached<T>(value: T): T {
  return structuredClone(value);
}
