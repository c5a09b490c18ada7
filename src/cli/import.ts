import path from 'node:path';
import { importTable, type ImportResult } from '../import/index.js';
import { FIELD_LABELS, type SkipReason } from '../import/indicators.js';
import { runtime, sofficeOption } from './env.js';
import { printable } from '../util/printable.js';

export interface ImportFlags {
  output?: string;
  force?: boolean;
  title?: string;
  unit?: string;
}

export async function runImport(table: string, flags: ImportFlags): Promise<void> {
  const r = await importTable({
    table,
    output: flags.output ?? '',
    force: flags.force === true,
    ...(flags.title !== undefined ? { title: flags.title } : {}),
    ...(flags.unit !== undefined ? { unit: flags.unit } : {}),
    soffice: sofficeOption(),
    ...runtime(),
  });
  // (names from the table and the user's paths: control characters shown as escapes)
  process.stdout.write(summary(r).map(printable).join('\n') + '\n');
}

const SKIP_WORDS: Record<SkipReason, string> = {
  blank: '空行',
  total: '合计行',
  note: '说明文字，不是指标',
  header: '重复的表头',
  'no-indicator': '没有测评项目和测评内容',
};

/** 3, 4, 5, 9 → 第 3–5、9 行 */
export function rowList(rows: number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j;
  }
  return `第 ${parts.join('、')} 行`;
}

const clip = (s: string, n = 30) => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);
/** A path as typed into a shell: quoted when it holds spaces or characters the shell would read. */
const shellArg = (p: string) => (/[\s"'$`\\!*?&;|<>(){}[\]#~]/u.test(p) ? `"${p.replace(/(["\\$`])/g, '\\$1')}"` : p);

export function summary(r: ImportResult): string[] {
  // as the user would type it: relative to here when below here, else absolute
  const rel = (p: string) => {
    const r = path.relative(process.cwd(), p);
    return r === '' ? '.' : r.startsWith('..') || path.isAbsolute(r) ? p : r;
  };
  const out: string[] = [];
  out.push(`已生成测评手册 ${rel(r.output)}：${r.aLevels} 个一级指标，${r.bLevels} 个二级指标。`);
  const from = [`来源：${path.basename(r.table)}`];
  if (r.encoding) from.push(r.encoding === 'gbk' ? 'GBK 编码' : r.encoding === 'utf-16' ? 'UTF-16 编码' : r.encoding === 'big5' ? 'Big5（繁体）编码' : 'UTF-8 编码');
  if (r.sheets > 1) from.push(`工作表“${r.sheet}”（共 ${r.sheets} 个）`);
  from.push(`表头在第 ${r.headerRow} 行`);
  out.push(`  ${from.join('，')}。`);
  if (r.encodingDoubt) {
    const d = r.encodingDoubt;
    out.push(
      `  注意：${d.replaced ? `表格中有 ${d.replaced} 处字节在该编码下无效（文件可能损坏或被截断），已显示为“�”` : ''}${d.replaced && d.confidence ? '；' : ''}` +
        `${d.confidence ? '文字很少或编码特殊，编码只是推测' : ''}。请核对生成的手册中的文字是否乱码；如有乱码，请在 Excel/WPS 中把表格另存为 .xlsx 再导入。`,
    );
  }
  const label = (c: ImportResult['columns'][number]) => (FIELD_LABELS[c.field].startsWith(c.header) ? FIELD_LABELS[c.field] : `${c.header}（作${FIELD_LABELS[c.field]}）`);
  out.push(`  读取的列：${r.columns.map(label).join('、')}。${r.ignoredColumns.length > 0 ? `未读取的列：${r.ignoredColumns.join('、')}。` : ''}`);

  if (r.skipped.length > 0) {
    out.push('跳过的行：');
    for (const reason of ['blank', 'total', 'header'] as const) {
      const rows = r.skipped.filter((s) => s.reason === reason).map((s) => s.row);
      if (rows.length > 0) out.push(`  ${rowList(rows)}：${SKIP_WORDS[reason]}`);
    }
    for (const s of r.skipped.filter((x) => x.reason === 'note' || x.reason === 'no-indicator')) {
      out.push(`  第 ${s.row} 行：${SKIP_WORDS[s.reason]}${s.text ? `（“${clip(s.text)}”）` : ''}`);
    }
  }
  if (r.combined.length > 0) {
    out.push('由几行合成的二级指标（测评内容跨了几行，其标准、分值合在一起）：');
    out.push(`  ${r.combined.map((c) => `${c.code}（${rowList(c.rows)}）`).join('，')}`);
  }
  const notes = r.warnings.map((w) => `第 ${w.row} 行：${w.message}`);
  if (r.titleFrom === 'placeholder') notes.push('表格上方没有标题行：手册中的 title（档案标题）是占位文字，请改成实际的档案标题（或下次用 --title 指定）。');
  else if (r.titleFrom === 'sheet') notes.push(`档案标题取自表格的标题行：“${r.manual.title}”，需要时请在手册中修改。`);
  if (r.unitFrom === 'placeholder') notes.push('手册中的 unit（立档单位）是占位文字，请改成本单位全称（或下次用 --unit 指定）。');
  if (notes.length > 0) {
    out.push('请注意：');
    for (const n of notes) out.push(`  ${n}`);
  }
  out.push('每个二级指标暂定需要 1 份文档（evidence），请在手册中按测评要求修改：照片写 kind: photo，份数改 min。');
  const dir = path.dirname(r.output);
  const init =
    path.basename(r.output) === 'manual.yaml' ? `chuangcheng init ${shellArg(rel(dir))}` : `chuangcheng init ${shellArg(rel(dir))} --manual ${shellArg(rel(r.output))}`;
  out.push(`下一步：核对手册后运行 ${init}，为每个二级指标建立证据文件夹。`);
  return out;
}
