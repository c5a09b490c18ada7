import JSZip from 'jszip';

/**
 * The same zip (xlsx, docx) with every entry dated `date` and in name order: the libraries that
 * write them stamp entries with the current time, which would make two builds differ.
 */
export async function rezip(bytes: Uint8Array | ArrayBuffer, date: string): Promise<Uint8Array> {
  const when = new Date(`${date}T00:00:00Z`);
  const zip = await JSZip.loadAsync(bytes);
  const out = new JSZip();
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name]!;
    if (entry.dir) continue;
    out.file(name, await entry.async('uint8array'), { date: when, createFolders: false });
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
