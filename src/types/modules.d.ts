declare module 'heic-decode' {
  interface Decoded {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  function decode(opts: { buffer: Uint8Array | ArrayBuffer }): Promise<Decoded>;
  export default decode;
}
