// Office conversion: every office file of the build converted to PDF in one LibreOffice run (from
// the cache when converted before), started early so that it runs while photos are prepared.
import path from 'node:path';
import { cacheKey } from '../../cache/store.js';
import { convertOffice, findSoffice, sofficeVersion, workExtension, type Conversion } from '../../convert/office.js';
import { OFFICE_TYPES } from '../../evidence/filetype.js';
import type { EvidenceFile, WarningDiag } from '../../model.js';
import { sha256 } from '../../util/hash.js';
import { MAX_CACHED_OFFICE_BYTES, type AssetStore } from './store.js';

export class OfficeConversions {
  private conversions = new Map<string, Conversion>();
  /** the LibreOffice run of this build, started early so that it runs while photos are prepared */
  done: Promise<void> = Promise.resolve();

  constructor(private readonly store: AssetStore) {}

  /**
   * Every office file of the build in one LibreOffice run, started now and not awaited: it runs
   * while photos are prepared. Converted documents are taken from the cache when there.
   */
  start(files: EvidenceFile[]): void {
    const office = files.filter((f) => OFFICE_TYPES.has(f.type) && !this.conversions.has(f.path));
    if (office.length === 0) return;
    // a failure to write our own copies (a full temporary folder) is kept for the first to await it
    this.done = this.convert(office);
    this.done.catch(() => {});
  }

  private async convert(office: EvidenceFile[]): Promise<void> {
    const { store } = this;
    const { cache } = store.opts;
    const soffice = cache ? findSoffice(store.opts.soffice, store.ws.env) : null;
    const keyOf = (sha: string, f: EvidenceFile) => cacheKey('office-pdf', sha, f.type, workExtension(f.type, nameExt(f)), sofficeVersion(soffice!));
    const keys = new Map<string, string>();
    const todo: EvidenceFile[] = [];
    for (const f of office) {
      let pdf: Buffer | undefined;
      if (cache && soffice && f.size <= MAX_CACHED_OFFICE_BYTES) {
        const sha = store.hashOf(f);
        if (sha) {
          keys.set(f.path, keyOf(sha, f));
          pdf = cache.get('office-pdf', keys.get(f.path)!);
        }
      }
      if (pdf) this.converted(f, pdf);
      else todo.push(f);
    }
    if (todo.length === 0) return;
    const results = await convertOffice(
      todo.map((f) => ({ abs: f.abs, ext: f.type, nameExt: nameExt(f), label: f.path, within: store.opts.evidenceRoot })),
      store.ws,
      {
        soffice: store.opts.soffice,
        timeout: store.opts.sofficeTimeout,
        memoryMB: store.opts.sofficeMemoryMB,
        keptProfile: cache && soffice ? path.join(cache.dir, 'soffice-profile', cacheKey('soffice-profile', sofficeVersion(soffice))) : undefined,
      },
    );
    todo.forEach((f, i) => {
      const r = results[i]!;
      if (r.ok) {
        this.converted(f, r.pdf);
        const key = keys.get(f.path);
        if (key) cache!.put('office-pdf', key, r.pdf);
      } else this.conversions.set(f.path, r);
    });
  }

  private converted(f: EvidenceFile, pdf: Uint8Array): void {
    const out = this.store.file('converted', 'pdf');
    this.store.write(out, pdf);
    this.store.sources.set(f.path, out);
    this.store.sourceHashes.set(f.path, sha256(pdf));
    this.conversions.set(f.path, { ok: true, pdf: new Uint8Array() });
  }

  /** The not-converted warning's params; a file that could not even be read throws (a bind-failed page). */
  async failure(file: EvidenceFile): Promise<WarningDiag['params'] | undefined> {
    await this.done;
    const c = this.conversions.get(file.path);
    if (!c || c.ok) return undefined;
    if ('unreadable' in c) throw new Error(c.unreadable);
    return c.params;
  }
}

/** The evidence file's own extension (a web page named .xls is read by Calc). */
function nameExt(f: EvidenceFile): string {
  const name = f.path.slice(f.path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}
