import path from 'node:path';
import { init } from '../project/init.js';
import { printable } from '../util/printable.js';

export async function runInit(dir: string, flags: { manual?: string; evidence?: string }): Promise<void> {
  const r = await init({ dir, manual: flags.manual, evidence: flags.evidence });
  const out: string[] = [];
  out.push(r.manualCreated ? `已生成示例测评手册 ${r.manual}，请按本单位的测评体系修改。` : `使用已有的测评手册 ${r.manual}。`);
  if (r.schemaCreated) out.push(`已生成 ${path.join(path.dirname(r.manual), 'manual.schema.json')}，编辑器可据此校验和补全手册。`);
  if (r.created.length > 0) {
    out.push(`已建立 ${r.created.length} 个指标文件夹：`);
    for (const c of r.created) out.push(`  ${c}/`);
  }
  if (r.existing > 0) out.push(`${r.existing} 个二级指标已有文件夹，未改动。`);
  if (r.created.length === 0 && r.existing === 0) out.push('手册中没有二级指标。');
  out.push('下一步：把佐证材料放进对应文件夹，然后运行 chuangcheng check 查看缺项。');
  process.stdout.write(out.map(printable).join('\n') + '\n');
}
