import path from 'node:path';
import chalk from 'chalk';
import { check } from '../check/index.js';
import { ChuangchengError, isOptionError } from '../errors.js';
import { resolvePaths } from '../project/index.js';
import { guardOutput } from '../output/guard.js';
import { printable } from '../util/printable.js';
import { realpathDeep } from '../util/fsx.js';
import { cacheOption, libraryConsole, today } from './env.js';
import { renderJunit, renderUnitsJunit } from '../report/junit.js';
import { renderMarkdown, renderUnitsMarkdown } from '../report/markdown.js';
import { renderText, renderUnitsText, summaryLine } from '../report/text.js';
import { combineUnits, fails, unitLabels, type FailOn, type UnitEntry } from '../report/units.js';
import type { Assessment } from '../model.js';
import { EXIT } from './exit.js';
import { emit } from './output.js';

export interface CheckFlags {
  manual?: string;
  evidence?: string;
  format: 'text' | 'json' | 'junit' | 'markdown' | 'xlsx' | 'html';
  output?: string;
  by: 'indicator' | 'owner';
  today?: string;
  cache?: string | boolean;
  failOn?: FailOn;
}

export async function runCheck(dirArgs: string[] | string, flags: CheckFlags): Promise<void> {
  const todayDate = today(flags.today);
  const dirs = (Array.isArray(dirArgs) ? dirArgs : [dirArgs]).filter((d) => d !== '');
  if (dirs.length === 0) dirs.push('.');
  if (dirs.length > 1 && (flags.manual || flags.evidence)) {
    throw new ChuangchengError('check-units-with-paths', {});
  }
  const seen = new Map<string, string>();
  for (const d of dirs) {
    const real = realpathDeep(d);
    if (seen.has(real)) throw new ChuangchengError('check-unit-twice', { dir: d, same: seen.get(real)! });
    seen.set(real, d);
  }
  if (flags.format === 'xlsx' && flags.output === undefined) {
    throw new ChuangchengError('check-xlsx-needs-output', {});
  }
  // where the report goes: never into evidence, never a FIFO or a device (output/guard.ts)
  let output: string | undefined;
  if (flags.output !== undefined) {
    output = guardOutput(flags.output, { option: '--output', kind: 'file', evidence: dirs.map((dir) => flags.evidence ?? path.join(dir, 'evidence')) });
    for (const dir of dirs) {
      // `--output manual.yaml` (a slip of the tab key) would replace the manual with the report
      const manual = resolvePaths({ dir, manual: flags.manual }).manual;
      if (output === realpathDeep(manual)) {
        throw new ChuangchengError('check-output-is-manual', { output: flags.output });
      }
    }
  }
  const units: (UnitEntry & { assessment: Assessment })[] = [];
  for (const dir of dirs) {
    try {
      const { report, assessment } = await check({ dir, manual: flags.manual, evidence: flags.evidence, today: todayDate, cache: cacheOption(flags.cache), console: libraryConsole() });
      units.push({ dir, report, assessment });
    } catch (err) {
      // with several units, say which one is wrong (an option is wrong for all of them)
      if (dirs.length > 1 && err instanceof ChuangchengError && !isOptionError(err)) {
        throw new ChuangchengError('check-unit-failed', { dir, message: err.text('cli'), details: err.details }, { cause: err });
      }
      throw err;
    }
  }
  const text = dirs.length === 1 ? await renderOne(units[0]!, flags) : await renderUnits(units, flags);
  await emit(text, output);
  if (output !== undefined) {
    const line = units.length === 1 ? summaryLine(units[0]!.report) : `${units.length} 个单位，${units.filter((u) => u.report.summary.gaps > 0).length} 个缺材料。`;
    process.stderr.write(`${line}\n报告已写入 ${printable(flags.output!)}\n`);
  }
  process.exitCode = fails(units.map((u) => u.report), flags.failOn ?? 'gaps') ? EXIT.gaps : EXIT.ok;
}

async function renderOne({ report, assessment }: UnitEntry & { assessment: Assessment }, flags: CheckFlags): Promise<string | Uint8Array> {
  switch (flags.format) {
    case 'xlsx':
      // exceljs is large: loaded only for this format
      return (await import('../report/xlsx.js')).renderCheckXlsx(assessment, report, assessment.today);
    case 'html':
      // the dashboard is loaded only for this format; it takes several units, here the one checked
      return (await import('../report/html.js')).renderHtml([{ name: report.unit, report }]);
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'junit':
      return renderJunit(report);
    case 'markdown':
      return renderMarkdown(report, flags.by);
    default:
      return renderText(report, { by: flags.by, color: flags.output === undefined && chalk.level > 0 });
  }
}

async function renderUnits(units: (UnitEntry & { assessment: Assessment })[], flags: CheckFlags): Promise<string | Uint8Array> {
  switch (flags.format) {
    case 'xlsx':
      return (await import('../report/xlsx.js')).renderUnitsXlsx(units, units[0]!.assessment.today);
    case 'html': {
      const labels = unitLabels(units);
      return (await import('../report/html.js')).renderHtml(units.map((u, i) => ({ name: labels[i]!, report: u.report })));
    }
    case 'json':
      return JSON.stringify(combineUnits(units), null, 2) + '\n';
    case 'junit':
      return renderUnitsJunit(units);
    case 'markdown':
      return renderUnitsMarkdown(units, flags.by);
    default:
      return renderUnitsText(units, { by: flags.by, color: flags.output === undefined && chalk.level > 0 });
  }
}
