import { ChuangchengError } from '../errors.js';
import path from 'node:path';
import { plan } from '../shards/plan.js';
import { formatBytes } from '../util/fsx.js';
import { displayWidth } from '../util/width.js';
import { emit } from './output.js';
import { libraryConsole } from './env.js';
import { printable } from '../util/printable.js';

export interface PlanFlags {
  manual?: string;
  evidence?: string;
  shards?: string;
  format: 'text' | 'json';
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
/** A path as it goes into a shell command (quoted when it has spaces or shell characters). */
const shellWord = (s: string) => (/^[\w./\-\u0080-\uffff]+$/u.test(s) && !/\s/u.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export async function runPlan(dir: string, flags: PlanFlags): Promise<void> {
  if (flags.shards === undefined) throw new ChuangchengError('option-shards-missing', {});
  // (the number, as text, is checked by plan)
  const r = await plan({ dir, manual: flags.manual, evidence: flags.evidence, shards: flags.shards, console: libraryConsole() });
  const n = r.shards.length;
  if (flags.format === 'json') {
    await emit(JSON.stringify({ shards: r.shards }, null, 2) + '\n', undefined);
    return;
  }
  const total = Object.keys(r.titles).length;
  const rows = r.shards.map((s) => [
    `${s.index}/${n}`,
    s.only.length > 0 ? s.only.map((c) => `${c} ${r.titles[c] ?? ''}`.trim()).join('、') : '（空）',
    String(s.estimate.files),
    String(s.estimate.pages),
    formatBytes(s.estimate.bytes),
  ]);
  const header = ['分片', '一级指标', '文件数', '估计页数', '大小'];
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join('  ');
  const out: string[] = [];
  out.push(`分成 ${n} 片装订（共 ${total} 个一级指标，按估计的工作量均衡）：`, '', line(header), ...rows.map(line), '');
  const empty = r.shards.filter((s) => s.only.length === 0).length;
  if (empty > 0) {
    out.push(`有 ${empty} 片没有分到一级指标（一级指标只有 ${total} 个）。这些片照样可以装订，写出的是空的分片输出，合并时照常列出即可。`, '');
  }
  const d = shellWord(dir);
  out.push(
    '每一片可以在不同的机器上同时装订（所有片的 --date 必须相同）：',
    `  chuangcheng build ${d} --shard 1/${n} --date YYYY-MM-DD --out 分片1`,
    n > 1 ? `  …… 直到 --shard ${n}/${n}` : '',
    '全部装订完后合并成一次完整装订的结果：',
    `  chuangcheng merge ${Array.from({ length: Math.min(n, 3) }, (_, i) => `分片${i + 1}`).join(' ')}${n > 3 ? ' …' : ''} --out ${shellWord(path.join(dir, 'out'))}`,
    '估计页数按文件大小推算（不打开文件），只用于分配工作量；用 --format json 可得到每片的文件夹列表（供 git lfs pull -I 使用）。',
  );
  await emit(out.filter((l, i, all) => !(l === '' && all[i - 1] === '')).map(printable).join('\n').replace(/\n+$/, '') + '\n', undefined);
}
