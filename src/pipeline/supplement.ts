// 补充完善 (the making half): turn every kept file of one A-level into content that has pages —
// PDF pages, prepared photos, typeset text, converted office files — grouped into items (件), with
// a 缺项说明 where a requirement is short. A file that fails here gets a page that says so.
import pLimit from 'p-limit';
import { EncryptedPDFError, PDFDocument } from 'pdf-lib';
import { decryptPdf, repairPdf } from '../convert/decrypt.js';
import { convertOffice } from '../convert/office.js';
import { preparePhoto, type PreparedPhoto } from '../convert/photo.js';
import { readText } from '../convert/text.js';
import { OFFICE_TYPES } from '../evidence/filetype.js';
import type { ALevelStatus, BLevelStatus, EvidenceFile, Manual, RequirementStatus, WarningDiag } from '../model.js';
import { naturalCompare } from '../util/natural.js';
import { readRegularFile } from '../util/fsx.js';
import type { Workspace } from '../util/workspace.js';
import { stripActions } from '../render/pdf/sanitize.js';
import { MAX_PDF_BYTES, MAX_TEXT_BYTES } from '../evidence/limits.js';
import { warningDetail } from '../wording/diagnostics.js';

export interface PhotoPart {
  file: EvidenceFile;
  photo: PreparedPhoto;
}

export type Content =
  | { kind: 'pdf'; file: EvidenceFile; doc: PDFDocument; bytes: Uint8Array; pages: number }
  | { kind: 'photos'; photos: PhotoPart[]; perPage: 1 | 2 | 4; pages: number }
  | { kind: 'text'; file: EvidenceFile; lines: string[]; perPage: number; pages: number }
  | { kind: 'notice'; file: EvidenceFile; heading: string; body: string; pages: 1 };

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

export interface SupplementOptions {
  jobs: number;
  /** temporary files and child processes of this run */
  workspace: Workspace;
  /** photo slot size in pixels for `photosPerPage` */
  photoBox: { width: number; height: number };
  /** text typeset into lines, and how many a page holds (the layout binding will use) */
  typeset: (text: string) => { lines: string[]; perPage: number };
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

/** “创城主题班会 1”, “创城主题班会 2” → “创城主题班会（2张）”. */
export function groupTitle(files: EvidenceFile[], fallback: string): { title: string; made: boolean } {
  if (files.length === 1) return { title: files[0]!.meta.title, made: false };
  const titles = files.map((f) => f.meta.title);
  let prefix = titles[0]!;
  for (const t of titles.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < t.length && prefix[i] === t[i]) i++;
    prefix = prefix.slice(0, i);
  }
  prefix = prefix.replace(/[\s\d_\-.、·（(]+$/u, '').trim();
  return { title: `${prefix || fallback}（${files.length}张）`, made: true };
}

export async function supplement(manual: Manual, a: ALevelStatus, opts: SupplementOptions): Promise<SupplementResult> {
  const warnings: WarningDiag[] = [];
  const limit = pLimit(Math.max(1, opts.jobs));
  const perPage = manual.volume.photosPerPage;

  // Office files of the whole volume in one LibreOffice call.
  const allFiles = a.indicators.flatMap((b) => [...b.requirements.flatMap((r) => r.files), ...b.other]);
  const office = allFiles.filter((f) => OFFICE_TYPES.has(f.type));
  const converted = new Map<string, Awaited<ReturnType<typeof convertOffice>>[number]>();
  if (office.length > 0) {
    const results = await convertOffice(office.map((f) => ({ abs: f.abs, ext: f.type })), opts.workspace);
    office.forEach((f, i) => converted.set(f.path, results[i]!));
  }

  const notice = (file: EvidenceFile, heading: string, body: string): Content => ({ kind: 'notice', file, heading, body, pages: 1 });

  const loadPdf = async (file: EvidenceFile, bytes: Uint8Array): Promise<Content> => {
    let doc: PDFDocument;
    try {
      doc = await PDFDocument.load(bytes, { updateMetadata: false });
    } catch (err) {
      // pdf-lib refuses encrypted files (its error class is not reliably the one we import); other
      // failures are damaged structure, which qpdf rebuilds as poppler would read it
      const encrypted = err instanceof EncryptedPDFError || /encrypted/i.test(String((err as Error).message));
      bytes = encrypted ? await decryptPdf(bytes) : await repairPdf(bytes);
      doc = await PDFDocument.load(bytes, { updateMetadata: false });
    }
    const pages = doc.getPageCount();
    if (pages === 0) throw new Error('PDF 中没有页面');
    stripActions(doc);
    return { kind: 'pdf', file, doc, bytes, pages };
  };

  const contentOf = async (file: EvidenceFile): Promise<Content> => {
    opts.onFile?.(file.path);
    try {
      if (file.type === 'pdf') return await loadPdf(file, new Uint8Array(readRegularFile(file.abs, file.path, MAX_PDF_BYTES)));
      if (OFFICE_TYPES.has(file.type)) {
        const c = converted.get(file.path)!;
        if (!c.ok) {
          const w: WarningDiag = { path: file.path, code: 'not-converted', params: c.params, indicator: file.bCode };
          warnings.push(w);
          return notice(file, '此文件未能转换成页面', `文件：${file.path}\n\n${warningDetail(w)}`);
        }
        return await loadPdf(file, c.pdf);
      }
      if (file.type === 'txt' || file.type === 'md') {
        const text = readText(readRegularFile(file.abs, file.path, MAX_TEXT_BYTES));
        const { lines, perPage } = opts.typeset(text);
        return { kind: 'text', file, lines, perPage, pages: Math.max(1, Math.ceil(lines.length / perPage)) };
      }
      const photo = await preparePhoto(file, opts.photoBox.width, opts.photoBox.height);
      return { kind: 'photos', photos: [{ file, photo }], perPage, pages: 1 };
    } catch (err) {
      const w: WarningDiag = { path: file.path, code: 'bind-failed', params: { message: err instanceof Error ? err.message : String(err) }, indicator: file.bCode };
      warnings.push(w);
      return notice(file, '此文件无法装订', `文件：${file.path}\n\n${warningDetail(w)}`);
    }
  };

  // Every file's content, in parallel up to --jobs; items are assembled in order afterwards.
  const contents = new Map<string, Promise<Content>>();
  for (const f of allFiles) contents.set(f.path, limit(() => contentOf(f)));

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
          author: first.meta.author ?? manual.unit,
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
