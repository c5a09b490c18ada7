// Errors the user can act on. Light on purpose: the CLI loads this before anything else.
import { errorDetails, errorText, type ErrorCode, type ErrorParams, type Voice } from './wording/errors.js';

export type { ErrorCode, ErrorParams };

/**
 * A problem the user must fix before anything can run (the CLI's exit code 2): a wrong option, a
 * missing manual, an output folder another run is writing, a full temporary folder. As data: a
 * stable `code` and its `params` (the facts, for programs); `message` is the Chinese sentence the
 * wording catalogue makes of them (src/wording/errors.ts), `details` the lines under it (each error
 * of a manual, each row of a table to fix); `cause` the error it comes from, when there is one.
 */
export class ChuangchengError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'ChuangchengError';
  readonly details: string[];

  constructor(
    readonly code: C,
    readonly params: ErrorParams<C>,
    options?: { cause?: unknown },
  ) {
    super(errorText(code, params), options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.details = errorDetails(code, params);
  }

  /** The sentence as the command line says it: its flags, its environment variables. */
  text(voice: Voice = 'api'): string {
    return errorText(this.code, this.params, voice);
  }
}

/** An option given to the API is wrong (its params name it: `option`). */
export function isOptionError(err: unknown): err is ChuangchengError {
  return err instanceof ChuangchengError && typeof (err.params as { option?: unknown }).option === 'string';
}

/** The run's temporary folder is full, read-only or cannot be made: it stops a build, never one file's fault. */
export function isTempError(err: unknown): err is ChuangchengError {
  return err instanceof ChuangchengError && err.code.startsWith('temp-');
}
/** What kind of file failed, for the sentence that replaces a library's own words. */
export type FailedKind = 'photo' | 'pdf' | 'text' | 'document';

const OUR_WORDS = /[\u3400-\u9fff]/u;

/**
 * Why a file could not be bound, in one line of Chinese. Our own errors are already said so (their
 * first line is kept); what a library throws — pdf-lib's `_this.catalog.Pages(...).traverse is not
 * a function`, libvips's `VipsJpeg: Premature end of JPEG file`, a stack overflow on a page tree
 * that contains itself — is said by what it means for the file, never in the library's English.
 */
export function failureMessage(err: unknown, kind: FailedKind = 'document'): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return '文件内部结构自相循环或嵌套过深，读不出内容';
  // JavaScript's own errors (a library tripping over a damaged file: "_this.catalog.Pages(...).traverse
  // is not a function") mean nothing to the person who gave us the file
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof SyntaxError) return '文件内部结构损坏，读不出内容';
  const text = (err instanceof Error ? err.message : String(err)).trim();
  const first = text.split('\n')[0]!.trim();
  if (OUR_WORDS.test(first)) return first;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `读取时出错（系统错误 ${code}）`;
  if (/out of memory|allocation failed|Array buffer allocation|Invalid (typed )?array length/i.test(text)) return '文件结构异常，读取它所需的内存超出了限度';
  if (/pixel limit/i.test(text)) return '图片像素数超过可处理的上限';
  switch (kind) {
    case 'photo':
      return '图像数据损坏、不完整或是不支持的编码，无法解码';
    case 'pdf':
      return 'PDF 内部结构损坏或不符合规范，读不出内容';
    case 'text':
      return '文字内容无法解码';
    default:
      return '文件内部结构损坏或不符合规范，读不出内容';
  }
}

