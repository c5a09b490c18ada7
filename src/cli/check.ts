import path from 'node:path';
import chalk from 'chalk';
import { assertOutsideEvidence, check, resolvePaths, UsageError } from '../api.js';
import { realpathDeep } from '../util/fsx.js';
import { cacheOption, today } from './env.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderText, summaryLine } from '../report/text.js';
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
}

export async function runCheck(dir: string, flags: CheckFlags): Promise<void> {
  const todayDate = today(flags.today);
  if (flags.format === 'xlsx' && !flags.output) {
    throw new UsageError('--format xlsx 会生成 Excel 文件，请用 --output 指定文件名，例如 --output 台账.xlsx');
  }
  if (flags.output) {
    assertOutsideEvidence(flags.output, flags.evidence ?? path.join(dir, 'evidence'));
    // `--output manual.yaml` (a slip of the tab key) would replace the manual with the report
    const manual = resolvePaths({ dir, manual: flags.manual }).manual;
    if (realpathDeep(flags.output) === realpathDeep(manual)) {
      throw new UsageError(`--output ${flags.output} 就是测评手册，写入会覆盖手册。请换一个文件名，例如 --output 台账.xlsx`);
    }
  }
  const { report, assessment } = await check({ dir, manual: flags.manual, evidence: flags.evidence, today: todayDate, cache: cacheOption(flags.cache) });
  let text: string | Uint8Array;
  switch (flags.format) {
    case 'xlsx':
      // exceljs is large: loaded only for this format
      text = await (await import('../report/xlsx.js')).renderCheckXlsx(assessment, report, assessment.today);
      break;
    case 'html':
      // the dashboard is loaded only for this format; it takes several units, here the one checked
      text = (await import('../report/html.js')).renderHtml([{ name: report.unit, report }]);
      break;
    case 'json':
      text = JSON.stringify(report, null, 2) + '\n';
      break;
    case 'junit':
      text = renderJunit(report);
      break;
    case 'markdown':
      text = renderMarkdown(report, flags.by);
      break;
    default:
      text = renderText(report, { by: flags.by, color: !flags.output && chalk.level > 0 });
  }
  await emit(text, flags.output);
  if (flags.output) process.stderr.write(`${summaryLine(report)}\n报告已写入 ${flags.output}\n`);
  process.exitCode = report.summary.gaps > 0 ? EXIT.gaps : EXIT.ok;
}

