import JSZip from 'jszip';

/**
 * The same zip (xlsx, docx) with every entry dated `date` and in name order: the libraries that
 * write them stamp entries with the current time, which would make two builds differ. Images are
 * stored, not deflated again; `edit` may rewrite a text part on the way (docProps/core.xml dates).
 */
export async function rezip(bytes: Uint8Array | ArrayBuffer, date: string, edit?: (name: string, text: string) => string): Promise<Uint8Array> {
  const when = new Date(`${date}T00:00:00Z`);
  const zip = await JSZip.loadAsync(bytes);
  const out = new JSZip();
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name]!;
    if (entry.dir) continue;
    const media = /\.(jpe?g|png|gif)$/i.test(name);
    const data = edit && /\.(xml|rels)$/.test(name) ? edit(name, await entry.async('string')) : await entry.async('uint8array');
    out.file(name, data, { date: when, createFolders: false, compression: media ? 'STORE' : 'DEFLATE' });
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
