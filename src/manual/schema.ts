// The single definition of manual.yaml. The JSON Schema in schemas/ is generated from this file
// (`chuangcheng schema`), so descriptions here are what users see in their editor: Chinese.
import { z } from 'zod';

import { isCalendarDate } from '../util/dates.js';

export { isCalendarDate };
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What a key means, for people: `title` a short label (the trailing comment in a written manual,
 * the JSON Schema title), `description` the meaning and the allowed values, `examples` one value
 * (shown as “例：…”, and as the commented-out line of a key a manual does not use). The comments
 * of `src/manual/write.ts` and the editor hints of schemas/manual.schema.json both come from here.
 */
export type KeyDoc = {
  title: string;
  description: string;
  examples?: unknown[];
};

const date = (what: string, doc: KeyDoc) =>
  z
    .string({ error: `${what}应为日期，写成 YYYY-MM-DD，例如 2024-04-30` })
    .regex(DATE_RE, { error: `${what}应写成 YYYY-MM-DD，例如 2024-04-30`, abort: true })
    .refine(isCalendarDate, { error: `${what}不是真实存在的日期` })
    .meta(doc);

const text = (what: string, doc: KeyDoc) =>
  z
    .string({ error: `${what}应为文字` })
    .trim()
    .min(1, { error: `${what}不能为空` })
    .meta(doc);

const code = (level: string, doc: KeyDoc) =>
  z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `编码 ${String(iss.input)} 被 YAML 读成了数字，请加引号，例如 code: "${String(iss.input)}"`
          : `${level}编码应为文字`,
    })
    .trim()
    .min(1, { error: `${level}编码不能为空` })
    .meta(doc);

const score = (doc: KeyDoc) =>
  z
    .number({ error: '分值应为数字' })
    .nonnegative({ error: '分值不能为负数' })
    .meta(doc);

export const RETENTION_NAMES = ['永久', '定期30年', '定期10年'] as const;
export { RETENTION_CODES } from '../model.js';
export type RetentionName = (typeof RETENTION_NAMES)[number];

export const requirementSchema = z
  .strictObject(
    {
      title: text('材料名称', {
        title: '材料名称',
        description: '这项佐证材料的名称，印在卷内目录和缺项说明上；任意文字。',
        examples: ['领导小组成立文件'],
      }),
      kind: z
        .enum(['document', 'photo', 'any'], { error: 'kind 只能是 document（文档）、photo（照片）或 any（任意）' })
        .default('any')
        .meta({
          title: '材料类型',
          description: '哪类文件算这项材料：document 文档（PDF、Word、Excel、WPS 等）| photo 照片 | any 任意（不写即为 any）。',
          examples: ['document'],
        }),
      match: z
        .union([z.string(), z.array(z.string())], { error: 'match 应为文件名通配符，或通配符列表' })
        .optional()
        .meta({
          title: '文件名通配符',
          description:
            '只把名字符合通配符的文件算作这项材料（按二级指标文件夹内的文件名或路径比对，不分大小写）；* 代表任意文字；可写一个，或用 [ ] 写多个；含 * 的要加英文双引号。不写则文件夹里类型相符的文件都算。',
          examples: [['*领导小组*']],
        }),
      min: z
        .number({ error: 'min 应为整数' })
        .int({ error: 'min 应为整数' })
        .nonnegative({ error: 'min 不能为负数' })
        .default(1)
        .meta({
          title: '最少份数',
          description: '至少需要几份，整数；不写即为 1；写 0 表示“有则更好”，没有也不算缺项。',
          examples: [2],
        }),
    },
    { error: unknownKey },
  )
  .meta({ title: '材料要求', description: '一项佐证材料要求' });

export const bLevelSchema = z
  .strictObject(
    {
      code: code('二级指标', {
        title: '二级指标编码',
        description:
          '二级指标编码，任意文字（如 A1.1、Ⅱ-3、W1-2），全手册不能重复；材料放进 evidence/ 下以这个编码开头的文件夹（如“A1.1 领导机构健全”）。纯数字的编码要加英文双引号，如 "1.1"。',
        examples: ['A1.1'],
      }),
      title: text('指标名称', { title: '二级指标名称', description: '二级指标（测评内容）的名称，印在提交表和卷内目录上；任意文字。', examples: ['领导机构健全'] }),
      owner: text('负责人', {
        title: '负责人',
        description: '负责提供本项材料的人（或部门），印在提交表上；check --by owner 按人列出待办。',
        examples: ['李老师'],
      }).optional(),
      due: date('截止日期', {
        title: '截止日期',
        description: '材料的截止日期，写成 YYYY-MM-DD；过了这天仍缺材料的标为“已逾期”。',
        examples: ['2024-04-30'],
      }).optional(),
      score: score({ title: '分值', description: '本项的分值，只写数字（不带“分”字）；缺材料时计入“有失分风险”的分数。', examples: [8] }).optional(),
      method: text('测评方法', {
        title: '测评方法',
        description: '测评方法，印在提交表上：材料审核 | 实地考察 | 问卷调查 | 网上申报 等，任意文字。',
        examples: ['材料审核'],
      }).optional(),
      standard: text('测评标准', {
        title: '测评标准',
        description: '测评标准原文，印在提交表上；任意文字。有多行时写成 |- ，下一行起每行缩进写一行。',
        examples: ['成立以校长为组长的工作领导小组，职责分工明确。'],
      }).optional(),
      evidence: z
        .array(requirementSchema, { error: 'evidence 应为材料要求列表' })
        .optional()
        .meta({
          title: '材料要求',
          description:
            '本项需要的佐证材料，每项以“- ”开头，写 title、kind、match、min。不写 evidence 表示至少要 1 份任意材料；写 evidence: [] 表示本项不需要材料（如实地考察）。',
          examples: [[{ title: '领导小组成立文件', kind: 'document', match: ['*领导小组*'] }]],
        }),
    },
    { error: unknownKey },
  )
  .meta({ title: '二级指标', description: '二级指标（测评内容）' });

export const aLevelSchema = z
  .strictObject(
    {
      code: code('一级指标', {
        title: '一级指标编码',
        description:
          '一级指标编码，任意文字（如 A1、Ⅱ、W1），全手册不能重复；evidence/ 下这一卷的文件夹以它开头，案卷文件名也以它开头。纯数字的编码要加英文双引号，如 "1"。',
        examples: ['A1'],
      }),
      title: text('指标名称', { title: '一级指标名称', description: '一级指标（测评项目）的名称，印在案卷封面上；任意文字。', examples: ['组织领导'] }),
      owner: text('负责人', { title: '牵头人', description: '一级指标的牵头人，即本卷的立卷人，印在卷内备考表上。', examples: ['王主任'] }).optional(),
      score: score({ title: '分值', description: '一级指标的分值，只写数字（不带“分”字）；不写则按所含二级指标的分值相加。', examples: [15] }).optional(),
      indicators: z
        .array(bLevelSchema, { error: 'indicators 应为二级指标列表' })
        .min(1, { error: '至少需要一个二级指标' })
        .meta({ title: '二级指标列表', description: '本项下的二级指标（测评内容），每项以“- ”开头，至少一项。' }),
    },
    { error: unknownKey },
  )
  .meta({ title: '一级指标', description: '一级指标（测评项目），每个装订成一卷' });

export const manualSchema = z
  .strictObject(
    {
      title: text('标题', {
        title: '档案标题',
        description: '整套档案的标题，印在每卷封面上，也是检查报告的标题；任意文字。',
        examples: ['2024年度全国文明城市测评 材料审核档案'],
      }),
      unit: text('立档单位', {
        title: '立档单位',
        description: '立档单位全称（全宗名称），印在封面上；也是卷内目录“责任者”的默认写法。',
        examples: ['某某市第一小学'],
      }),
      unitShort: text('单位简称', { title: '单位简称', description: '单位简称，用作卷内目录“责任者”一栏；不写则用全称。', examples: ['一小'] }).optional(),
      filingNo: text('归档号', { title: '归档号', description: '归档号，印在案卷封面上；不写则封面上留空，待手写。', examples: ['2024-01'] }).optional(),
      archiveStamp: z
        .boolean({ error: 'archiveStamp 应为 true 或 false' })
        .optional()
        .meta({
          title: '归档章',
          description: '是否在每件材料首页加盖归档章（全宗号、年度、件号、机构/问题、保管期限、页数）：true 加盖 | false 不加（不写即为 false）。',
          examples: [true],
        }),
      fonds: text('全宗号', { title: '全宗号', description: '全宗号，由档案室编定，印在封面和档号里；不写则档号中略去。', examples: ['Z109'] }).optional(),
      year: z
        .number({ error: 'year 应为四位年份' })
        .int({ error: 'year 应为四位年份' })
        .min(1900, { error: 'year 应为四位年份' })
        .max(2999, { error: 'year 应为四位年份' })
        .optional()
        .meta({ title: '年度', description: '归档年度，四位数字；不写则取测评周期截止日期的年份。', examples: [2024] }),
      period: z
        .strictObject(
          {
            from: date('周期起始日期', { title: '起始日期', description: '测评周期的第一天，写成 YYYY-MM-DD。', examples: ['2023-06-01'] }),
            to: date('周期截止日期', { title: '截止日期', description: '测评周期的最后一天，写成 YYYY-MM-DD。', examples: ['2024-05-31'] }),
          },
          { error: unknownKey },
        )
        .optional()
        .meta({
          title: '测评周期',
          description: '测评周期，from 起、to 止（含这两天）；日期在周期之外的材料不计入。不写则不按日期筛选。',
          examples: [{ from: '2023-06-01', to: '2024-05-31' }],
        }),
      retention: z
        .enum(['永久', '定期30年', '定期10年', 'Y', 'D30', 'D10'], {
          error: '保管期限只能是 永久、定期30年、定期10年（或代码 Y、D30、D10）',
        })
        .optional()
        .meta({
          title: '保管期限',
          description: '保管期限，印在封面和档号里：永久 | 定期30年 | 定期10年（也可写代码 Y | D30 | D10）；不写即为永久。',
          examples: ['定期30年'],
        }),
      checker: text('检查人', { title: '检查人', description: '各卷备考表上的检查人姓名。', examples: ['刘某'] }).optional(),
      exclude: z
        .array(z.string({ error: '应为通配符文字' }), { error: 'exclude 应为通配符列表' })
        .optional()
        .meta({
          title: '忽略的文件',
          description: '不收集的文件，写成通配符列表，相对于 evidence/ 文件夹：* 代表任意文字，** 代表任意几层文件夹；含 * 的要加英文双引号。',
          examples: [['**/草稿/**']],
        }),
      volume: z
        .strictObject(
          {
            maxPages: z
              .number({ error: 'maxPages 应为整数' })
              .int({ error: 'maxPages 应为整数' })
              .min(10, { error: 'maxPages 至少为 10' })
              .optional()
              .meta({ title: '每卷最多页数', description: '每卷最多多少页，整数，至少 10；超过则分卷（第1卷、第2卷 …）。不写即为 300。', examples: [300] }),
            photosPerPage: z
              .union([z.literal(1), z.literal(2), z.literal(4)], { error: 'photosPerPage 只能是 1、2 或 4' })
              .optional()
              .meta({ title: '每页照片数', description: '每页排几张照片：1 | 2 | 4；不写即为 1（创文惯例每页一张）。', examples: [1] }),
          },
          { error: unknownKey },
        )
        .optional()
        .meta({ title: '装订设置', description: '装订设置：maxPages 每卷最多页数，photosPerPage 每页照片数；不写则用默认值。', examples: [{ maxPages: 300, photosPerPage: 1 }] }),
      fonts: z
        .strictObject(
          {
            song: text('字体路径', { title: '宋体', description: '宋体字体文件（TTF、OTF 或 TTC）的路径。', examples: ['fonts/simsun.ttc'] }).optional(),
            fang: text('字体路径', { title: '仿宋', description: '仿宋字体文件（TTF、OTF 或 TTC）的路径，用于正文。', examples: ['fonts/simfang.ttf'] }).optional(),
            hei: text('字体路径', { title: '黑体', description: '黑体字体文件（TTF、OTF 或 TTC）的路径，用于标题。', examples: ['fonts/simhei.ttf'] }).optional(),
          },
          { error: unknownKey },
        )
        .optional()
        .meta({
          title: '字体',
          description: '用本机的字体文件代替内置字体（思源宋体、思源黑体）：song 宋体、fang 仿宋、hei 黑体；相对路径相对于 manual.yaml 所在的文件夹。不写则用内置字体。',
          examples: [{ song: 'fonts/simsun.ttc', hei: 'fonts/simhei.ttf' }],
        }),
      indicators: z
        .array(aLevelSchema, { error: 'indicators 应为一级指标列表' })
        .min(1, { error: '至少需要一个一级指标' })
        .meta({ title: '一级指标列表', description: '一级指标（测评项目）列表，每项以“- ”开头，每个一级指标装订成一卷。' }),
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
