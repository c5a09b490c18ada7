// Owner-restricted PDFs (they open without a password; government sites publish many) must be
// decrypted before pdf-lib can copy their pages. qpdf compiled to WebAssembly does it in-process,
// with no system dependency; one instance serves the whole run.
import { createRequire } from 'node:module';
import createQpdf, { type QpdfInstance } from '@neslinesli93/qpdf-wasm';

const require = createRequire(import.meta.url);
let instance: Promise<QpdfInstance> | undefined;
let counter = 0;

function qpdf(): Promise<QpdfInstance> {
  instance ??= (createQpdf as unknown as (o: object) => Promise<QpdfInstance>)({
    locateFile: () => require.resolve('@neslinesli93/qpdf-wasm/dist/qpdf.wasm'),
    print: () => {},
    printErr: () => {},
  });
  return instance;
}

interface MemFs {
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}

/** The same PDF without its encryption; throws when it needs a password. */
export async function decryptPdf(bytes: Uint8Array): Promise<Uint8Array> {
  const q = await qpdf();
  const fs = q.FS as unknown as MemFs;
  const id = ++counter;
  const input = `/in-${id}.pdf`;
  const output = `/out-${id}.pdf`;
  fs.writeFile(input, bytes);
  try {
    const rc = q.callMain(['--decrypt', input, output]);
    // qpdf exits 3 for warnings with a usable result
    if (rc !== 0 && rc !== 3) throw new Error(`qpdf --decrypt 失败（${rc}）`);
    return fs.readFile(output);
  } finally {
    for (const f of [input, output]) {
      try {
        fs.unlink(f);
      } catch {
        // not created
      }
    }
  }
}
