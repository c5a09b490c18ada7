// Chinese words shared by every reporter. Wording lives here so it can be reviewed in one place.
import type { DropReason, Kind, UnmatchedCause, WarningCode } from '../model.js';
import { daysBetween } from '../util/dates.js';

export const DROP_LABEL: Record<DropReason, string> = {
  junk: '系统垃圾文件',
  empty: '空文件',
  excluded: '按规则排除',
  unsupported: '不支持的类型',
  unreadable: '损坏或不完整',
  encrypted: '有打开密码',
  'lfs-pointer': 'Git LFS 文件未下载',
  duplicate: '重复文件',
  'out-of-period': '不在测评周期内',
};

export const WARNING_LABEL: Record<WarningCode, string> = {
  undated: '没有日期',
  'low-resolution': '照片分辨率低',
  reused: '多处重复使用',
  'type-mismatch': '扩展名与内容不符',
  'not-converted': '未能转换成页面',
  'bad-sidecar': '说明文件有误',
  'orphan-sidecar': '说明文件无对应材料',
  'outside-link': '链接到文件夹外',
  'bind-failed': '装订时无法读取',
  'name-encoding': '文件名编码不是 UTF-8',
  'lookalike-name': '文件名看起来相同',
  'possibly-misplaced': '可能放错了指标',
  'near-duplicate': '照片几乎相同',
  blurry: '照片模糊',
  'multi-frame': '动图只装订第一帧',
  'damaged-image': '图像数据有损坏',
  'missing-glyph': '字体缺字',
  'text-encoding': '文字编码不确定或有乱码',
  'xfa-form': '动态 XFA 表单',
  'form-appearance': '表单栏目不显示',
};

export const KIND_LABEL: Record<Kind, string> = { document: '文档', photo: '照片', any: '任意材料' };

/** How a requirement is counted: 份 for documents, 张 for photos. */
export const KIND_COUNT_UNIT: Record<Kind, string> = { document: '份', photo: '张', any: '份' };

/** How much of one requirement is still to hand in: 还没有，需要 2 张 / 还差 1 张（需要 3，已有 2）. */
export function lackAmount(r: { kind: Kind; min: number; found: number }): string {
  const u = KIND_COUNT_UNIT[r.kind];
  return r.found === 0 ? `还没有，需要 ${r.min} ${u}` : `还差 ${r.min - r.found} ${u}（需要 ${r.min}，已有 ${r.found}）`;
}

/** What a person still has to hand in for one requirement. */
export function lackText(r: { title: string; kind: Kind; min: number; found: number }): string {
  return `${r.title}（${KIND_LABEL[r.kind]}）：${lackAmount(r)}`;
}

/**
 * Why a requirement found nothing while its B-level holds 其他材料: those files and what kept
 * each out, and the two ways out (rename the file, or widen `match`).
 */
export function unmatchedText(r: { kind: Kind; unmatched?: { match: string[]; files: { path: string; cause: UnmatchedCause }[] } }, limit = 5): string | undefined {
  const u = r.unmatched;
  if (!u || u.files.length === 0) return undefined;
  const name = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const patterns = u.match.map((m) => `"${m}"`).join(' 或 ');
  const why = (c: UnmatchedCause) => (c === 'kind' ? `类型不是${KIND_LABEL[r.kind]}` : c === 'xfa-form' ? '动态 XFA 表单，没有可装订的内容' : `文件名不符合 ${patterns}`);
  const listed = u.files.slice(0, limit).map((f) => `${name(f.path)}（${why(f.cause)}）`);
  const more = u.files.length > limit ? ` 等 ${u.files.length} 个` : '';
  const fix = u.files.some((f) => f.cause === 'pattern')
    ? '如果它们就是这一项的材料，请按规则改文件名，或在手册中放宽这一项的 match'
    : u.files.some((f) => f.cause === 'kind')
      ? '如果它们就是这一项的材料，请检查手册中这一项的 kind'
      : '请用 Adobe Reader 打开动态 XFA 表单，打印为 PDF 后放回原处';
  return `本指标的其他材料没有对上这一项：${listed.join('、')}${more}。${fix}`;
}

export const NO_OWNER = '未指定负责人';

/** The headings of the file lists under a coverage report, with the line that says what they mean. */
export const FILE_SECTION = {
  dropped: '已剔除的文件',
  droppedHint: '不会装订，每个都写了原因和怎么办',
  unassigned: '未归入任何指标的文件',
  unassignedHint: '放进以指标编码开头的文件夹才会装订',
  rename: '改名',
  warnings: '提醒',
  warningsHint: '文件仍会采用，但最好处理',
};

/**
 * How an unsatisfied B-level's due date reads on a to-do list, and how urgent it is: overdue, due
 * within 7 days, or later. None for a B-level without a due date or with nothing missing.
 */
export function dueNote(b: { due?: string; overdue: boolean; status: 'satisfied' | 'unsatisfied' }, today: string): { text: string; tone: 'overdue' | 'soon' | 'later' } | undefined {
  if (!b.due) return undefined;
  if (b.overdue) return { text: `截止 ${b.due}，已逾期 ${daysBetween(b.due, today)} 天`, tone: 'overdue' };
  if (b.status === 'satisfied') return undefined;
  const left = daysBetween(today, b.due);
  if (left === 0) return { text: `今天（${b.due}）截止`, tone: 'soon' };
  return left <= 7 ? { text: `截止 ${b.due}，还剩 ${left} 天`, tone: 'soon' } : { text: `截止 ${b.due}`, tone: 'later' };
}
