// Errors the user can act on. Light on purpose: the CLI loads this before anything else.

/** A problem the user must fix before anything can run (exit code 2). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
