// Plain data passed between the pipeline stages. No behaviour lives here.

export type Kind = 'document' | 'photo' | 'any';
export type RetentionName = '永久' | '定期30年' | '定期10年';

export interface Requirement {
  title: string;
  kind: Kind;
  match: string[];
  min: number;
  /** true when the manual gave no `evidence` list and we stand in "at least one file of any kind" */
  implicit: boolean;
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
  fonds?: string;
  year?: number;
  period?: { from: string; to: string };
  retention: RetentionName;
  retentionCode: 'Y' | 'D30' | 'D10';
  checker?: string;
  exclude: string[];
  volume: { maxPages: number; photosPerPage: 1 | 2 | 4 };
  /** absolute paths */
  fonts: { song?: string; fang?: string; hei?: string; kai?: string };
  indicators: ALevel[];
}

/** What a file is, judged from its content (and its extension where content cannot tell). */
export type FileType =
  | 'pdf' | 'jpg' | 'png' | 'webp' | 'tif' | 'heic' | 'bmp' | 'gif'
  | 'doc' | 'docx' | 'xls' | 'xlsx' | 'ppt' | 'pptx' | 'wps' | 'et' | 'dps' | 'odt' | 'ods' | 'odp'
  | 'txt' | 'md';

export interface FileMeta {
  title: string;
  /** YYYY-MM-DD */
  date?: string;
  dateSource?: 'sidecar' | 'name' | 'exif' | 'pdf';
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
  | 'junk' | 'empty' | 'excluded' | 'unsupported' | 'unreadable' | 'encrypted' | 'duplicate' | 'out-of-period';

export type WarningCode =
  | 'undated' | 'low-resolution' | 'reused' | 'type-mismatch' | 'not-converted' | 'bad-sidecar' | 'orphan-sidecar'
  | 'outside-link' | 'bind-failed';

/** `indicator` (an extension of contract §6): the B-level code the file sits under, when it has one. */
export interface Dropped { path: string; reason: DropReason; detail: string; indicator?: string }
export interface Warning { path: string; code: WarningCode; detail: string; indicator?: string }

/** One evidence file that survived selection. */
export interface EvidenceFile {
  /** relative to the evidence folder, with `/` */
  path: string;
  /** absolute path on disk */
  abs: string;
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
  /** page count when the PDF trailer or a cheap read tells */
  pages?: number;
  /** sha256 of the content, when it had to be computed for duplicate detection */
  sha256?: string;
}

export interface RequirementStatus {
  requirement: Requirement;
  files: EvidenceFile[];
  satisfied: boolean;
}

export interface BLevelStatus {
  indicator: BLevel;
  aCode: string;
  requirements: RequirementStatus[];
  other: EvidenceFile[];
  satisfied: boolean;
  overdue: boolean;
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
  dropped: Dropped[];
  unassigned: string[];
  warnings: Warning[];
}
