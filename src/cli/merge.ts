import path from 'node:path';
import chalk from 'chalk';
import { merge } from '../shards/merge.js';
import { notBoundSummary } from './not-bound.js';
import { libraryConsole } from './env.js';
import { printable } from '../util/printable.js';

export interface MergeFlags {
  out?: string;
}

export async function runMerge(shards: string[], flags: MergeFlags): Promise<void> {
  const r = await merge({ shards, out: flags.out ?? '', console: libraryConsole() });
  // folders as the user gave them
  const given = new Map(shards.map((s) => [path.resolve(s), s]));
  const rep = r.report;
  const volumes = rep.volumes ?? [];
  const pages = volumes.reduce((n, v) => n + v.pages, 0);
  const out: string[] = [];
  for (const s of r.shards) {
    out.push(`✔ 第 ${s.index}/${s.of} 片（${printable(given.get(s.dir) ?? s.dir)}）：${s.only.length > 0 ? s.only.join('、') : '空'}`);
  }
  out.push(
    `${chalk.bold('合并完成')}：${r.shards.length} 片，${volumes.length} 卷，${pages} 页，用时 ${r.seconds.toFixed(1)} 秒。输出在 ${printable(flags.out ?? r.outDir)}（与一次完整装订写出的文件相同）`,
  );
  const gaps = rep.summary.gaps;
  out.push(gaps > 0 ? chalk.red(`缺 ${gaps} 项材料（已在卷中附缺项说明）；运行 chuangcheng check --by owner 查看待办。`) : chalk.green('材料齐全。'));
  const notBound = notBoundSummary(rep.warnings);
  if (notBound.lines.length > 0) {
    out.push(...notBound.lines.map((l) => chalk.yellow(l)));
    for (const w of notBound.warnings) out.push(`  ${printable(w.path)}：${printable(w.detail)}`);
  }
  if (r.leftAlone.length > 0) {
    out.push(chalk.yellow(`上次写出的这些文件本应移除，但已被修改过，所以保留未动：${printable(r.leftAlone.join('、'))}`));
  }
  process.stdout.write(out.join('\n') + '\n');
}
