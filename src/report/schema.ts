// The JSON report (contract §6) as a schema: `schemas/report.schema.json` is generated from it, and
// the tests check every report they make against it. Descriptions are what a CI author reads.
import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ description: 'YYYY-MM-DD' });
const path = z.string().meta({ description: '相对于证据文件夹的路径，用 / 分隔' });
const fileType = z
  .enum([
    'pdf', 'jpg', 'png', 'webp', 'tif', 'heic', 'bmp', 'gif', 'avif', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'wps', 'et', 'dps', 'odt', 'ods', 'odp', 'txt', 'md',
    'docm', 'dot', 'dotx', 'dotm', 'xlsm', 'xlsb', 'xlt', 'xltx', 'xltm', 'pptm', 'pot', 'potx', 'potm', 'pps', 'ppsx', 'ppsm', 'odg', 'vsd', 'vsdx', 'pub',
    'rtf', 'html', 'mht', 'wordxml', 'sheetxml', 'csv',
  ])
  .meta({ description: '从内容识别出的文件类型（多为常用扩展名；wordxml/sheetxml：Word/Excel 2003 XML，html：网页，mht：单个文件网页）' });
const status = z.enum(['satisfied', 'unsatisfied']);
const kind = z.enum(['document', 'photo', 'any']);

const entry = <K extends string, V extends string, P extends z.ZodType>(key: K, value: V, params: P, description: string) =>
  z
    .strictObject({
      path,
      [key]: z.literal(value),
      detail: z.string().meta({ description: '给人看的说明（中文），由 params 生成' }),
      params,
      indicator: z.string().optional().meta({ description: '文件所在的二级指标编码' }),
    } as { path: typeof path; detail: z.ZodString; params: P; indicator: z.ZodOptional<z.ZodString> } & Record<K, z.ZodLiteral<V>>)
    .meta({ description });

const cause = <T extends Record<string, z.ZodType>>(name: string, fields: T) => z.strictObject({ cause: z.literal(name), ...fields });

export const droppedSchema = z.union([
  entry('reason', 'junk', z.strictObject({ cause: z.enum(['office-lock', 'hidden', 'system']) }), '系统或软件生成的垃圾文件'),
  entry('reason', 'empty', z.strictObject({}), '0 字节的空文件'),
  entry('reason', 'excluded', z.strictObject({ pattern: z.string().meta({ description: '匹配的 exclude 规则' }) }), '与手册 exclude 规则匹配'),
  entry(
    'reason',
    'unsupported',
    z.union([
      cause('special-file', { special: z.enum(['fifo', 'socket', 'device']) }),
      cause('type', { detected: z.string().meta({ description: '从内容识别出的类型，如 mp4、zip' }), ext: z.string() }),
      cause('unknown-type', { ext: z.string() }),
      cause('too-many-pixels', { width: z.number(), height: z.number(), limit: z.number() }),
    ]),
    '不能装订的类型：视频、压缩包、特殊文件、像素过多的图片',
  ),
  entry(
    'reason',
    'unreadable',
    z.union([
      cause('truncated', { type: fileType }),
      cause('corrupt', { type: fileType, what: z.string().optional() }),
      cause('unrecognized', { ext: z.string() }),
      cause('not-text', { ext: z.string() }),
      cause('io-error', { errno: z.string() }),
      cause('folder', { errno: z.string() }),
      cause('too-large', { type: fileType, size: z.number(), limit: z.number() }),
    ]),
    '损坏、不完整或无法读取（folder：整个文件夹无法打开）',
  ),
  entry(
    'reason',
    'encrypted',
    z.strictObject({
      cause: z.enum(['pdf-password', 'pdf-certificate', 'office-password']),
      type: fileType.optional().meta({ description: '加密标志所在的 Office 文件类型（旧版 Word/Excel/PowerPoint、ODF）；加密的 OOXML 包没有' }),
    }),
    '需要密码才能打开',
  ),
  entry(
    'reason',
    'lfs-pointer',
    z.strictObject({
      oid: z.string().meta({ description: '真正文件的 SHA-256' }),
      size: z.number().meta({ description: '真正文件的字节数' }),
      include: z.string().meta({ description: '供 git lfs pull --include 使用的文件夹（相对于仓库根目录）' }),
    }),
    'Git LFS 指针文件：仓库克隆时没有下载真正的文件',
  ),
  entry('reason', 'duplicate', z.strictObject({ of: path.meta({ description: '保留下来的那一份' }) }), '同一二级指标下内容完全相同的另一份'),
  entry(
    'reason',
    'out-of-period',
    z.strictObject({ date, source: z.enum(['sidecar', 'name', 'exif', 'pdf']), from: date, to: date }),
    '日期不在测评周期内',
  ),
]);

export const warningSchema = z.union([
  entry(
    'code',
    'undated',
    z.union([
      z.strictObject({}),
      cause('camera-clock', { exif: z.string().meta({ description: '照片 EXIF 中的日期原文（如 0000:00:00 00:00:00、1970:01:01 08:00:00、2024:02:30 10:00:00）' }) }),
    ]),
    '找不到日期（camera-clock：EXIF 中的日期不是真实日期，未采用）',
  ),
  entry('code', 'low-resolution', z.strictObject({ width: z.number(), height: z.number(), min: z.number() }), '照片短边不足 min 像素'),
  entry('code', 'reused', z.strictObject({ others: z.array(z.strictObject({ path, indicator: z.string() })), more: z.number().int().positive().optional() }), '同一内容也用在别的二级指标'),
  entry('code', 'type-mismatch', z.strictObject({ detected: fileType, ext: z.string() }), '扩展名与内容不符（ext 为空：没有扩展名）'),
  entry(
    'code',
    'not-converted',
    z.union([
      cause('no-libreoffice', {}),
      cause('conversion-failed', { message: z.string().optional() }),
      cause('missing-module', {
        module: z.enum(['writer', 'calc', 'impress', 'draw']).meta({ description: '缺少的 LibreOffice 组件' }),
        package: z.string().meta({ description: '提供该组件的 Debian 软件包，如 libreoffice-impress-nogui' }),
      }),
      cause('libreoffice-failed', { message: z.string().optional() }),
      cause('memory-limit', { limitMB: z.number() }),
      cause('no-page-renderer', { pages: z.number() }),
      cause('page-render-failed', { pages: z.number(), message: z.string().optional() }),
    ]),
    'Office 文件未能转换成页面，或 DOCX 中的证据页未能转成图片（path 为 .docx）',
  ),
  entry(
    'code',
    'bad-sidecar',
    z.union([
      cause('yaml', { message: z.string() }),
      cause('not-a-map', {}),
      cause('unknown-key', { key: z.string() }),
      cause('bad-order', {}),
      cause('bad-date', { value: z.string() }),
      cause('not-text', { key: z.string() }),
      cause('unusable', { message: z.string() }),
    ]),
    '说明文件（NAME.EXT.yaml）有误',
  ),
  entry('code', 'orphan-sidecar', z.strictObject({ owner: path }), '说明文件找不到它说明的文件'),
  entry('code', 'outside-link', z.strictObject({ cause: z.enum(['outside', 'dangling', 'loop', 'repeat']) }), '符号链接指向证据文件夹外、不存在、循环，或重复指向已走过的文件夹'),
  entry(
    'code',
    'bind-failed',
    z.strictObject({ message: z.string(), pages: z.array(z.number()).optional().meta({ description: '无法复制的页（从 1 起），其余各页已装订；没有：整个文件未能装订' }) }),
    '装订时无法读取',
  ),
  entry('code', 'name-encoding', z.strictObject({ encoding: z.enum(['gb18030', 'unknown']), raw: z.string().meta({ description: '原始路径字节，非 ASCII 以 %XX 表示' }) }), '文件名不是 UTF-8'),
  entry('code', 'lookalike-name', z.strictObject({ other: path }), '与另一文件名只差 Unicode 规范化形式'),
  entry(
    'code',
    'possibly-misplaced',
    z.strictObject({
      indicator: z.string().meta({ description: '它可能属于的二级指标编码' }),
      title: z.string().meta({ description: '该二级指标名称' }),
      requirement: z.string().meta({ description: '该指标下会收它的材料要求' }),
      by: z.enum(['match', 'title']).meta({ description: 'match：符合其文件名规则；title：文件名含该要求名称的大部分字词' }),
    }),
    '列为其他材料的文件更像另一个二级指标的材料',
  ),
  entry(
    'code',
    'near-duplicate',
    z.strictObject({ of: path.meta({ description: '与它几乎相同、排在前面的照片' }), distance: z.number().meta({ description: '感知哈希 63 位中不同的位数' }) }),
    '同一二级指标中几乎相同的照片（缩放、压缩、转发的副本）',
  ),
  entry(
    'code',
    'blurry',
    z.strictObject({ sharpness: z.number().meta({ description: '清晰度：512 像素副本上最陡边缘宽度的倒数' }), threshold: z.number() }),
    '照片模糊',
  ),
  entry('code', 'multi-frame', z.strictObject({ frames: z.number().meta({ description: '动图（GIF、WebP）的帧数；卷中只装订第一帧' }) }), '动图只装订第一帧'),
  entry(
    'code',
    'damaged-image',
    z.strictObject({
      cause: z.enum(['corrupt-data', 'missing-data', 'invalid-markers']).meta({
        description: 'corrupt-data：图像数据有错；missing-data：图像数据缺了一部分；invalid-markers：含不合规范的标记，已修补后解码',
      }),
    }),
    '图像数据有损坏，装订的是能解出的画面（重新编码，不原样嵌入）',
  ),
  entry(
    'code',
    'missing-glyph',
    z.strictObject({
      chars: z
        .array(z.strictObject({ text: z.string().meta({ description: '字符（或带组合符号的字符簇）本身' }), code: z.string().meta({ description: '码位，如 U+2000B' }) }))
        .meta({ description: '内置字体和后备字体都没有的字符' }),
      pages: z.array(z.number()).meta({ description: '以方框加码位代替显示的 PDF 页（从 1 起，按文件中的顺序）' }),
      places: z.array(z.enum(['cover', 'toc', 'form', 'gap', 'photos', 'text', 'evidence', 'notice', 'backnote'])).meta({ description: '这些页的种类：封面、卷内目录、提交表、缺项说明、照片页、文本页、材料页、说明页、备考表' }),
      files: z.array(path).meta({ description: '名称、说明文件或文本内容含这些字符的证据文件' }),
    }),
    '字体中没有的字符：PDF 中以方框加码位代替（path 为 .pdf）',
  ),
  entry(
    'code',
    'text-encoding',
    z.strictObject({
      encoding: z.enum(['utf-8', 'gb18030', 'big5', 'utf-16le', 'utf-16be']).meta({ description: '读出文字所用的编码' }),
      replaced: z.number().optional().meta({ description: '在该编码下无效、显示为 U+FFFD 的字节序列数' }),
      confidence: z.literal('uncertain').optional().meta({ description: '另一种编码读出来几乎一样通顺：编码只是猜测' }),
    }),
    '文本文件（或缺项说明）的编码不确定，或有无效字节',
  ),
  entry('code', 'xfa-form', z.strictObject({}), '动态 XFA 表单：只有 Adobe Reader 能显示，不装订，也不计入材料要求'),
  entry('code', 'form-appearance', z.strictObject({ fields: z.number().meta({ description: '有值却没有外观（显示为空白）的表单栏目数' }) }), 'PDF 表单栏目有值却没有外观，装订后为空白'),
]);

export const suggestionSchema = z
  .strictObject({
    path: path.meta({ description: '要改名的文件夹（或文件），相对于证据文件夹' }),
    indicator: z.string().meta({ description: '它差一点就写对的二级指标编码' }),
    name: z.string().meta({ description: '建议的新名字（只是最后一级）' }),
    kind: z.enum(['folder', 'file']),
    files: z.number().meta({ description: '改名后会归入该指标的未归类文件数' }),
    hint: z.string().meta({ description: '给人看的建议' }),
  })
  .meta({ description: '名字接近二级指标编码的未归类文件夹或文件：建议的改名（本工具从不改名）' });

const requirement = z.strictObject({
  title: z.string(),
  kind,
  min: z.number(),
  found: z.number(),
  status,
  files: z.array(path),
  unmatched: z
    .strictObject({
      match: z.array(z.string()).meta({ description: '该要求的文件名规则（空：不限文件名）' }),
      files: z.array(z.strictObject({ path, cause: z.enum(['pattern', 'kind', 'xfa-form']).meta({ description: 'pattern：文件名不符合规则；kind：类型不对；xfa-form：动态 XFA 表单，没有可装订的内容' }) })),
    })
    .optional()
    .meta({ description: '未满足、而本指标另有其他材料时：这些文件，以及该要求没有收它们的原因' }),
});
const bLevel = z.strictObject({
  code: z.string(),
  title: z.string(),
  owner: z.string().optional(),
  due: date.optional(),
  overdue: z.boolean(),
  score: z.number().optional(),
  method: z.string().optional(),
  status,
  reason: z.string().optional().meta({ description: '单位写明的缺项原因：该二级指标文件夹中的 缺项说明.txt（或 .md）' }),
  requirements: z.array(requirement),
  other: z.array(path),
});

const summary = z.strictObject({
  indicators: z.number().meta({ description: '二级指标数' }),
  satisfied: z.number(),
  unsatisfied: z.number(),
  gaps: z.number().meta({ description: '未满足的材料要求数' }),
  files: z.number(),
  kept: z.number(),
  dropped: z.number(),
  unassigned: z.number(),
  warnings: z.number(),
  score: z.number(),
  scoreAtRisk: z.number().meta({ description: '未满足的二级指标分值之和' }),
});

export const reportSchema = z
  .strictObject({
    version: z.literal(1),
    title: z.string(),
    unit: z.string(),
    today: date,
    period: z.strictObject({ from: date, to: date }).optional(),
    summary,
    indicators: z.array(
      z.strictObject({ code: z.string(), title: z.string(), owner: z.string().optional(), score: z.number().optional(), status, indicators: z.array(bLevel) }),
    ),
    dropped: z.array(droppedSchema),
    unassigned: z.array(path),
    warnings: z.array(warningSchema),
    suggestions: z.array(suggestionSchema),
    volumes: z.array(z.strictObject({ code: z.string(), file: z.string(), pages: z.number(), items: z.number() })).optional().meta({ description: '仅 build：写出的案卷' }),
  })
  .meta({ title: 'chuangcheng 报告 report.json', description: 'check --format json 与 build 写出的 report.json' });

export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(reportSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** `check DIR1 DIR2 … --format json`: each unit's report (with its folder) and the sum over all. */
export const unitsReportSchema = z
  .strictObject({
    version: z.literal(1),
    today: date,
    summary: summary.extend({
      units: z.number().meta({ description: '单位数' }),
      unitsWithGaps: z.number().meta({ description: '缺材料的单位数' }),
      overdue: z.number().meta({ description: '已逾期的未满足二级指标数' }),
    }),
    units: z.array(reportSchema.extend({ dir: z.string().meta({ description: '该单位的项目文件夹（命令行上给出的）' }) })),
  })
  .meta({ title: 'chuangcheng 多单位报告', description: 'check 多个项目文件夹 --format json 的输出' });

export function unitsReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(unitsReportSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}
