// qpdf compiled to WebAssembly, in-process, no system dependency; one instance serves the run.
// It decrypts owner-restricted PDFs (they open without a password; government sites publish many)
// so pdf-lib can copy their pages, and rewrites damaged files the way qpdf repairs them.
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

async function rewrite(bytes: Uint8Array, args: string[]): Promise<Uint8Array> {
  const q = await qpdf();
  const fs = q.FS as unknown as MemFs;
  const id = ++counter;
  const input = `/in-${id}.pdf`;
  const output = `/out-${id}.pdf`;
  fs.writeFile(input, bytes);
  try {
    const rc = q.callMain([...args, input, output]);
    // qpdf exits 3 for warnings with a usable result (a repaired file is one)
    if (rc !== 0 && rc !== 3) throw new Error(`qpdf 无法处理此 PDF（${rc}）`);
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

/** The same PDF without its encryption; throws when it needs a password. */
export function decryptPdf(bytes: Uint8Array): Promise<Uint8Array> {
  return rewrite(bytes, ['--decrypt']);
}

/** The same PDF rewritten by qpdf, which rebuilds a damaged cross-reference table. */
export function repairPdf(bytes: Uint8Array): Promise<Uint8Array> {
  return rewrite(bytes, ['--decrypt', '--object-streams=preserve']);
}
