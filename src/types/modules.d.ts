declare module 'heic-decode' {
  interface Decoded {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  function decode(opts: { buffer: Uint8Array | ArrayBuffer }): Promise<Decoded>;
  export default decode;
}

declare module 'bmp-js' {
  interface Bitmap {
    width: number;
    height: number;
    /** ABGR, 4 bytes a pixel */
    data: Buffer;
  }
  const bmp: { decode(buf: Buffer): Bitmap };
  export default bmp;
}
