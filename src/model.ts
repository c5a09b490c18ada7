// Plain data passed between the pipeline stages. No behaviour lives here.
import type { PageKind } from './layout/model.js';

export type Kind = 'document' | 'photo' | 'any';
export type RetentionName = '永久' | '定期30年' | '定期10年';
/** 保管期限 and its code (DA/T 22) */
export const RETENTION_CODES = { 永久: 'Y', 定期30年: 'D30', 定期10年: 'D10' } as const satisfies Record<RetentionName, string>;

export interface Requirement {
  title: string;
  kind: Kind;
  match: string[];
  min: number;
}

export interface BLevel {
  code: string;
  title: string;
  owner?: string;
  due?: string;
  score?: number;
  method?: string;
  standard?: string;
  requirements: Requirement[];
}

export interface ALevel {
  code: string;
  title: string;
  owner?: string;
  score?: number;
  indicators: BLevel[];
}

export interface Manual {
  /** absolute path of manual.yaml */
  file: string;
  title: string;
  unit: string;
  /** short name for the 责任者 column */
  unitShort?: string;
  /** 归档号 on the cover */
  filingNo?: string;
  /** print the 归档章 on each item's first page */
  archiveStamp: boolean;
  fonds?: string;
  year?: number;
  period?: { from: string; to: string };
  retention: RetentionName;
  retentionCode: 'Y' | 'D30' | 'D10';
  checker?: string;
  exclude: string[];
  volume: { maxPages: number; photosPerPage: 1 | 2 | 4 };
  /** absolute paths */
  fonts: { song?: string; fang?: string; hei?: string };
  indicators: ALevel[];
}

/** What a file is, judged from its content (and its extension where content cannot tell). */
export type FileType =
  | 'pdf' | 'jpg' | 'png' | 'webp' | 'tif' | 'heic' | 'bmp' | 'gif'
  | 'avif'
  | 'doc' | 'docx' | 'xls' | 'xlsx' | 'ppt' | 'pptx' | 'wps' | 'et' | 'dps' | 'odt' | 'ods' | 'odp'
  | 'txt' | 'md'
  // office formats told apart by content (README, "Type detection"): macro-enabled, templates and
  // shows; binary workbooks; ODF drawings; Visio and Publisher; and what web systems export as
  // .doc/.xls — RTF, HTML, MHT, Word/Excel 2003 XML, CSV
  | 'docm' | 'dot' | 'dotx' | 'dotm' | 'xlsm' | 'xlsb' | 'xlt' | 'xltx' | 'xltm'
  | 'pptm' | 'pot' | 'potx' | 'potm' | 'pps' | 'ppsx' | 'ppsm' | 'odg' | 'vsd' | 'vsdx' | 'pub'
  | 'rtf' | 'html' | 'mht' | 'wordxml' | 'sheetxml' | 'csv';

export interface FileMeta {
  /** the title as written (sidecar, else file name); empty when the name was only a device's */
  title: string;
  /** the file name was only what a camera or app called it: the title is not a person's */
  deviceName?: boolean;
  /** YYYY-MM-DD */
  date?: string;
  dateSource?: DateSource;
  docNo?: string;
  author?: string;
  place?: string;
  people?: string;
  photographer?: string;
  caption?: string;
  note?: string;
  order?: number;
}

export type DropReason =
  | 'junk' | 'empty' | 'excluded' | 'unsupported' | 'unreadable' | 'encrypted' | 'lfs-pointer' | 'duplicate' | 'out-of-period';

export type WarningCode =
  | 'undated' | 'low-resolution' | 'reused' | 'type-mismatch' | 'not-converted' | 'bad-sidecar' | 'orphan-sidecar'
  | 'outside-link' | 'bind-failed' | 'name-encoding' | 'lookalike-name' | 'possibly-misplaced' | 'near-duplicate' | 'blurry'
  | 'multi-frame' | 'damaged-image'
  | 'missing-glyph'
  | 'text-encoding'
  | 'xfa-form' | 'form-appearance';

export type DateSource = 'sidecar' | 'name' | 'exif' | 'pdf';
export type SpecialFile = 'fifo' | 'socket' | 'device';

/**
 * The machine-readable facts of each drop reason (`params` in the report). `cause` is the finer
 * reason where one reason has several; the sentence shown to people (`detail`) is made from these
 * by the wording catalogue, never here.
 */
export interface DropParams {
  junk: { cause: 'office-lock' | 'hidden' | 'system' };
  empty: Record<string, never>;
  excluded: { pattern: string };
  unsupported:
    | { cause: 'special-file'; special: SpecialFile }
    | { cause: 'type'; detected: string; ext: string }
    | { cause: 'unknown-type'; ext: string }
    | { cause: 'too-many-pixels'; width: number; height: number; limit: number };
  unreadable:
    | { cause: 'truncated'; type: FileType }
    | { cause: 'corrupt'; type: FileType; what?: string }
    | { cause: 'unrecognized'; ext: string }
    | { cause: 'not-text'; ext: string }
    | { cause: 'io-error'; errno: string }
    | { cause: 'folder'; errno: string }
    | { cause: 'too-large'; type: FileType; size: number; limit: number };
  /** `type`: the legacy Office type whose stream carries the encryption flag (absent for an encrypted OOXML package) */
  encrypted: { cause: 'pdf-password' | 'pdf-certificate' | 'office-password'; type?: FileType };
  /** a Git LFS pointer in place of the file: `size` of the real file, `include` the folder to pull (from the repository's root) */
  'lfs-pointer': { oid: string; size: number; include: string };
  duplicate: { of: string };
  'out-of-period': { date: string; source: DateSource; from: string; to: string };
}

export interface WarningParams {
  /** `cause: 'camera-clock'`: the photo's EXIF date (`exif`, as stored) is no real date (0000:00:00, 1970-01-01, 2024:02:30 …) */
  undated: Record<string, never> | { cause: 'camera-clock'; exif: string };
  'low-resolution': { width: number; height: number; min: number };
  /** `others`: the first copy lists every other; each other copy names the first, `more` counts the copies it does not name */
  reused: { others: { path: string; indicator: string }[]; more?: number };
  'type-mismatch': { detected: FileType; ext: string };
  'not-converted':
    | { cause: 'no-libreoffice' }
    | { cause: 'conversion-failed'; message?: string }
    /** the LibreOffice installed lacks the module this type needs; `package`: Debian's package that brings it */
    | { cause: 'missing-module'; module: 'writer' | 'calc' | 'impress' | 'draw'; package: string }
    /** LibreOffice could not start at all (not the file's fault) */
    | { cause: 'libreoffice-failed'; message?: string }
    /** LibreOffice held more memory than the cap (`limitMB`, CHUANGCHENG_SOFFICE_MEMORY_MB) on this file and was stopped */
    | { cause: 'memory-limit'; limitMB: number }
    | { cause: 'no-page-renderer'; pages: number }
    | { cause: 'page-render-failed'; pages: number; message?: string };
  'bad-sidecar':
    | { cause: 'yaml'; message: string }
    | { cause: 'not-a-map' }
    | { cause: 'unknown-key'; key: string }
    | { cause: 'bad-order' }
    | { cause: 'bad-date'; value: string }
    | { cause: 'not-text'; key: string }
    | { cause: 'unusable'; message: string };
  'orphan-sidecar': { owner: string };
  'outside-link': { cause: 'outside' | 'dangling' | 'loop' | 'repeat' };
  /** `pages`: the 1-based pages of the file that could not be copied (the rest of the file was); none: the whole file */
  'bind-failed': { message: string; pages?: number[] };
  /** a dynamic XFA form: only Adobe Reader draws its pages; not bound, and not counted for a requirement */
  'xfa-form': Record<string, never>;
  /** `fields` form fields hold a value that no appearance stream shows (bound as empty boxes) */
  'form-appearance': { fields: number };
  'name-encoding': { encoding: 'gb18030' | 'unknown'; raw: string };
  'lookalike-name': { other: string };
  /** a file in 其他材料 that `requirement` of B-level `indicator` would take, by its `match` or its title's words */
  'possibly-misplaced': { indicator: string; title: string; requirement: string; by: 'match' | 'title' };
  /** the same picture as `of` (resized, recompressed): `distance` of 63 perceptual-hash bits differ */
  'near-duplicate': { of: string; distance: number };
  /** the photo's steepest edges are wide: `sharpness` (1/edge width on a 512-pixel copy) is below `threshold` */
  blurry: { sharpness: number; threshold: number };
  /** an animated GIF or WebP of `frames` frames: the first is bound */
  'multi-frame': { frames: number };
  /** the photo's image data is damaged (`cause`); what the decoder recovered is bound, re-encoded */
  'damaged-image': { cause: 'corrupt-data' | 'missing-data' | 'invalid-markers' };
  /**
   * characters no font has (neither the volume's nor a fallback): drawn in the PDF (`path`) as a box
   * holding the code point, on `pages` (1-based) of the kinds `places`; `files`: the evidence whose
   * names, sidecar facts or text hold them
   */
  'missing-glyph': { chars: { text: string; code: string }[]; pages: number[]; places: PageKind[]; files: string[] };
  /**
   * A text file (or 缺项说明) whose decoding is not sure: `replaced` bytes that are not valid in
   * `encoding` (shown as �), or `confidence: 'uncertain'` (another encoding reads it almost as well).
   */
  'text-encoding': { encoding: 'utf-8' | 'gb18030' | 'big5' | 'utf-16le' | 'utf-16be'; replaced?: number; confidence?: 'uncertain' };
}

type DropOf<R extends DropReason> = { path: string; reason: R; params: DropParams[R]; indicator?: string };
type WarningOf<C extends WarningCode> = { path: string; code: C; params: WarningParams[C]; indicator?: string };

/** A dropped file, as the stages report it (the report adds `detail`). */
export type DropDiag = { [R in DropReason]: DropOf<R> }[DropReason];
/** A warning, as the stages report it (the report adds `detail`). */
export type WarningDiag = { [C in WarningCode]: WarningOf<C> }[WarningCode];

/** `indicator` (an extension of contract §6): the B-level code the file sits under, when it has one. */
export type Dropped = DropDiag & { detail: string };
export type Warning = WarningDiag & { detail: string };

/** One evidence file that survived selection. */
export interface EvidenceFile {
  /** relative to the evidence folder, with `/` */
  path: string;
  /** what to open: an absolute path, as bytes when the name is not UTF-8 or the path is very long */
  abs: string | Buffer;
  size: number;
  type: FileType;
  kind: 'document' | 'photo';
  bCode: string;
  aCode: string;
  /** the path inside the B-level folder, used for `match` */
  inner: string;
  meta: FileMeta;
  width?: number;
  height?: number;
  /** EXIF orientation 1–8 where the photo has one */
  orientation?: number;
  /** page count when the PDF trailer or a cheap read tells (a TIFF: its full-size pages) */
  pages?: number;
  /** the photo's image data is damaged but decodes (a `damaged-image` warning): never passed through as it is */
  damaged?: boolean;
  /** a dynamic XFA form (its pages exist only for Adobe Reader): never counted for a requirement */
  xfa?: true;
}

/** Why a file of 其他材料 was not taken by a requirement: its name, its kind, or it has no content (a dynamic XFA form). */
export type UnmatchedCause = 'pattern' | 'kind' | 'xfa-form';

export interface RequirementStatus {
  requirement: Requirement;
  files: EvidenceFile[];
  satisfied: boolean;
  /** unsatisfied while the B-level holds 其他材料: those files, and why this requirement did not take each */
  unmatched?: { match: string[]; files: { path: string; cause: UnmatchedCause }[] };
}

/** A folder or file whose name nearly begins with a B-level code: the name it should have. */
export interface Suggestion {
  /** the folder (or file) to rename, relative to the evidence folder */
  path: string;
  /** the B-level code it nearly names */
  indicator: string;
  /** the corrected name (the last component only) */
  name: string;
  kind: 'folder' | 'file';
  /** how many unassigned files the rename would place */
  files: number;
}

export interface BLevelStatus {
  indicator: BLevel;
  aCode: string;
  requirements: RequirementStatus[];
  other: EvidenceFile[];
  satisfied: boolean;
  overdue: boolean;
  /** why material is missing, in the unit's words (`缺项说明.txt` in the B-level folder) */
  reason?: string;
}

export interface ALevelStatus {
  indicator: ALevel;
  indicators: BLevelStatus[];
  satisfied: boolean;
}

export interface Assessment {
  manual: Manual;
  evidenceDir: string;
  today: string;
  indicators: ALevelStatus[];
  kept: EvidenceFile[];
  /** content SHA-256 of the kept files that could be equal to another (path → hash); `reused` is found from them */
  hashes?: ReadonlyMap<string, string>;
  dropped: DropDiag[];
  unassigned: string[];
  /** (`reused` is not among them: the report finds it over all A-levels, from the hashes) */
  warnings: WarningDiag[];
  suggestions: Suggestion[];
}
