// What a build writes beside its volumes — report.json and 目录.xlsx — put together from parts: the
// report's parts (report/report.ts: one per A-level, one for the evidence outside them) and, per
// A-level built, what binding made of it (its volumes, their 卷内目录 rows, the warnings binding
// found). `build` assembles the parts of its own run; `merge` the parts of all shards, read back
// from their shard.json. Both call `writeAssembly` with the same JSON data, so the merged folder is
// what one build writes by construction, not by coincidence.
import type { WarningDiag } from '../model.js';
import type { OutputFolder } from '../output/folder.js';
import { composeReport, keptFiles, withWarningDetail, type ALevelPart, type GlobalPart, type Report, type ReportHeader, type VolumeReport } from './report.js';
import type { CatalogueSheet } from './xlsx.js';

export const REPORT = 'report.json';
export const CATALOGUE = '目录.xlsx';

/** What binding one A-level made: its volumes, the rows of their 卷内目录, its warnings. */
export interface BuiltPart {
  volumes: VolumeReport[];
  catalogue: CatalogueSheet[];
  /** `bind-failed` and `not-converted`, as binding found them */
  warnings: WarningDiag[];
}

export interface AssemblyALevel extends ALevelPart {
  /** absent for an A-level not built (`--only`) */
  built?: BuiltPart;
}

/** Everything report.json and 目录.xlsx are made from: plain JSON data. */
export interface Assembly {
  header: ReportHeader;
  global: GlobalPart;
  /** every A-level of the manual, in its order */
  aLevels: AssemblyALevel[];
}

/** The data as a shard records it and merge reads it back: what build assembles from too. */
export function asRecorded<T>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T;
}

/** report.json: check's report of all A-levels, the volumes built, and what binding warned about. */
export function assembleReport(a: Assembly): Report {
  const report: Report = { ...composeReport(a), volumes: a.aLevels.flatMap((p) => p.built?.volumes ?? []) };
  report.warnings = [...report.warnings, ...a.aLevels.flatMap((p) => p.built?.warnings ?? []).map(withWarningDetail)].sort((x, y) =>
    x.path < y.path ? -1 : x.path > y.path ? 1 : 0,
  );
  report.summary.warnings = report.warnings.length;
  return report;
}

/** Write 目录.xlsx (a 卷内目录 sheet per volume, then the 台账) and report.json. */
export async function writeAssembly(out: OutputFolder, a: Assembly, date: string): Promise<Report> {
  const report = assembleReport(a);
  const { renderCatalogueXlsx } = await import('./xlsx.js');
  await out.write(CATALOGUE, await renderCatalogueXlsx(keptFiles(a), report, a.aLevels.flatMap((p) => p.built?.catalogue ?? []), date));
  await out.write(REPORT, JSON.stringify(report, null, 2) + '\n');
  return report;
}
