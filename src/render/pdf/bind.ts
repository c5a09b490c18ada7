// 装订成卷: one PDF volume from a VolumePlan — cover, 卷内目录, for each B-level its 提交表 and
// items (and 缺项说明), 卷内备考表; page numbers stamped; bookmarks; metadata. Deterministic: the
// same plan and date give the same bytes.
import { PDFDocument, type PDFPage } from 'pdf-lib';
import type { Manual } from '../../model.js';
import type { PlacedEntry, VolumePlan } from '../../pipeline/organize.js';
import type { Content, Item } from '../../pipeline/supplement.js';
import { KIND_LABEL } from '../../wording/labels.js';
import { daysBetween } from '../../report/report.js';
import type { FontSet } from '../fonts.js';
import { Canvas } from './canvas.js';
import { addOutline, type OutlineNode } from './outline.js';
import {
  drawBacknote, drawCover, drawForm, drawNotice, drawPhotoPage, drawTextPages, drawToc, type TocRow,
} from './pages.js';
import { stampPageNumber } from './stamp.js';
import type { VolumePage } from '../volume-pages.js';

export interface BindContext {
  manual: Manual;
  fonts: FontSet;
  /** 立卷时间, YYYY-MM-DD */
  date: string;
  version: string;
}

export interface BoundVolume {
  bytes: Uint8Array;
  /** every page of the file, as data, in order */
  pages: VolumePage[];
}

const digits8 = (d?: string) => (d ? d.replaceAll('-', '') : '');
const ym = (d: string) => `${d.slice(0, 4)}.${d.slice(5, 7)}`;
const cnDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

export function volumeTitle(plan: VolumePlan): string {
  return plan.of > 1 ? `${plan.a.code} ${plan.a.title} 第${plan.index}卷` : `${plan.a.code} ${plan.a.title}`;
}

function entryTitle(p: PlacedEntry): string {
  const e = p.entry;
  if (e.type === 'form') return `[${e.b.indicator.code} ${e.b.indicator.title} 测评材料提交表]`;
  if (e.type === 'gap') return `[缺项说明：${e.req.requirement.title}]`;
  const t = e.item.madeTitle ? `[${e.item.title}]` : e.item.title;
  return p.part ? `${t}（第${p.part.from}-${p.part.to}页）` : t;
}

export function tocRows(plan: VolumePlan): TocRow[] {
  return plan.entries.map((p, i) => {
    const last = i === plan.entries.length - 1;
    const item = p.entry.type === 'item' ? p.entry.item : undefined;
    return {
      seq: p.seq !== undefined ? String(p.seq) : '',
      docNo: item?.docNo ?? '',
      author: item?.author ?? '',
      title: entryTitle(p),
      date: digits8(item?.date),
      pages: last && p.last !== p.first ? `${p.first}-${p.last}` : String(p.first),
      note: item?.note ?? (p.part ? '跨卷' : ''),
    };
  });
}

function dateRange(plan: VolumePlan): string {
  const dates = plan.entries.flatMap((p) => (p.entry.type === 'item' && p.entry.item.date ? [p.entry.item.date] : [])).sort();
  if (dates.length === 0) return '';
  const a = ym(dates[0]!);
  const b = ym(dates[dates.length - 1]!);
  return a === b ? a : `${a}—${b}`;
}

function photoCaption(file: Item['files'][number]): string[] {
  const m = file.meta;
  const out = [`题名：${m.title}`];
  const when = m.date ? cnDate(m.date) : '';
  const where = m.place ? `　地点：${m.place}` : '';
  if (when || where) out.push(`${when ? `时间：${when}` : ''}${where}`.trim());
  if (m.people) out.push(`人物：${m.people}`);
  if (m.photographer) out.push(`摄影者：${m.photographer}`);
  if (m.caption) out.push(`文字说明：${m.caption}`);
  return out;
}

export async function bindVolume(ctx: BindContext, plan: VolumePlan): Promise<BoundVolume> {
  const { manual } = ctx;
  const doc = await PDFDocument.create({ updateMetadata: false });
  const c = new Canvas(ctx.fonts);
  const outline: OutlineNode[] = [];

  const pagesData: VolumePage[] = [];
  // 1. cover
  const coverFields: [string, string][] = [
      ['全宗名称', manual.unit],
      ['类目名称', `${plan.a.code} ${plan.a.title}`],
      ['案卷题名', `${manual.title}——${plan.a.title}${plan.of > 1 ? `（第${plan.index}卷，共${plan.of}卷）` : ''}`],
      ['时间', dateRange(plan)],
      ['保管期限', manual.retention],
      ['件数', String(plan.items)],
      ['页数', String(plan.pages)],
      ['档号', plan.archiveCode],
  ];
  drawCover(doc, c, coverFields, manual.unit);
  pagesData.push({ kind: 'cover', fields: coverFields, unit: manual.unit });
  outline.push({ title: '封面', page: 0 });

  // 2. 卷内目录 (numbers are known: the plan was numbered before binding)
  const tocStart = doc.getPageCount();
  for (const rows of drawToc(doc, c, tocRows(plan)).rowsByPage) pagesData.push({ kind: 'toc', rows });
  outline.push({ title: '卷内目录', page: tocStart });

  // 3. the numbered pages
  const numbered: PDFPage[] = [];
  let bNode: OutlineNode | undefined;
  for (const p of plan.entries) {
    const startIndex = doc.getPageCount();
    const e = p.entry;
    if (e.type === 'form') {
      const b = e.b;
      const ind = b.indicator;
      const due = ind.due ? `${ind.due}${!b.satisfied && ind.due < ctx.date ? `（已逾期 ${daysBetween(ind.due, ctx.date)} 天）` : ''}` : '—';
      const gaps = b.requirements.filter((r) => !r.satisfied);
      const formRows = [
          { label: '测评项目', value: `${plan.a.code} ${plan.a.title}` },
          { label: '测评内容', value: `${ind.code} ${ind.title}` },
          { label: '测评标准', value: ind.standard ?? '—' },
          { label: '测评方法', value: ind.method ?? '—' },
          { label: '责任人', value: ind.owner ?? plan.a.owner ?? '—' },
          { label: '截止日期', value: due },
          { label: '分值', value: ind.score !== undefined ? `${ind.score} 分` : '—' },
        ];
      const formTable = {
          header: ['佐证材料', '类型', '需要', '已有', '情况'],
          widths: [60, 14, 12, 12, 22],
          rows: [
            ...b.requirements.map((r) => [
              r.requirement.title,
              KIND_LABEL[r.requirement.kind],
              String(r.requirement.min),
              String(r.files.length),
              r.satisfied ? '齐全' : '缺项',
            ]),
            ...(b.other.length > 0 ? [['其他材料', '—', '—', String(b.other.length), '—']] : []),
          ],
        };
      const formFooter = {
          label: '结论',
          value:
            gaps.length === 0
              ? b.requirements.length === 0
                ? '本项以实地考察、问卷调查等方式测评，无需提交材料。'
                : '材料齐全。'
              : `缺 ${gaps.length} 项：${gaps.map((r) => `${r.requirement.title}（需要 ${r.requirement.min}，已有 ${r.files.length}）`).join('；')}。`,
        };
      drawForm(doc, c, '测评材料提交表', formRows, formTable, formFooter);
      pagesData.push({ kind: 'form', heading: '测评材料提交表', rows: formRows, table: formTable, footer: formFooter });
      bNode = { title: `${ind.code} ${ind.title}`, page: startIndex, children: [] };
      outline.push(bNode);
    } else if (e.type === 'gap') {
      const r = e.req;
      const ind = e.b.indicator;
      const owner = ind.owner ?? plan.a.owner;
      const lines = [
        `测评内容：${ind.code} ${ind.title}`,
        `缺少的材料：${r.requirement.title}（${KIND_LABEL[r.requirement.kind]}）`,
        `要求 ${r.requirement.min} 份，现有 ${r.files.length} 份，还差 ${r.requirement.min - r.files.length} 份。`,
        owner ? `责任人：${owner}` : '',
        ind.due ? `截止日期：${ind.due}${ind.due < ctx.date ? `（已逾期 ${daysBetween(ind.due, ctx.date)} 天）` : ''}` : '',
        '',
        `截至 ${cnDate(ctx.date)} 立卷时，此项材料尚未收齐。补齐后放入对应文件夹，重新运行 chuangcheng build 即可更新本卷。`,
      ].filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));
      drawNotice(doc, c, '缺项说明', lines.join('\n'));
      pagesData.push({ kind: 'notice', heading: '缺项说明', body: lines.join('\n') });
      bNode?.children?.push({ title: `缺项说明：${r.requirement.title}`, page: startIndex });
    } else {
      await drawItem(doc, c, e.item, p.part ?? { from: 1, to: e.item.pages }, pagesData);
      bNode?.children?.push({ title: `${p.seq}. ${e.item.title}`, page: startIndex });
    }
    const added = doc.getPageCount() - startIndex;
    const expected = p.last - p.first + 1;
    if (added !== expected) throw new Error(`内部错误：${entryTitle(p)} 预计 ${expected} 页，实际 ${added} 页`);
    for (let i = startIndex; i < doc.getPageCount(); i++) numbered.push(doc.getPage(i));
  }
  numbered.forEach((page, i) => stampPageNumber(c, page, i + 1));

  // 4. 卷内备考表
  const gapLines = plan.entries.flatMap((p) =>
    p.entry.type === 'gap' ? [`${p.entry.b.indicator.code} ${p.entry.b.indicator.title}：缺${p.entry.req.requirement.title}（需要 ${p.entry.req.requirement.min}，已有 ${p.entry.req.files.length}）`] : [],
  );
  const explanation = [
    `本卷共 ${plan.items} 件，${plan.pages} 页（封面、卷内目录、备考表不编页号）。${plan.of > 1 ? `本案卷共 ${plan.of} 卷，此为第 ${plan.index} 卷。` : ''}`,
    gapLines.length > 0 ? `缺项 ${gapLines.length} 项，已在相应位置附缺项说明：${gapLines.join('；')}。` : '本卷材料无缺项。',
  ]
    .filter(Boolean)
    .join('\n');
  const backIndex = doc.getPageCount();
  const signatures = [
    { label: '立卷人', value: plan.a.owner ?? '' },
    { label: '检查人', value: manual.checker ?? '' },
    { label: '立卷时间', value: cnDate(ctx.date) },
  ];
  drawBacknote(doc, c, explanation, signatures);
  pagesData.push({ kind: 'backnote', explanation, signatures });
  outline.push({ title: '卷内备考表', page: backIndex });

  await c.flush(doc);
  addOutline(doc, outline);
  const when = new Date(`${ctx.date}T00:00:00Z`);
  doc.setTitle(`${manual.title}——${volumeTitle(plan)}`, { showInWindowTitleBar: true });
  doc.setAuthor(manual.unit);
  doc.setSubject(manual.title);
  doc.setKeywords([plan.archiveCode, plan.a.code]);
  doc.setCreator('chuangcheng');
  doc.setProducer(`chuangcheng ${ctx.version} (pdf-lib)`);
  doc.setLanguage('zh-CN');
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  const bytes = await doc.save({ useObjectStreams: true });
  if (pagesData.length !== doc.getPageCount()) throw new Error(`内部错误：页面记录 ${pagesData.length} 与文件页数 ${doc.getPageCount()} 不符`);
  return { bytes, pages: pagesData };
}

/** The pages `from`..`to` (1-based, of the item's own pages) of one item. */
async function drawItem(doc: PDFDocument, c: Canvas, item: Item, range: { from: number; to: number }, out: VolumePage[]): Promise<void> {
  let offset = 0;
  for (const content of item.content) {
    const from = Math.max(range.from, offset + 1) - offset;
    const to = Math.min(range.to, offset + content.pages) - offset;
    offset += content.pages;
    if (from > to) continue;
    await drawContent(doc, c, content, from, to, out);
  }
}

async function drawContent(doc: PDFDocument, c: Canvas, content: Content, from: number, to: number, out: VolumePage[]): Promise<void> {
  switch (content.kind) {
    case 'pdf': {
      const indices = Array.from({ length: to - from + 1 }, (_, i) => from - 1 + i);
      const pages = await doc.copyPages(content.doc, indices);
      for (const p of pages) doc.addPage(p);
      for (const index of indices) out.push({ kind: 'pdf', bytes: content.bytes, index });
      return;
    }
    case 'notice':
      drawNotice(doc, c, content.heading, content.body);
      out.push({ kind: 'notice', heading: content.heading, body: content.body });
      return;
    case 'text': {
      const { lines, perPage } = content;
      drawTextPages(doc, c, content.file.meta.title, lines, perPage, from, to);
      for (let p = from; p <= to; p++) out.push({ kind: 'text', heading: content.file.meta.title, lines: lines.slice((p - 1) * perPage, p * perPage) });
      return;
    }
    case 'photos': {
      for (let p = from; p <= to; p++) {
        const slice = content.photos.slice((p - 1) * content.perPage, p * content.perPage);
        const onPage = await Promise.all(
          slice.map(async (ph) => ({
            image: ph.photo.format === 'jpg' ? await doc.embedJpg(ph.photo.bytes) : await doc.embedPng(ph.photo.bytes),
            width: ph.photo.width,
            height: ph.photo.height,
            caption: photoCaption(ph.file),
          })),
        );
        drawPhotoPage(doc, c, onPage, content.perPage);
        out.push({
          kind: 'photos',
          perPage: content.perPage,
          photos: slice.map((ph, i) => ({ bytes: ph.photo.bytes, format: ph.photo.format, width: ph.photo.width, height: ph.photo.height, caption: onPage[i]!.caption })),
        });
      }
      return;
    }
  }
}
