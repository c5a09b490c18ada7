// The single definition of manual.yaml. The JSON Schema in schemas/ is generated from this file
// (`chuangcheng schema`), so descriptions here are what users see in their editor: Chinese.
import { z } from 'zod';

import { isCalendarDate } from '../util/dates.js';

export { isCalendarDate };
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const date = (what: string) =>
  z
    .string({ error: `${what}应为日期，写成 YYYY-MM-DD，例如 2024-04-30` })
    .regex(DATE_RE, { error: `${what}应写成 YYYY-MM-DD，例如 2024-04-30`, abort: true })
    .refine(isCalendarDate, { error: `${what}不是真实存在的日期` })
    .meta({ description: `${what}（YYYY-MM-DD）` });

const text = (what: string, description: string) =>
  z
    .string({ error: `${what}应为文字` })
    .trim()
    .min(1, { error: `${what}不能为空` })
    .meta({ description });

const code = (level: string) =>
  z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `编码 ${String(iss.input)} 被 YAML 读成了数字，请加引号，例如 code: "${String(iss.input)}"`
          : `${level}编码应为文字`,
    })
    .trim()
    .min(1, { error: `${level}编码不能为空` })
    .meta({ description: `${level}编码（自由文本，如 A1.1、Ⅱ—3、W1-2），全手册唯一` });

const score = z
  .number({ error: '分值应为数字' })
  .nonnegative({ error: '分值不能为负数' })
  .meta({ description: '分值' });

export const RETENTION_NAMES = ['永久', '定期30年', '定期10年'] as const;
export const RETENTION_CODES = { 永久: 'Y', 定期30年: 'D30', 定期10年: 'D10' } as const;
export type RetentionName = (typeof RETENTION_NAMES)[number];

export const requirementSchema = z
  .strictObject(
    {
      title: text('材料名称', '佐证材料名称，如“领导小组成立文件”'),
      kind: z
        .enum(['document', 'photo', 'any'], { error: 'kind 只能是 document（文档）、photo（照片）或 any（任意）' })
        .default('any')
        .meta({ description: '材料类型：document 文档 | photo 照片 | any 任意（默认）' }),
      match: z
        .union([z.string(), z.array(z.string())], { error: 'match 应为文件名通配符，或通配符列表' })
        .optional()
        .meta({ description: '文件名通配符，按 B 级指标文件夹内的相对路径匹配，如 "*领导小组*"' }),
      min: z
        .number({ error: 'min 应为整数' })
        .int({ error: 'min 应为整数' })
        .nonnegative({ error: 'min 不能为负数' })
        .default(1)
        .meta({ description: '至少需要的份数，默认 1；0 表示“有则更好”，不算缺项' }),
    },
    { error: unknownKey },
  )
  .meta({ description: '一项佐证材料要求' });

export const bLevelSchema = z
  .strictObject(
    {
      code: code('二级指标'),
      title: text('指标名称', '二级指标（测评内容）名称'),
      owner: text('负责人', '负责提供材料的人').optional(),
      due: date('截止日期').optional(),
      score: score.optional(),
      method: text('测评方法', '测评方法：材料审核 | 实地考察 | 问卷调查 | 网上申报 …').optional(),
      standard: text('测评标准', '测评标准原文').optional(),
      evidence: z
        .array(requirementSchema, { error: 'evidence 应为材料要求列表' })
        .optional()
        .meta({ description: '佐证材料要求；省略时至少需要 1 份任意材料；[] 表示不需要材料' }),
    },
    { error: unknownKey },
  )
  .meta({ description: '二级指标（测评内容）' });

export const aLevelSchema = z
  .strictObject(
    {
      code: code('一级指标'),
      title: text('指标名称', '一级指标（测评项目）名称'),
      owner: text('负责人', '一级指标牵头人，即本卷立卷人').optional(),
      score: score.optional(),
      indicators: z
        .array(bLevelSchema, { error: 'indicators 应为二级指标列表' })
        .min(1, { error: '至少需要一个二级指标' })
        .meta({ description: '二级指标（测评内容）列表' }),
    },
    { error: unknownKey },
  )
  .meta({ description: '一级指标（测评项目），每个装订成一卷' });

export const manualSchema = z
  .strictObject(
    {
      title: text('标题', '档案标题，如“2024年度全国文明城市测评 材料审核档案”'),
      unit: text('立档单位', '立档单位（全宗名称，默认责任者）'),
      unitShort: text('单位简称', '单位简称，用作卷内目录“责任者”一栏（如“一小”）；默认用全称').optional(),
      filingNo: text('归档号', '归档号，印在案卷封面；不填则留空待手写').optional(),
      archiveStamp: z
        .boolean({ error: 'archiveStamp 应为 true 或 false' })
        .optional()
        .meta({ description: '是否在每件首页加盖归档章（全宗号、年度、保管期限、件号、页数、机构/问题），默认 false' }),
      fonds: text('全宗号', '全宗号，如 Z109').optional(),
      year: z
        .number({ error: 'year 应为四位年份' })
        .int({ error: 'year 应为四位年份' })
        .min(1900, { error: 'year 应为四位年份' })
        .max(2999, { error: 'year 应为四位年份' })
        .optional()
        .meta({ description: '年度（默认取测评周期截止年份）' }),
      period: z
        .strictObject({ from: date('周期起始日期'), to: date('周期截止日期') }, { error: unknownKey })
        .optional()
        .meta({ description: '测评周期；周期外日期的材料不计入' }),
      retention: z
        .enum(['永久', '定期30年', '定期10年', 'Y', 'D30', 'D10'], {
          error: '保管期限只能是 永久、定期30年、定期10年（或代码 Y、D30、D10）',
        })
        .optional()
        .meta({ description: '保管期限：永久 | 定期30年 | 定期10年（代码 Y/D30/D10），默认永久' }),
      checker: text('检查人', '各卷备考表中的检查人').optional(),
      exclude: z
        .array(z.string({ error: '应为通配符文字' }), { error: 'exclude 应为通配符列表' })
        .optional()
        .meta({ description: '忽略的文件（通配符，相对于 evidence/），如 "**/草稿/**"' }),
      volume: z
        .strictObject(
          {
            maxPages: z
              .number({ error: 'maxPages 应为整数' })
              .int({ error: 'maxPages 应为整数' })
              .min(10, { error: 'maxPages 至少为 10' })
              .optional()
              .meta({ description: '每卷最多页数，超过则分卷（第1卷、第2卷 …）' }),
            photosPerPage: z
              .union([z.literal(1), z.literal(2), z.literal(4)], { error: 'photosPerPage 只能是 1、2 或 4' })
              .optional()
              .meta({ description: '每页照片数：1 | 2 | 4（创文惯例每页一张）' }),
          },
          { error: unknownKey },
        )
        .optional()
        .meta({ description: '装订设置' }),
      fonts: z
        .strictObject(
          {
            song: text('字体路径', '宋体字体文件（TTF/OTF/TTC）').optional(),
            fang: text('字体路径', '仿宋字体文件（TTF/OTF/TTC），用于正文').optional(),
            hei: text('字体路径', '黑体字体文件（TTF/OTF/TTC），用于标题').optional(),
          },
          { error: unknownKey },
        )
        .optional()
        .meta({ description: '本机字体文件，替代内置字体；相对路径相对于 manual.yaml' }),
      indicators: z
        .array(aLevelSchema, { error: 'indicators 应为一级指标列表' })
        .min(1, { error: '至少需要一个一级指标' })
        .meta({ description: '一级指标（测评项目）列表' }),
    },
    { error: unknownKey },
  )
  .meta({ title: 'chuangcheng 测评手册 manual.yaml', description: '创城材料审核档案：测评手册与装订设置' });

function unknownKey(iss: { code?: string; input?: unknown }): string | undefined {
  if (iss.code === 'invalid_type') return '应为键值对（映射）';
  return undefined;
}

/** The keys each level of the manual allows, read off the schema itself (for "did you mean"). */
export const MANUAL_KEYS: Record<'root' | 'a' | 'b' | 'req' | 'period' | 'volume' | 'fonts', string[]> = {
  root: Object.keys(manualSchema.shape),
  a: Object.keys(aLevelSchema.shape),
  b: Object.keys(bLevelSchema.shape),
  req: Object.keys(requirementSchema.shape),
  period: Object.keys(manualSchema.shape.period.unwrap().shape),
  volume: Object.keys(manualSchema.shape.volume.unwrap().shape),
  fonts: Object.keys(manualSchema.shape.fonts.unwrap().shape),
};

export type ManualInput = z.input<typeof manualSchema>;
export type ManualParsed = z.output<typeof manualSchema>;
export type RequirementParsed = z.output<typeof requirementSchema>;
export type BLevelParsed = z.output<typeof bLevelSchema>;
export type ALevelParsed = z.output<typeof aLevelSchema>;

export function manualJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(manualSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
