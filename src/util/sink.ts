/** Where a renderer writes its bytes, in order; an output file, a zip entry, a test buffer. */
export interface ByteSink {
  write(chunk: Uint8Array): void;
}
