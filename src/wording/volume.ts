// Every word printed in a volume. A volume is shown to inspectors: nothing here names our commands,
// our output files, overdue days or what 甄选 dropped — those belong to `check` and report.json.
import type { Kind } from '../model.js';
import { KIND_LABEL } from './labels.js';

export const PAGE_TITLE = {
  toc: '卷 内 目 录',
  form: '测评材料提交表',
  gap: '缺项说明',
  backnote: '卷内备考表',
} as const;

export const COVER_LABEL = {
  unit: '全宗名称',
  category: '类目名称',
  title: '案卷题名',
  period: '时间',
  retention: '保管期限',
  items: '件数',
  pages: '页数',
  filingNo: '归档号',
  archiveCode: '档号',
} as const;

/** 案卷题名: the manual's title and the A-level's, and which volume of several this is. */
export function volumeTitle(manualTitle: string, aTitle: string, index: number, of: number): string {
  return `${manualTitle}——${aTitle}${of > 1 ? `（第${index}卷，共${of}卷）` : ''}`;
}

/** 时间 on the cover: YYYY.MM—YYYY.MM, one month once, "—" for a volume with no dated item. */
export function coverPeriod(first: string | undefined, last: string | undefined): string {
  if (!first || !last) return '—';
  const ym = (d: string) => `${d.slice(0, 4)}.${d.slice(5, 7)}`;
  return ym(first) === ym(last) ? ym(first) : `${ym(first)}—${ym(last)}`;
}

export const OUTLINE = {
  cover: '封面',
  toc: '卷内目录',
  backnote: '卷内备考表',
  gap: (requirement: string) => `缺项说明：${requirement}`,
} as const;

/** Rows of the 卷内目录 that are not 件: the 提交表 and 缺项说明 pages, in [ ] as titles we made. */
export const TOC_ENTRY = {
  form: (code: string, title: string) => `[${code} ${title} 测评材料提交表]`,
  gap: (requirement: string) => `[缺项说明：${requirement}]`,
  part: (from: number, to: number) => `（第${from}-${to}页）`,
  made: (title: string) => `[${title}]`,
  splitNote: '跨卷',
} as const;

export const FORM = {
  project: '测评项目',
  content: '测评内容',
  standard: '测评标准',
  method: '测评方法',
  owner: '责任人',
  score: '分值',
  scoreValue: (n: number) => `${n} 分`,
  none: '—',
  tableHeader: ['佐证材料', '类型', '需要', '已有', '情况'],
  kind: (k: Kind) => KIND_LABEL[k],
  complete: '齐全',
  incomplete: '缺项',
  other: '其他材料',
  conclusion: '结论',
  allPresent: '材料齐全。',
  nothingRequired: '本项以实地考察、问卷调查等方式测评，无需提交材料。',
  missing: (items: { title: string; min: number; found: number }[]) =>
    `缺 ${items.length} 项：${items.map((r) => `${r.title}（需要 ${r.min}，已有 ${r.found}）`).join('；')}。`,
} as const;

export const GAP = {
  content: '测评内容',
  missing: '缺少的材料',
  required: '要求/现有',
  requiredValue: (min: number, found: number) => `要求 ${min} 份，现有 ${found} 份`,
  reason: '原因',
  owner: '责任人',
  missingValue: (title: string, kind: Kind) => `${title}（${KIND_LABEL[kind]}）`,
} as const;

export const BACKNOTE = {
  heading: '本卷情况说明：',
  counts: (items: number, pages: number) => `本卷共 ${items} 件，${pages} 页。`,
  part: (index: number, of: number) => `本案卷共 ${of} 卷，此为第 ${index} 卷。`,
  noGaps: '本卷材料无缺项。',
  gaps: (n: number) => `缺项 ${n} 项，已在相应位置附缺项说明：`,
  gap: (code: string, title: string, requirement: string, min: number, found: number, reason?: string) =>
    `${code} ${title}：缺${requirement}（需要 ${min}，已有 ${found}）${reason ? `，原因：${reason}` : ''}`,
  split: (titles: string[]) => `跨卷的件：${titles.join('；')}。`,
  signatures: { maker: '立卷人', checker: '检查人', date: '立卷时间' },
} as const;

export const CAPTION = {
  title: '题名',
  date: '时间',
  place: '地点',
  people: '人物',
  photographer: '摄影者',
  caption: '文字说明',
} as const;

export const NOTICE = {
  notConverted: '本件未能转换为页面',
  notBound: '本件未能装订',
  body: (title: string, type: string) => `《${title}》原件为${type}，装订时未能转换为页面，请以原件为准。`,
  bodyBroken: (title: string) => `《${title}》的电子文件无法读取，未能装订，请以原件为准。`,
} as const;

/** 2024-05-20 → 2024年5月20日 */
export function cnDate(d: string): string {
  return `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
}
