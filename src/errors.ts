/**
 * Errors the user can act on: bad input, bad config, bad usage. The CLI prints
 * `pairlint: <message>` on one line and exits 2; no stack trace unless --debug.
 * Anything else thrown is an internal error (also exit 2, but reported as such).
 */
export class PairlintError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'PairlintError';
  }
}

/** Input that could not be read as a patch, mail, revision or source file. */
export class InputError extends PairlintError {
  override name = 'InputError';
}

/** A JSON config that is not valid; the message names the key. */
export class ConfigError extends PairlintError {
  override name = 'ConfigError';
}

/** Wrong flags or arguments. */
export class UsageError extends PairlintError {
  override name = 'UsageError';
}
