// 补充完善 (the making half): make every kept file of one A-level into content with pages — the
// pages of a PDF, prepared photos, typeset text, office files converted — grouped into items (件),
// with a 缺项说明 where a requirement is short. What is made (prepared photos, decrypted or
// converted PDFs) goes to the assets, on disk; the items hold only what layout needs: page counts,
// page sizes, photo sizes, text lines. A file that fails here gets a page that says so.
import { failureMessage, isTempError } from '../errors.js';
import pLimit from 'p-limit';
import { isScan, OFFICE_TYPES } from '../evidence/filetype.js';
import type { ALevelStatus, BLevelStatus, EvidenceFile, Manual, RequirementStatus, WarningDiag } from '../model.js';
import { naturalCompare } from '../util/natural.js';
import { photoTitle } from '../wording/volume.js';

/** The shown size of one page of a document, in points (its rotation applied). */
export interface PageSize {
  width: number;
  height: number;
}

export interface PreparedPhotoInfo {
  file: EvidenceFile;
  /** pixel size of the prepared photo, upright */
  width: number;
  height: number;
}

export type Content =
  | { kind: 'pdf'; file: EvidenceFile; sizes: PageSize[]; pages: number }
  | { kind: 'photos'; photos: PreparedPhotoInfo[]; perPage: 1 | 2 | 4; pages: number }
  | { kind: 'text'; file: EvidenceFile; heading?: string; chunks: string[][]; pages: number }
  | { kind: 'notice'; file: EvidenceFile; cause: 'not-converted' | 'not-bound' | 'xfa-form'; pages: 1 };

export interface Item {
  bCode: string;
  /** index of the requirement that claimed it; undefined for 其他材料 */
  requirement?: number;
  title: string;
  /** the title was made by us, not the document's own (GB/T 9705: shown in [ ]) */
  madeTitle: boolean;
  date?: string;
  docNo?: string;
  author: string;
  note?: string;
  files: EvidenceFile[];
  content: Content[];
  pages: number;
}

export type Entry =
  | { type: 'form'; b: BLevelStatus; pages: 1 }
  | { type: 'item'; item: Item; pages: number }
  | { type: 'gap'; b: BLevelStatus; req: RequirementStatus; pages: 1 };

export interface SupplementResult {
  entries: Entry[];
  warnings: WarningDiag[];
}

/** What making one file's content needs; the build gives real ones, tests may give their own. */
export interface Makers {
  /** a PDF evidence file (or a converted office file) ready to copy: its page sizes */
  pdfSizes(file: EvidenceFile): Promise<PageSize[]>;
  /** the photo prepared for its slot: its pixel size */
  photoSize(file: EvidenceFile): Promise<{ width: number; height: number }>;
  /** a text file's text, decoded */
  text(file: EvidenceFile): Promise<string>;
  /** the office file's conversion, when it failed: the warning to give */
  officeFailure(file: EvidenceFile): Promise<WarningDiag['params'] | undefined>;
  /** resolves once the file can be prepared without waiting (an office file: once converted) */
  ready?(file: EvidenceFile): Promise<void> | undefined;
  /** what opening a PDF found worth a warning (form values no appearance shows), once its sizes are read */
  pdfWarnings?(file: EvidenceFile): WarningDiag[];
}

export interface SupplementOptions {
  jobs: number;
  makers: Makers;
  /** text typeset into pages (the layout's), with the heading its first page needs, if any */
  typeset: (text: string, title: string) => { heading?: string; pages: string[][] };
  onFile?: (path: string) => void;
}

const orderKey = (f: EvidenceFile) => f.meta.order ?? Number.POSITIVE_INFINITY;

function compareFiles(a: EvidenceFile, b: EvidenceFile): number {
  return (
    orderKey(a) - orderKey(b) ||
    (a.meta.date ?? '9999').localeCompare(b.meta.date ?? '9999') ||
    naturalCompare(a.path, b.path)
  );
}

/** Photos sharing a requirement and a date form one item; everything else is an item alone. */
export function groupItems(files: EvidenceFile[]): EvidenceFile[][] {
  const sorted = [...files].sort(compareFiles);
  const groups: EvidenceFile[][] = [];
  const photoGroups = new Map<string, EvidenceFile[]>();
  for (const f of sorted) {
    if (f.kind === 'photo' && f.meta.date) {
      const g = photoGroups.get(f.meta.date);
      if (g) {
        g.push(f);
        continue;
      }
      const ng = [f];
      photoGroups.set(f.meta.date, ng);
      groups.push(ng);
    } else groups.push([f]);
  }
  return groups.sort((a, b) => compareFiles(a[0]!, b[0]!));
}

/**
 * The title of an item: a document's own; for photos one the archivist writes (GB/T 9705: in [ ]) —
 * the part their titles share, else the requirement's title — as “…照片（N张）”. A name that is only
 * a camera's or an app's (`meta.deviceName`) never counts as a title.
 */
export function groupTitle(files: EvidenceFile[], fallback: string): { title: string; made: boolean } {
  const first = files[0]!;
  const own = (f: EvidenceFile) => (f.meta.title && !f.meta.deviceName ? f.meta.title : undefined);
  if (first.kind !== 'photo') return own(first) ? { title: own(first)!, made: false } : { title: fallback, made: true };
  let prefix = own(first) ?? '';
  for (const f of files.slice(1)) {
    const t = own(f) ?? '';
    let i = 0;
    while (i < prefix.length && i < t.length && prefix[i] === t[i]) i++;
    prefix = prefix.slice(0, i);
  }
  prefix = prefix.replace(/[\s\d_\-.、·（(]+$/u, '').trim();
  return { title: photoTitle(prefix.length >= 2 ? prefix : fallback, files.length), made: true };
}

export async function supplement(manual: Manual, a: ALevelStatus, opts: SupplementOptions): Promise<SupplementResult> {
  const warnings: WarningDiag[] = [];
  const limit = pLimit(Math.max(1, opts.jobs));
  const perPage = manual.volume.photosPerPage;
  const { makers } = opts;
  const allFiles = a.indicators.flatMap((b) => [...b.requirements.flatMap((r) => r.files), ...b.other]);

  const contentOf = async (file: EvidenceFile): Promise<Content> => {
    opts.onFile?.(file.path);
    // a dynamic XFA form's pages exist only for Adobe Reader: a page says so (check warned `xfa-form`)
    if (file.xfa) return { kind: 'notice', file, cause: 'xfa-form', pages: 1 };
    try {
      if (OFFICE_TYPES.has(file.type)) {
        const failed = await makers.officeFailure(file);
        if (failed) {
          warnings.push({ path: file.path, code: 'not-converted', params: failed, indicator: file.bCode } as WarningDiag);
          return { kind: 'notice', file, cause: 'not-converted', pages: 1 };
        }
      }
      // (a multi-page TIFF scan is bound as the PDF its pages make, page by page: see convert/scan.ts)
      if (file.type === 'pdf' || OFFICE_TYPES.has(file.type) || isScan(file)) {
        const sizes = await makers.pdfSizes(file);
        if (sizes.length === 0) throw new Error('PDF 中没有页面');
        warnings.push(...(makers.pdfWarnings?.(file) ?? []));
        return { kind: 'pdf', file, sizes, pages: sizes.length };
      }
      if (file.type === 'txt' || file.type === 'md') {
        const t = opts.typeset(await makers.text(file), file.meta.title);
        return { kind: 'text', file, ...(t.heading ? { heading: t.heading } : {}), chunks: t.pages, pages: t.pages.length };
      }
      const size = await makers.photoSize(file);
      return { kind: 'photos', photos: [{ file, ...size }], perPage, pages: 1 };
    } catch (err) {
      // our temporary folder full or gone stops the build; it is not this file's fault
      if (isTempError(err)) throw err;
      warnings.push({ path: file.path, code: 'bind-failed', params: { message: failureMessage(err, file.kind === 'photo' ? 'photo' : file.type === 'txt' || file.type === 'md' ? 'text' : file.type === 'pdf' ? 'pdf' : 'document') }, indicator: file.bCode });
      return { kind: 'notice', file, cause: 'not-bound', pages: 1 };
    }
  };

  // Every file's content, in parallel up to --jobs; items are assembled in order afterwards.
  const contents = new Map<string, Promise<Content>>();
  // A file still being made ready (an office file in LibreOffice) waits without holding a place,
  // so photos are prepared meanwhile.
  for (const f of allFiles) {
    const ready = makers.ready?.(f);
    const content = ready ? ready.then(() => limit(() => contentOf(f)), () => limit(() => contentOf(f))) : limit(() => contentOf(f));
    // (only a failure that stops the build rejects; one coming after the build stopped on an earlier
    // file is not left unhandled, which would end the process with a stack trace)
    content.catch(() => {});
    contents.set(f.path, content);
  }

  const entries: Entry[] = [];
  for (const b of a.indicators) {
    entries.push({ type: 'form', b, pages: 1 });
    const itemsOf = async (files: EvidenceFile[], requirement: number | undefined, fallbackTitle: string) => {
      for (const group of groupItems(files)) {
        const parts = await Promise.all(group.map((f) => contents.get(f.path)!));
        // photos of one item share pages
        const photos = parts.flatMap((p) => (p.kind === 'photos' ? p.photos : []));
        const content: Content[] = parts.filter((p) => p.kind !== 'photos');
        if (photos.length > 0) content.unshift({ kind: 'photos', photos, perPage, pages: Math.ceil(photos.length / perPage) });
        const first = group[0]!;
        const { title, made } = groupTitle(group, fallbackTitle);
        const item: Item = {
          bCode: b.indicator.code,
          ...(requirement !== undefined ? { requirement } : {}),
          title,
          madeTitle: made,
          ...(first.meta.date ? { date: first.meta.date } : {}),
          ...(first.meta.docNo ? { docNo: first.meta.docNo } : {}),
          author: first.meta.author ?? manual.unitShort ?? manual.unit,
          ...(first.meta.note ? { note: first.meta.note } : {}),
          files: group,
          content,
          pages: content.reduce((n, c) => n + c.pages, 0),
        };
        entries.push({ type: 'item', item, pages: item.pages });
      }
    };
    for (const [i, r] of b.requirements.entries()) {
      await itemsOf(r.files, i, r.requirement.title);
      if (!r.satisfied) entries.push({ type: 'gap', b, req: r, pages: 1 });
    }
    await itemsOf(b.other, undefined, '其他材料');
  }
  return { entries, warnings };
}
