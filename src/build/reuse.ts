// Volumes kept from the last build: an A-level whose volumes were made from exactly these inputs,
// and are still in the output folder as we wrote them, is not made again. What it was made from is
// one key (its fingerprint); what the build wrote and reported of it is kept in the cache under it.
import { statSync } from 'node:fs';
import { cacheKey, type Cache } from '../cache/store.js';
import { findSoffice, sofficeVersion } from '../convert/office.js';
import { OFFICE_TYPES } from '../evidence/filetype.js';
import type { ALevelStatus, EvidenceFile, Manual, WarningDiag } from '../model.js';
import type { OutputFolder } from '../output/folder.js';
import type { VolumeReport } from '../report/report.js';
import type { CatalogueSheet } from '../report/xlsx.js';

/** What a volume's files were made from and what the build reported of them: enough to keep them. */
export interface VolumeRecord {
  /** output name → SHA-256 of the bytes written */
  files: Record<string, string>;
  volumes: VolumeReport[];
  catalogue: CatalogueSheet[];
  warnings: WarningDiag[];
  /** per volume file group: its names, items and pages (for progress) */
  written: { files: string[]; pages: number; items: number }[];
}

const VOLUMES = 'volume';

/** Every evidence file of an A-level, in the order it is bound. */
export const filesOf = (a: ALevelStatus): EvidenceFile[] => a.indicators.flatMap((b) => [...b.requirements.flatMap((r) => r.files), ...b.other]);

export interface FingerprintContext {
  manual: Manual;
  date: string;
  formats: string[];
  /** the A-level's volume file name */
  name: string;
  layout: unknown;
  /** font role → file */
  fonts: Record<string, string>;
  soffice: string | null | undefined;
  /** where soffice is looked up (its PATH) */
  env: NodeJS.ProcessEnv;
  /** an evidence file's content hash; undefined when it cannot be read now */
  hash: (f: EvidenceFile) => string | undefined;
}

/**
 * Everything an A-level's volumes are made from: the manual's settings and this A-level, what check
 * found, every file's content, the layout, the fonts, the date, the formats, the names, LibreOffice's
 * version when office files are bound. Undefined when a file's content cannot be read now (binding
 * will say why; such a volume is made again).
 */
export function fingerprint(a: ALevelStatus, ctx: FingerprintContext): string | undefined {
  const shas: string[] = [];
  for (const f of filesOf(a)) {
    const sha = ctx.hash(f);
    if (!sha) return undefined;
    shas.push(`${f.path}\u0000${sha}`);
  }
  const fontIds = Object.entries(ctx.fonts).map(([role, file]) => {
    try {
      const st = statSync(file);
      return `${role}:${file}:${st.size}:${st.mtimeMs}`;
    } catch {
      return `${role}:${file}:?`;
    }
  });
  const office = filesOf(a).some((f) => OFFICE_TYPES.has(f.type));
  const soffice = office ? findSoffice(ctx.soffice, ctx.env) : null;
  return cacheKey(
    VOLUMES,
    JSON.stringify({ ...ctx.manual, indicators: [a.indicator] }),
    // (whether a gap is overdue depends on the day the build runs; it is not printed in the volume)
    JSON.stringify(a, (k, v: unknown) => (k === 'overdue' ? undefined : v)),
    shas.join('\u0001'),
    JSON.stringify(ctx.layout),
    fontIds.join(','),
    ctx.date,
    ctx.formats.join(','),
    ctx.name,
    soffice ? sofficeVersion(soffice) : office ? 'no-libreoffice' : '',
  );
}

/** The record of the volumes made from `fp`, when their files are still in `out` as written. */
export function keptVolumes(cache: Cache, out: OutputFolder, fp: string): VolumeRecord | undefined {
  const record = cache.getJson<VolumeRecord>(VOLUMES, fp);
  return record && out.reuse(record.files) ? record : undefined;
}

/** Keep the record of volumes just made (their files' hashes as written), for the next build. */
export function rememberVolumes(cache: Cache, out: OutputFolder, fp: string, made: VolumeRecord): void {
  for (const w of made.written) for (const name of w.files) made.files[name] = out.hashOf(name)!;
  cache.putJson(VOLUMES, fp, made);
}
