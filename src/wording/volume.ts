// Every word printed in a volume. A volume is shown to inspectors: nothing here names our commands,
// our output files, overdue days or what 甄选 dropped — those belong to `check` and report.json.
// Chinese as an archivist writes it: no spaces around numbers, 份 for documents and 张 for photos.
import type { Kind, RetentionName } from '../model.js';

export const PAGE_TITLE = {
  toc: '卷内目录',
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

/** The kind of material as an archive names it, and how it is counted. */
export const KIND_NAME: Record<Kind, string> = { document: '文件材料', photo: '照片', any: '不限' };
export const KIND_UNIT: Record<Kind, string> = { document: '份', photo: '张', any: '份' };

/** The title of a group of photos, or of one photo, as the archivist writes it: “…照片（N张）”. */
export function photoTitle(title: string, count: number): string {
  const base = /照片|相片|图片$/u.test(title) ? title : `${title}照片`;
  return count > 1 ? `${base}（${count}张）` : base;
}

export const FORM = {
  project: '测评项目',
  content: '测评内容',
  standard: '测评标准',
  method: '测评方法',
  owner: '责任人',
  score: '分值',
  scoreValue: (n: number) => `${n}分`,
  none: '—',
  tableHeader: ['佐证材料', '类型', '应交', '实交', '是否齐全'],
  complete: '齐全',
  incomplete: '不齐全',
  other: '其他材料',
  conclusion: '结论',
  allPresent: '材料齐全。',
  nothingRequired: (method: string | undefined, others: number) =>
    `本项${method && method !== '材料审核' ? `以${method}方式测评，` : ''}无需提交材料${others > 0 ? `；另附其他材料${others}件备查` : ''}。`,
  missing: (items: { title: string; kind: Kind; min: number; found: number }[]) =>
    `缺${items.length}项：${items.map((r) => `${r.title}（应交${r.min}${KIND_UNIT[r.kind]}，实交${r.found}${KIND_UNIT[r.kind]}）`).join('；')}。`,
  signatures: ['填表人', '审核人', '日期'],
} as const;

export const GAP = {
  content: '测评内容',
  missing: '缺少的材料',
  required: '要求/现有',
  requiredValue: (kind: Kind, min: number, found: number) => `要求${min}${KIND_UNIT[kind]}，现有${found}${KIND_UNIT[kind]}`,
  reason: '原因',
  owner: '责任人',
  missingValue: (title: string, kind: Kind) => (title.includes(KIND_NAME[kind]) || kind === 'any' ? title : `${title}（${KIND_NAME[kind]}）`),
} as const;

export const BACKNOTE = {
  heading: '本卷情况说明：',
  counts: (items: number, pages: number) => `本卷共${items}件，${pages}页。`,
  part: (index: number, of: number) => `本案卷共${of}卷，此为第${index}卷。`,
  noGaps: '本卷材料无缺项。',
  gaps: (n: number) => `本卷缺${n}项：`,
  gap: (g: { code: string; title: string; requirement: string; kind: Kind; missing: number; page: number; reason?: string }) =>
    `${g.code}${g.title}缺${g.requirement}${g.missing}${KIND_UNIT[g.kind]}（见第${g.page}页缺项说明）${g.reason ? `，原因：${g.reason.replace(/[。.\s]+$/u, '')}` : ''}`,
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
  xfaForm: '本件为动态 XFA 表单',
  bodyXfa: (title: string) =>
    `《${title}》是动态 XFA 表单，只有 Adobe Reader 能显示其内容，未能装订，也不计入材料要求。请用 Adobe Reader 打开后打印为 PDF，放回原处再装订。`,
} as const;

/**
 * Printed in the place of one evidence page that could not be copied: into the PDF, or into the
 * DOCX as a picture. The same note in both, where the layout's `pageNotice` puts it.
 */
export const PAGE_NOTICE = '此页原件未能复制到卷中，请以原件为准。';

/** The PDF's page labels (what a reader shows for a page number) of the unnumbered pages. */
export const PAGE_LABEL = { cover: '封面', toc: '目录', backnote: '备考表' } as const;

/** The names Word and WPS show for the objects of a DOCX volume (the selection pane). */
export const OBJECT_NAME = {
  picture: (id: number) => `图片 ${id}`,
  stamp: (id: number) => `归档章 ${id}`,
} as const;

/** 保管期限 as the 归档章 prints it. */
export const RETENTION_SHORT: Record<RetentionName, string> = { 永久: '永久', 定期30年: '30年', 定期10年: '10年' };

/** 2024-05-20 → 2024年5月20日 */
export function cnDate(d: string): string {
  return `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
}
