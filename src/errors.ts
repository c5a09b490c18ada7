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

/**
 * Why a file could not be bound, in one line: pdf-lib following a page tree that contains itself
 * runs out of stack, and libvips repeats its complaint line after line.
 */
export function failureMessage(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return '文件内部结构自相循环或嵌套过深，读不出内容';
  // JavaScript's own errors (a library tripping over a damaged file: "_this.catalog.Pages(...).traverse
  // is not a function") mean nothing to the person who gave us the file
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof SyntaxError) return '文件内部结构损坏，读不出内容';
  const text = (err instanceof Error ? err.message : String(err)).trim();
  return text.split('\n')[0]!.trim() || '读取失败';
}
