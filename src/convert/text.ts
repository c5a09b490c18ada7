// Text evidence (.txt, .md): decoded the way Chinese Windows users save it.

export function readText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    // Notepad on Chinese Windows long saved "ANSI", i.e. GBK.
    return new TextDecoder('gb18030').decode(buf);
  }
}
