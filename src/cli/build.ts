import { availableParallelism } from 'node:os';
import path from 'node:path';
import chalk from 'chalk';
import { build, type BuildEvent, type BuildResult } from '../build/index.js';
import { parseShardSpec } from '../shards/plan.js';
import { EXIT } from './exit.js';
import { buildDate, cacheOption, numberOf, runtime, sofficeMemoryOption, sofficeOption, sofficeTimeoutOption } from './env.js';
import { isWide } from '../util/width.js';
import { unmatchedText } from '../wording/labels.js';
import { notBoundSummary } from './not-bound.js';
import { printable } from '../util/printable.js';

export interface BuildFlags {
  manual?: string;
  evidence?: string;
  out?: string;
  only?: string;
  format: string;
  strict?: boolean;
  date?: string;
  jobs?: string;
  cache?: string | boolean;
  shard?: string;
}

/** Progress on a terminal: one line rewritten in place; in CI (no TTY): a plain line per volume. */
function progress(tty: boolean): { onEvent: (e: BuildEvent) => void; done: () => void } {
  let volumes = 0;
  let volumeDone = 0;
  let files = 0;
  let filesDone = 0;
  let current = '';
  const line = (s: string) => {
    // fit the terminal by display width: CJK characters take two columns
    const cols = (process.stderr.columns ?? 100) - 1;
    let width = 0;
    let shown = '';
    for (const ch of s) {
      const w = isWide(ch) ? 2 : 1;
      if (width + w > cols) break;
      width += w;
      shown += ch;
    }
    process.stderr.write(`\r\u001b[K${shown}`);
  };
  return {
    onEvent(e) {
      if (e.type === 'start') {
        volumes = e.volumes;
        files = e.files;
        if (!tty) process.stderr.write(`装订 ${volumes} 个一级指标，共 ${files} 个文件…\n`);
      } else if (e.type === 'volume') {
        current = printable(`${e.code} ${e.title}${e.of > 1 ? ` 第${e.index}卷` : ''}`);
        if (tty) line(`[${volumeDone}/${volumes} 卷] ${current}：排版装订…`);
      } else if (e.type === 'file') {
        filesDone++;
        if (tty) line(`[${volumeDone}/${volumes} 卷，${filesDone}/${files} 个文件] ${printable(e.path)}`);
      } else if (e.type === 'written') {
        volumeDone++;
        if (tty) line('');
        process.stderr.write(`${tty ? '\r\u001b[K' : ''}✔ ${printable(e.files.join('、'))}：${e.items} 件，${e.pages} 页${e.reused ? '（材料未变，沿用上次装订的文件）' : ''}\n`);
      }
    },
    done() {
      if (tty) line('');
      if (tty) process.stderr.write('\r\u001b[K');
    },
  };
}

export async function runBuild(dir: string, flags: BuildFlags): Promise<void> {
  // (the options are checked by build, once: its errors name the flags, see src/wording/errors.ts)
  const formats = flags.format.split(',').map((f) => f.trim()).filter(Boolean);
  const shard = flags.shard !== undefined ? parseShardSpec(flags.shard) : undefined;
  const p = progress(Boolean(process.stderr.isTTY));
  let result;
  try {
    result = await build({
      dir,
      manual: flags.manual,
      evidence: flags.evidence,
      out: flags.out,
      only: flags.only ? flags.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
      ...(shard ? { shard } : {}),
      formats: formats as ('pdf' | 'docx')[],
      strict: flags.strict,
      date: buildDate(flags.date),
      jobs: flags.jobs !== undefined ? (numberOf(flags.jobs) as number) : Math.min(4, availableParallelism()),
      soffice: sofficeOption(),
      sofficeTimeout: sofficeTimeoutOption(),
      ...(sofficeMemoryOption() !== undefined ? { sofficeMemoryMB: sofficeMemoryOption()! } : {}),
      cache: cacheOption(flags.cache),
      ...runtime(),
      onProgress: p.onEvent,
    });
  } finally {
    p.done();
  }
  // the output folder as the user gave it (--out, else <dir>/out), never a path relative to here
  // that the user never typed (../../dev/shm/x)
  const where = printable(flags.out ?? path.join(dir, 'out'));
  if (result.shard) return printShard(result, Boolean(flags.strict), where);
  const r = result.report;
  const s = r.summary;
  const pages = (r.volumes ?? []).reduce((n, v) => n + v.pages, 0);
  const c = chalk;
  const notBound = notBoundSummary(r.warnings);
  const out: string[] = [];
  out.push(
    `${c.bold('装订完成')}：${r.volumes?.length ?? 0} 卷，${pages} 页${result.reused > 0 ? `（其中 ${result.reused} 卷材料未变，沿用上次的文件）` : ''}，用时 ${result.seconds.toFixed(1)} 秒。输出在 ${where}`,
  );
  out.push(result.gaps > 0 ? c.red(`${result.gaps < s.gaps ? '所装订的指标中' : ''}缺 ${result.gaps} 项材料（已在卷中附缺项说明）；运行 chuangcheng check --by owner 查看待办。`) : c.green(s.gaps > 0 ? `所装订的指标材料齐全（其他指标还缺 ${s.gaps} 项）。` : '材料齐全。'));
  // a 缺项说明 bound beside the very file that was meant for it contradicts itself: say so here too
  for (const a of r.indicators) {
    for (const b of a.indicators) {
      for (const q of b.requirements) {
        const why = unmatchedText(q);
        if (why) out.push(c.yellow(printable(`  ${b.code} 缺“${q.title}”：${why}`)));
      }
    }
  }
  if (r.suggestions.length > 0) {
    out.push(c.yellow(`${r.suggestions.length} 个文件夹或文件的名字接近指标编码，改名后才会装订：`));
    for (const g of r.suggestions) out.push(`  ${printable(g.path)}  →  ${printable(g.name)}`);
  }
  if (notBound.lines.length > 0) {
    out.push(...notBound.lines.map((l) => c.yellow(l)));
    for (const w of notBound.warnings) out.push(`  ${printable(w.path)}：${printable(w.detail)}`);
  }
  if (s.dropped + s.unassigned > 0) out.push(c.dim(`剔除 ${s.dropped} 个文件，未归类 ${s.unassigned} 个，明细见 report.json。`));
  if (result.leftAlone.length > 0) {
    out.push(c.yellow(`上次装订的这些文件本应移除，但已被修改过，所以保留未动：${printable(result.leftAlone.join('、'))}`));
  }
  process.stdout.write(out.join('\n') + '\n');
  process.exitCode = flags.strict && result.problems > 0 ? EXIT.gaps : EXIT.ok;
}

/** A shard's summary: what it built, and what comes next (its report is the merged one's part). */
function printShard(result: BuildResult, strict: boolean, where: string): void {
  const { index, of, only } = result.shard!;
  const volumes = result.report.volumes ?? [];
  const pages = volumes.reduce((n, v) => n + v.pages, 0);
  const out: string[] = [];
  if (only.length === 0) {
    out.push(`${chalk.bold(`第 ${index}/${of} 片`)}没有分到一级指标（片数多于一级指标），已写出空的分片输出：${where}`);
  } else {
    out.push(
      `${chalk.bold(`第 ${index}/${of} 片装订完成`)}（${only.join('、')}）：${volumes.length} 卷，${pages} 页${result.reused > 0 ? `（其中 ${result.reused} 卷材料未变，沿用上次的文件）` : ''}，用时 ${result.seconds.toFixed(1)} 秒。输出在 ${where}`,
    );
    if (result.gaps > 0) out.push(chalk.red(`这几个一级指标缺 ${result.gaps} 项材料（已在卷中附缺项说明）。`));
    const notBound = notBoundSummary(result.report.warnings);
    if (notBound.lines.length > 0) out.push(chalk.yellow(`${notBound.lines[0]!.replace(/：$/, '')}，合并后的 report.json 里有明细。`));
  }
  out.push(`所有 ${of} 片装订完后，用 chuangcheng merge <各片的输出文件夹> --out <文件夹> 合并成完整的结果（目录.xlsx、report.json 在合并时生成）。`);
  if (result.leftAlone.length > 0) out.push(chalk.yellow(`上次装订的这些文件本应移除，但已被修改过，所以保留未动：${printable(result.leftAlone.join('、'))}`));
  process.stdout.write(out.join('\n') + '\n');
  process.exitCode = strict && result.problems > 0 ? EXIT.gaps : EXIT.ok;
}
