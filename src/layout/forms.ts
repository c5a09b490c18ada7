// The forms we print between the evidence: a B-level's 测评材料提交表, the 缺项说明 where a
// requirement is short (a formal form with the unit's reason and signature lines), and the page
// that stands in for a file that could not be made into pages.
import type { BLevelStatus, Kind, RequirementStatus } from '../model.js';
import type { VolumePlan } from '../pipeline/organize.js';
import { TYPE_LABEL } from '../wording/diagnostics.js';
import { FORM, GAP, KIND_NAME, KIND_UNIT, NOTICE, PAGE_TITLE } from '../wording/volume.js';
import type { Content } from '../pipeline/supplement.js';
import { contentBox, measureRow, numberOf, pageSize, ruleFor, sideOf, tableHeight, titleBlock, type CellSpec } from './geometry.js';
import { breakLines, clampLines, type Measure } from './linebreak.js';
import type { Block, Row, Rule, VolumePage } from './model.js';
import type { Layout, TextStyle } from './template.js';

export function formPage(L: Layout, m: Measure, plan: VolumePlan, b: BLevelStatus, n: number): VolumePage {
  const F = L.form;
  const size = pageSize(L);
  const box = contentBox(L, sideOf(n));
  const title = titleBlock(L, box, PAGE_TITLE.form);
  const ind = b.indicator;
  const columns = [F.labelWidth, box.w - F.labelWidth];
  const field = (label: string, value: string, maxLines?: number) =>
    measureRow(
      m,
      columns,
      [
        { text: label, style: F.label, align: 'center' },
        { text: value, style: F.value, ...(maxLines ? { maxLines } : {}) },
      ],
      F.padding,
      F.minRowHeight,
    );
  const gaps = b.requirements.filter((r) => !r.satisfied);
  const conclusion =
    gaps.length === 0
      ? b.requirements.length === 0
        ? FORM.nothingRequired(ind.method, b.other.length)
        : FORM.allPresent
      : FORM.missing(gaps.map((r) => ({ title: r.requirement.title, kind: r.requirement.kind, min: r.requirement.min, found: r.files.length })));
  const head = (standardLines?: number) => [
    field(FORM.project, `${plan.a.code} ${plan.a.title}`),
    field(FORM.content, `${ind.code} ${ind.title}`),
    field(FORM.standard, ind.standard ?? FORM.none, standardLines),
    field(FORM.method, ind.method ?? FORM.none),
    field(FORM.owner, ind.owner ?? plan.a.owner ?? FORM.none),
    field(FORM.score, ind.score !== undefined ? FORM.scoreValue(ind.score) : FORM.none),
  ];
  const total = F.tableWidths.reduce((a, c) => a + c, 0);
  const widths = F.tableWidths.map((w) => (w / total) * box.w);
  const header = measureRow(m, widths, FORM.tableHeader.map((t, i) => ({ text: t, style: F.label, align: i === 0 ? 'left' : 'center' }) as CellSpec), F.padding, F.minRowHeight);
  const count = (k: Kind, n: number) => `${n}${KIND_UNIT[k]}`;
  const reqRows = [
    ...b.requirements.map((r) => [r.requirement.title, KIND_NAME[r.requirement.kind], count(r.requirement.kind, r.requirement.min), count(r.requirement.kind, r.files.length), r.satisfied ? FORM.complete : FORM.incomplete]),
    ...(b.other.length > 0 ? [[FORM.other, FORM.none, FORM.none, `${b.other.length}件`, FORM.none]] : []),
  ].map((cells) => measureRow(m, widths, cells.map((t, i) => ({ text: t, style: F.value, align: i === 0 ? 'left' : 'center' }) as CellSpec), F.padding, F.minRowHeight));
  const foot = field(FORM.conclusion, conclusion);
  // signature lines under the form: 填表人 ____ 审核人 ____ 日期 ____
  const sig = signatureRow(m, box.w, FORM.signatures, F.label, F.value, ruleFor(L.lines.rule, F.value));
  // one page: a 测评标准 too long for it is cut (the manual holds it whole)
  let rows = head();
  const reqTable = reqRows.length > 0 ? [header, ...reqRows] : [];
  const room = box.y + box.h - title.bottom - sig.height - F.signatureGap;
  const used = () => tableHeight(rows) + tableHeight(reqTable) + foot.height;
  if (used() > room) {
    const over = used() - room;
    const lines = rows[2]!.cells[1]!.lines.length - Math.ceil(over / F.value.lineHeight) - 1;
    rows = head(Math.max(1, lines));
  }
  let reqShown = reqTable;
  while (reqShown.length > 1 && tableHeight(rows) + tableHeight(reqShown) + foot.height > room) reqShown = reqShown.slice(0, -1);
  let y = title.bottom;
  const blocks: Block[] = [title.block];
  const table = (cols: number[], rs: Row[]) => {
    if (rs.length === 0) return;
    blocks.push({ type: 'table', x: box.x, y, columns: cols, rows: rs, padding: F.padding, frame: L.lines.frame });
    y += tableHeight(rs);
  };
  table(columns, rows);
  table(widths, reqShown);
  table(columns, [foot]);
  blocks.push({ type: 'table', x: box.x, y: y + F.signatureGap, columns: sig.columns, rows: [sig.row], padding: 0 });
  return { kind: 'form', ...size, blocks, number: numberOf(L, n, size.width) };
}

/** A row of signature fields, `label：____`, sharing the width evenly. */
function signatureRow(m: Measure, width: number, labels: readonly string[], label: TextStyle, value: TextStyle, rule: Rule): { columns: number[]; row: Row; height: number } {
  const each = width / labels.length;
  const columns = labels.flatMap((s) => {
    const lw = m.width(label.font, label.size, `${s}：`) + 2;
    return [lw, each - lw];
  });
  const height = value.lineHeight * 1.6;
  return {
    columns,
    height,
    row: {
      height,
      cells: labels.flatMap((s) => [
        { lines: [`${s}：`], style: label, align: 'left' as const, valign: 'middle' as const },
        { lines: [''], style: value, align: 'left' as const, valign: 'middle' as const, ruled: rule },
      ]),
    },
  };
}

export function gapPage(L: Layout, m: Measure, plan: VolumePlan, b: BLevelStatus, r: RequirementStatus, n: number): VolumePage {
  const G = L.gap;
  const size = pageSize(L);
  const box = contentBox(L, sideOf(n));
  const title = titleBlock(L, box, PAGE_TITLE.gap);
  const ind = b.indicator;
  const columns = [G.labelWidth, box.w - G.labelWidth];
  const field = (label: string, value: string, extra: Partial<CellSpec> = {}) =>
    measureRow(m, columns, [{ text: label, style: G.label, align: 'center' }, { text: value, style: G.value, ...extra }], G.padding, G.minRowHeight);
  const reasonLines = Math.max(3, Math.ceil((G.reasonMinHeight - 2 * G.padding) / G.value.lineHeight));
  const rows = [
    field(GAP.content, `${ind.code} ${ind.title}`),
    field(GAP.missing, GAP.missingValue(r.requirement.title, r.requirement.kind)),
    field(GAP.required, GAP.requiredValue(r.requirement.kind, r.requirement.min, r.files.length)),
    // the unit's own words, or ruled lines to write them by hand
    b.reason
      ? field(GAP.reason, b.reason, { valign: 'top', maxLines: 14 })
      : field(GAP.reason, '', { valign: 'top', ruled: L.lines.rule, minLines: reasonLines }),
    field(GAP.owner, ind.owner ?? plan.a.owner ?? '', ind.owner ?? plan.a.owner ? {} : { ruled: L.lines.rule }),
  ];
  const blocks: Block[] = [title.block, { type: 'table', x: box.x, y: title.bottom, columns, rows, padding: G.padding, frame: L.lines.frame }];
  // signature lines: 经办人 ____ 负责人 ____ 日期 ____
  const sig = signatureRow(m, box.w, G.signatures, G.label, G.value, ruleFor(L.lines.rule, G.value));
  blocks.push({ type: 'table', x: box.x, y: title.bottom + tableHeight(rows) + G.signatureGap, columns: sig.columns, rows: [sig.row], padding: 0 });
  return { kind: 'gap', ...size, blocks, number: numberOf(L, n, size.width) };
}

/** The page standing in for a file that could not be made into pages. */
export function noticePage(L: Layout, m: Measure, c: Extract<Content, { kind: 'notice' }>, title: string, n: number): VolumePage {
  const N = L.notice;
  const size = pageSize(L);
  const box = contentBox(L, sideOf(n));
  const head = titleBlock(L, { ...box, y: box.y + N.fromTop }, c.cause === 'not-converted' ? NOTICE.notConverted : c.cause === 'xfa-form' ? NOTICE.xfaForm : NOTICE.notBound);
  const body =
    c.cause === 'not-converted' ? NOTICE.body(title, TYPE_LABEL[c.file.type]) : c.cause === 'xfa-form' ? NOTICE.bodyXfa(title) : NOTICE.bodyBroken(title);
  const lines = clampLines(m, N.style.font, N.style.size, breakLines(m, N.style.font, N.style.size, body, box.w - 20), 20, box.w - 20);
  return {
    kind: 'notice',
    ...size,
    blocks: [head.block, { type: 'text', x: box.x + 10, y: head.bottom + 10, width: box.w - 20, lines, style: N.style, align: 'left', paragraphs: [body] }],
    number: numberOf(L, n, size.width),
  };
}
