// What `build` is given, what it reports as it goes and what it gives back, and what its stages
// pass on to each other: the types every module of build/ shares (none of them imports another's).
import type { PhotosMeasuredOnce } from '../convert/photo-once.js';
import type { CheckOptions } from '../check/options.js';
import type { ALevelStatus, Assessment } from '../model.js';
import type { ProjectPaths } from '../project/index.js';
import type { Report } from '../report/report.js';
import type { ShardSpec } from '../shards/plan.js';

export type BuildEvent =
  | { type: 'start'; volumes: number; files: number }
  | { type: 'volume'; code: string; title: string; index: number; of: number }
  | { type: 'file'; path: string }
  /** `reused`: the volume's inputs did not change since it was written, and it was kept as it is */
  | { type: 'written'; files: string[]; pages: number; items: number; reused?: boolean };

export interface BuildOptions extends Omit<CheckOptions, 'today'> {
  /** 立卷时间, YYYY-MM-DD: printed on every 备考表, the date of the files (default: today, by this computer's clock) */
  date?: string;
  /** today's date for `overdue` in report.json (default: `date`) */
  today?: string;
  out?: string;
  /** A-level codes to build (default: all) */
  only?: string[];
  /**
   * Build shard `index` of `of` (see `plan`): its A-levels' volumes and shard.json, which `merge`
   * combines with the other shards' into what one build writes. Not with `only`.
   */
  shard?: ShardSpec;
  formats?: ('pdf' | 'docx')[];
  strict?: boolean;
  /** files prepared at once (default 2) */
  jobs?: number;
  /** LibreOffice's soffice: a path; null to bind office files as not convertible; default: looked up on the PATH */
  soffice?: string | null;
  /** seconds LibreOffice may spend on one file before it is stopped (default 120) */
  sofficeTimeout?: number;
  /**
   * The memory LibreOffice may hold, in MB, before it is stopped and the file it was converting is
   * reported (`memory-limit`); default 2048 (or half the machine's memory when less); null: no cap.
   * Watched on Linux (/proc); elsewhere there is no cap.
   */
  sofficeMemoryMB?: number | null;
  /** where the run's temporary folder goes (default: the system's, `os.tmpdir()`) */
  tempDir?: string;
  /**
   * The environment of the programs build starts (LibreOffice, pdftoppm) and the PATH they are
   * found on (default: this process's, `process.env`).
   */
  env?: NodeJS.ProcessEnv;
  onProgress?: (e: BuildEvent) => void;
}

export interface BuildResult {
  report: Report;
  outDir: string;
  files: string[];
  /** outputs of an earlier build that this one would have removed, left because they were changed */
  leftAlone: string[];
  /** volumes kept from the previous build because nothing they are made from changed */
  reused: number;
  /** requirements without material in the A-levels built (all of them unless `only`) */
  gaps: number;
  /** what --strict fails on: gaps, and files that could not be bound */
  problems: number;
  seconds: number;
  /** a shard build: which, and its A-levels */
  shard?: ShardSpec & { only: string[] };
}

/** The options checked, with their defaults (build/options.ts). */
export interface BuildSettings {
  paths: ProjectPaths;
  /** the output folder as given (relative to the working folder) */
  out: string;
  formats: ('pdf' | 'docx')[];
  date: string;
  today: string;
  jobs: number;
  /** A-level codes to build; undefined: all */
  only?: string[];
  shard?: ShardSpec;
  /** the cache folder, absolute; undefined: no cache */
  cacheDir: string | undefined;
  tempDir: string;
  env: NodeJS.ProcessEnv;
}

/** What the stages after select share: the options, what check found, the A-levels to build and their names. */
export interface BuildRun {
  opts: BuildOptions;
  settings: BuildSettings;
  assessment: Assessment;
  aLevels: ALevelStatus[];
  baseNames: Map<string, string>;
  started: number;
  /** a shard of a sharded build: shard.json is written instead of report.json and 目录.xlsx */
  shard?: ShardRun;
  /** photos prepared while check measured them, for binding to take (one decode per photo) */
  once?: PhotosMeasuredOnce;
}

export interface ShardRun {
  spec: ShardSpec;
  /** the A-level codes of every shard */
  plan: string[][];
  /** SHA-256 of the manual file */
  manualHash: string;
}

