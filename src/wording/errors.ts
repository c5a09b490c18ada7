// The sentence of each error that stops a command, made from its code and params (src/errors.ts).
// Like the diagnostics' (wording/diagnostics.ts), the words live here and nowhere else; programs
// read `code` and `params`, people read these sentences.
//
// Two voices: the API's (`api`, the error's `message`) names an option by its key (`jobs`, `today`)
// and a temporary folder by the `tempDir` option; the command line's (`cli`, what the CLI prints)
// names the flag the user typed (`--jobs`, `--today`), the environment variables it reads, and the
// TMPDIR a user can set.
import { formatManualError, type ManualError } from '../manual/errors.js';
import { errnoText } from '../util/fsx.js';

export type Voice = 'api' | 'cli';

/** The flags of the API's options. */
const FLAG: Record<string, string> = {
  today: '--today',
  date: '--date',
  formats: '--format',
  jobs: '--jobs',
  only: '--only',
  shard: '--shard',
  shards: '--shards',
  cache: '--cache',
  manual: '--manual',
  evidence: '--evidence',
  out: '--out',
  output: '--output',
};

/** An option as the voice names it. */
const option = (name: string, v: Voice) => (v === 'cli' ? (FLAG[name] ?? name) : name);
const json = (x: unknown) => (x === undefined ? 'undefined' : JSON.stringify(x));

/** A shard as merge names it. */
export interface ShardLabel {
  /** the folder as the user gave it */
  label: string;
  index: number;
  of: number;
}
const who = (s: ShardLabel) => `${s.label}（第 ${s.index}/${s.of} 片）`;

/** Where the run's temporary folder goes, as each voice can change it. */
const TEMP_ADVICE: Record<Voice, string> = {
  api: '请腾出磁盘空间，或用 tempDir 选项指定一个可写、空间充足的文件夹后重试。',
  cli: '请腾出磁盘空间，或把环境变量 TMPDIR 设为一个可写、空间充足的文件夹后重试。',
};
const temp = (what: string, v: Voice) => `${what}。${TEMP_ADVICE[v]}这不是您的文件的问题；处理后请重新运行。`;

/** What a file in the output folder is that it may not be replaced. */
export type Unreplaceable = { name: string; why: 'foreign' | 'changed' };
const unreplaceable = (list: Unreplaceable[]) => list.map((p) => `${p.name}（${p.why === 'foreign' ? '不是 chuangcheng 写出的文件' : '上次装订后被修改过'}）`).join('\n  ');

const PATH_OPTIONS: Record<string, string> = { '--out': '输出文件夹', '--output': '输出文件', '--manual': '测评手册文件', '--evidence': '证据文件夹', '--cache': '缓存文件夹' };

const SAVE_AS_UTF8 = '请用记事本或 WPS 打开，另存为时把“编码”选为 UTF-8，再运行。';
const SAVE_AS_XLSX = '请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再导入。';

/** The formats a table can be read from, as the LibreOffice message names them. */
const TABLE_FORMAT = { et: 'WPS 表格（.et）', ods: 'OpenDocument 表格（.ods）', xls: '旧版 Excel（.xls）' } as const;

/** Every error, by code: its params and its sentence. */
export const ERRORS = {
  // ---- options, checked once by the API (the CLI names the flags)
  'option-path': (p: { option: string; received: unknown }, v: Voice) => `选项 ${option(p.option, v)} 应为路径文字，收到 ${json(p.received)}`,
  'option-date': (p: { option: 'today' | 'date'; received: unknown }, v: Voice) =>
    v === 'cli' ? `${option(p.option, v)} 应为 YYYY-MM-DD 格式的日期，收到 "${String(p.received)}"` : `${p.option === 'date' ? 'date（立卷时间）' : p.option} 应为 YYYY-MM-DD 格式的真实日期，收到 ${json(p.received)}`,
  'option-cache': (p: { option: 'cache'; received: unknown }) => `cache 应为缓存文件夹的路径，或 null（不用缓存），收到 ${json(p.received)}`,
  /** `bad`: the entry that is not a format, when the value is a list */
  'option-formats': (p: { option: 'formats'; received: unknown; bad?: unknown }, v: Voice) =>
    v === 'cli' ? `${option(p.option, v)} 只能是 pdf、docx 或 pdf,docx，收到 ${json(p.bad ?? p.received)}` : `formats 只能是 pdf、docx 或两者，收到 ${json(p.received)}`,
  'option-jobs': (p: { option: 'jobs'; received: unknown }, v: Voice) =>
    v === 'cli' ? `${option(p.option, v)} 应为正整数，收到 "${String(p.received)}"` : `jobs 应为正整数，收到 ${json(p.received)}`,
  'option-only': (p: { option: 'only'; received: unknown }, v: Voice) => `${option(p.option, v)} 应为一级指标编码的列表，收到 ${json(p.received)}`,
  'option-only-unknown': (p: { option: 'only'; unknown: string[]; known: string[] }) => `--only 中的一级指标编码不存在：${p.unknown.join('、')}。可用的有：${p.known.join('、')}`,
  'option-shard-count': (p: { option: 'shard'; max: number; received: unknown }, v: Voice) => `${option(p.option, v)} 的总片数应为 1 到 ${p.max} 的整数，收到 ${json(p.received)}`,
  'option-shard-index': (p: { option: 'shard'; of: number; received: unknown }, v: Voice) => `${option(p.option, v)} 的片号应为 1 到 ${p.of} 的整数（共 ${p.of} 片），收到 ${json(p.received)}`,
  'option-shard-syntax': (p: { option: 'shard'; received: string }) => `--shard 应写成“第几片/共几片”，如 --shard 2/4，收到 "${p.received}"`,
  'option-shards': (p: { option: 'shards'; max: number; received: unknown }, v: Voice) => `${option(p.option, v)} 应为 1 到 ${p.max} 的整数（分成几片），收到 ${json(p.received)}`,
  'option-shards-missing': () => '请用 --shards N 说明分成几片，例如 chuangcheng plan --shards 4',
  'option-shard-with-only': () => '--shard 和 --only 不能同时使用：分片装订的一级指标由分片计划决定（chuangcheng plan 可查看）。请去掉其中一个。',
  /** `command`: build converts office files with LibreOffice; import reads .xls/.et/.ods with it */
  'option-soffice': (p: { option: 'soffice'; command: 'build' | 'import'; received: unknown }) =>
    `soffice 应为 LibreOffice 的路径，或 null（${p.command === 'build' ? '不转换 Office 文件' : '不用 LibreOffice'}），收到 ${json(p.received)}`,
  'option-env': (p: { option: 'env'; received: unknown }) => `env 应为环境变量的表（变量名 → 文字），收到 ${json(p.received)}`,
  'option-console': (p: { option: 'console'; received: unknown }) => `console 应为有 log、info、warn、error、debug 方法的对象，或 null（不输出），收到 ${typeof p.received}`,
  'option-soffice-timeout': (p: { option: 'sofficeTimeout'; received: unknown }, v: Voice) =>
    v === 'cli' ? `环境变量 CHUANGCHENG_SOFFICE_TIMEOUT 应为正数（秒），收到 "${String(p.received)}"。请改正或删除它。` : `sofficeTimeout 应为正数（秒），收到 ${json(p.received)}`,
  'option-soffice-memory': (p: { option: 'sofficeMemoryMB'; min: number; received: unknown }, v: Voice) =>
    v === 'cli'
      ? `环境变量 CHUANGCHENG_SOFFICE_MEMORY_MB 应为不小于 ${p.min} 的整数（MB），或 0（不设上限），收到 "${String(p.received)}"。请改正或删除它。`
      : `sofficeMemoryMB 应为不小于 ${p.min} 的整数（MB），或 null（不设上限），收到 ${json(p.received)}`,
  /** import's texts: `label` names the value (要导入的表格, --title（档案标题）…) */
  'option-empty-text': (p: { option: string; label: string; required: boolean }) => `${p.label} 不能为空${p.required ? '' : '；不需要时请不写这个选项'}。`,
  /** an option (or argument) given as the empty text: what `--out "$OUT"` gives when OUT is not set */
  'option-empty': (p: { option: string }) => {
    const what = PATH_OPTIONS[p.option];
    return what
      ? `${p.option} 的值是空的（命令里的变量可能没有设置）。空路径会被当成当前文件夹，所以没有执行。请给出${what}的路径。`
      : `${p.option} 的值是空的（命令里的变量可能没有设置），所以没有执行。请给出它的值，或去掉这个选项。`;
  },
  'argument-empty': (p: { command: string }) => `命令 ${p.command} 的参数中有空的值（命令里的变量可能没有设置）。空路径会被当成当前文件夹，所以没有执行。请给出实际的路径。`,
  'cache-empty': () => '--cache 需要一个文件夹路径；不想用缓存请写 --no-cache',
  'source-date-epoch': (p: { received: string }) => `环境变量 SOURCE_DATE_EPOCH 应为 Unix 时间戳（自 1970-01-01 起的秒数，如 1716163200），收到 "${p.received}"。请改正或删除它，或用 --date 指定立卷时间。`,

  // ---- the project: its manual and evidence folder
  'manual-not-found': (p: { file: string }) => `找不到测评手册 ${p.file}。请在项目文件夹中放一个 manual.yaml（可运行 chuangcheng init 生成），或用 --manual 指定。`,
  /** `detail`: why it cannot be read (not a regular file, too large, no permission) */
  'manual-unreadable': (p: { file: string; detail: string }) => `${p.detail}。--manual 应指向一个 YAML 文本文件。`,
  'manual-utf16': (p: { file: string }) => `测评手册 ${p.file} 是 UTF-16 编码（Windows 记事本的“Unicode”），本工具只读 UTF-8。${SAVE_AS_UTF8}`,
  'manual-gbk': (p: { file: string }) => `测评手册 ${p.file} 是 GBK（GB2312/GB18030）编码，不是 UTF-8，中文会读成乱码。${SAVE_AS_UTF8}`,
  'manual-not-utf8': (p: { file: string }) => `测评手册 ${p.file} 不是 UTF-8 编码的文字（可能是别的编码，或不是文本文件）。${SAVE_AS_UTF8}`,
  /** `errors`: each problem with its place (the lines under the sentence) */
  'manual-invalid': (p: { file: string; errors: ManualError[] }) => `测评手册 ${p.file} 有 ${p.errors.length} 处错误，请改正后再运行：`,
  /** a sharded build reads the manual again for its hash */
  'manual-gone': (p: { file: string; detail: string }) => `${p.detail}。测评手册在检查之后读不出来了，请确认它还在原处后重新装订。`,
  'evidence-not-found': (p: { dir: string }) => `找不到证据文件夹 ${p.dir}。请新建 evidence 文件夹并按指标放入材料（chuangcheng init 可按手册生成文件夹），或用 --evidence 指定位置。`,
  'evidence-not-folder': (p: { dir: string }) => `${p.dir} 不是文件夹。--evidence 应指向存放佐证材料的文件夹。`,
  'evidence-unreadable': (p: { dir: string; detail: string }) => `${p.detail}。请检查文件夹权限，或用 --evidence 指定别的位置。`,
  'init-evidence-not-folder': (p: { dir: string }) => `${p.dir} 已存在但不是文件夹，无法在其中建立指标文件夹。`,
  /** a font of the manual's `fonts:` (`detail`: why it cannot be read) */
  'font-unreadable': (p: { file: string; detail: string }) => `${p.detail}。请检查手册 fonts: 中的路径，它应指向 TTF、OTF 或 TTC 字体文件。`,
  'font-invalid': (p: { file: string }) => `${p.file} 不是可用的字体文件（支持 TTF、OTF、TTC）。`,

  // ---- outputs (`option`: the option that named the place)
  'output-in-evidence': (p: { option: string; given: string; evidence: string }) =>
    `不能把输出写进证据文件夹：${p.option} ${p.given} 在证据文件夹 ${p.evidence} 里（或经符号链接指向那里）。证据文件夹只读，写在里面的文件下次装订时会被当成证据。请换一个位置。`,
  'output-not-folder': (p: { option: string; given: string }) => `${p.option} ${p.given} 已存在，但不是文件夹。请换一个名字，或用 ${p.option} 指定一个文件夹。`,
  /** `special`: what it is instead (a folder, a FIFO, a device) */
  'output-not-file': (p: { option: string; given: string; special: string; folder: boolean }) =>
    `${p.option} ${p.given} 是${p.special}，不是普通文件：报告要整个写好后才放到位，不能写进${p.folder ? '文件夹本身' : '它'}。` +
    (p.folder ? '请在文件夹后面加上文件名。' : '要把报告交给别的程序，请去掉 --output，用管道（|）或重定向（>）。'),
  'output-write-failed': (p: { file: string; errno?: string }) => `无法写入 ${p.file}（${errnoText(p.errno)}）。请检查路径、写入权限和磁盘空间，或换一个位置。`,
  'report-write-failed': (p: { errno?: string }) => `无法写出报告（${errnoText(p.errno)}）。请检查磁盘空间，或用 --output 把报告写到别处。`,
  'output-folder-not-made': (p: { dir: string; errno?: string; option: string }) => `无法建立输出文件夹 ${p.dir}（${errnoText(p.errno)}）。请换一个可写的位置，用 ${p.option} 指定。`,
  'output-folder-unwritable': (p: { dir: string; errno?: string; option: string }) => `无法在输出文件夹 ${p.dir} 中写入（${errnoText(p.errno)}）。请换一个可写的位置，用 ${p.option} 指定。`,
  'output-folder-full': (p: { dir: string; errno?: string; option: string }) => `无法在输出文件夹 ${p.dir} 中写入（${errnoText(p.errno)}）。请检查磁盘空间，或用 ${p.option} 换一个文件夹。`,
  /** another run holds the lock: `command` is what it runs; `host` when another machine's */
  'output-locked': (p: { dir: string; command: 'build' | 'merge'; pid?: number; host?: string; lock: string; option: string }) =>
    `另一个 chuangcheng ${p.command} 正在向 ${p.dir} 写入${p.pid !== undefined ? `（${p.host !== undefined ? `${p.host} 上的` : ''}进程 ${p.pid}）` : ''}。` +
    `请等它结束后再运行，或用 ${p.option} 换一个文件夹。如确定没有别的 chuangcheng 在运行，可删除 ${p.lock} 后重试。`,
  'output-lock-failed': (p: { dir: string }) => `无法锁定输出文件夹 ${p.dir}，请重试。`,
  'output-would-replace': (p: { dir: string; files: Unreplaceable[] }) =>
    `输出文件夹 ${p.dir} 里已有同名文件，为免覆盖，本次没有写入任何文件：\n  ${unreplaceable(p.files)}\n请把它们移到别处（或另存为别的名字）后重新装订，或用 --out 换一个文件夹。`,
  'output-changed-midway': (p: { dir: string; manifest: string; files: Unreplaceable[] }) =>
    `输出文件夹 ${p.dir} 里的同名文件在本次装订开始后被改动，为免覆盖，装订在写它之前停止（已写出的文件记在 ${p.manifest} 中）：\n  ${unreplaceable(p.files)}\n请把它移到别处（或另存为别的名字）后重新装订，或用 --out 换一个文件夹。`,
  'output-file-write-failed': (p: { file: string; errno?: string }) => `无法写入 ${p.file}（${errnoText(p.errno)}）。请检查磁盘空间和写入权限，或用 --out 换一个文件夹。`,

  // ---- the run's temporary folder: never the evidence's fault
  'temp-unwritable': (p: { dir: string; errno?: string }, v: Voice) => temp(`无法在临时文件夹 ${p.dir} 中写入（${errnoText(p.errno)}）`, v),
  /** `left`: the free space measured, when it was */
  'temp-full': (p: { dir: string; left?: string }, v: Voice) => temp(`临时文件夹 ${p.dir} 所在磁盘空间已满${p.left !== undefined ? `（只剩 ${p.left}）` : ''}`, v),
  'temp-read-only': (p: { dir: string }, v: Voice) => temp(`临时文件夹 ${p.dir} 是只读的`, v),
  'temp-soffice-store': (p: { dir: string }, v: Voice) => temp(`LibreOffice 无法把转换结果写进临时文件夹 ${p.dir}（写入出错，多半是磁盘空间不足）`, v),

  // ---- check with several projects (the CLI)
  'check-units-with-paths': () => '检查多个项目时不能用 --manual 或 --evidence：每个项目文件夹里应各有 manual.yaml 和 evidence/。',
  'check-unit-twice': (p: { dir: string; same: string }) => `项目文件夹 ${p.dir} 重复给出（与 ${p.same} 是同一个文件夹）。`,
  /** what went wrong with one of several projects (its error is the cause) */
  'check-unit-failed': (p: { dir: string; message: string; details: string[] }) => `项目 ${p.dir}：${p.message}`,
  'check-xlsx-needs-output': () => '--format xlsx 会生成 Excel 文件，请用 --output 指定文件名，例如 --output 台账.xlsx',
  'check-output-is-manual': (p: { output: string }) => `--output ${p.output} 就是测评手册，写入会覆盖手册。请换一个文件名，例如 --output 台账.xlsx`,

  // ---- import
  'import-no-output': () => '请用 --output 指定要生成的测评手册，例如：chuangcheng import 任务分解表.xlsx --output my-archive/manual.yaml',
  'import-output-is-table': (p: { table: string }) => `--output 指向了要导入的表格 ${p.table} 本身。请另指定一个 .yaml 文件，例如 --output manual.yaml。`,
  'import-output-not-file': (p: { output: string }) => `${p.output} 已存在，但不是普通文件，不能写入。请用 --output 另指定一个文件名。`,
  'import-output-exists': (p: { output: string }) => `${p.output} 已经存在，没有覆盖它。要用导入的结果替换它（原文件的内容会丢失），请加上 --force；或用 --output 另指定一个文件名。`,
  'table-not-found': (p: { file: string }) => `找不到表格 ${p.file}。请检查文件名和所在文件夹。`,
  'table-unreadable': (p: { file: string; detail: string }) => `${p.detail}。请指定要导入的 Excel 或 CSV 表格。`,
  'table-empty-file': (p: { name: string }) => `表格 ${p.name} 是空文件（0 字节），里面没有任何内容。`,
  /** `ext`: the file's extension, without the dot ('' for none) */
  'table-format': (p: { name: string; ext: string }) =>
    `不认识 ${p.name} 的格式${p.ext ? `（.${p.ext}）` : ''}：可以导入 Excel 表格（.xlsx、.xls）、WPS 表格（.et）、.ods 和 CSV（.csv）。` +
    (p.ext === 'docx' || p.ext === 'doc' || p.ext === 'wps' ? '任务分解表是 Word 文档时，请把其中的表格复制到 Excel 或 WPS 表格中，保存为 .xlsx 再导入。' : SAVE_AS_XLSX),
  'table-not-workbook': (p: { name: string }) => `无法读取 ${p.name}：它不是完好的 Excel 工作簿。文件可能已损坏或设有打开密码，${SAVE_AS_XLSX}`,
  'table-needs-libreoffice': (p: { name: string; format: keyof typeof TABLE_FORMAT }) =>
    `${p.name} 是${TABLE_FORMAT[p.format]}文件，读取它需要 LibreOffice，但本机没有找到。${SAVE_AS_XLSX}（也可以安装 LibreOffice；它不在默认位置时，用环境变量 CHUANGCHENG_SOFFICE 指定 soffice 的路径。）`,
  /** `why`: what LibreOffice said, in our words */
  'table-not-converted': (p: { name: string; why?: string }) => `LibreOffice 无法转换 ${p.name}${p.why ? `（${p.why}）` : ''}。文件可能已损坏或设有打开密码，${SAVE_AS_XLSX}`,
  'table-blank': (p: { name: string }) => `表格 ${p.name} 是空的：没有任何文字。请确认选对了文件。`,
  'table-no-header': (p: { name: string; rows: number }) =>
    `在 ${p.name} 的前 ${p.rows} 行（第 1–${p.rows} 行）里找不到表头。表头应当有“测评内容”（或“二级指标”“内容”）列，` +
    '以及“测评项目”（或“一级指标”“项目”）、“测评标准”“分值”“责任人”“完成时限”等列中的至少一个。请检查是否选对了文件（或工作表），或把表头改成这些名称。',
  'table-no-a-column': (p: { row: number }) => `第 ${p.row} 行是表头，但其中没有“测评项目”（或“一级指标”“项目”）列，无法分出一级指标。请在测评内容左边加一列“测评项目”，填上每行所属的项目，再导入。`,
  'table-no-rows': (p: { name: string; row: number }) => `表格 ${p.name} 的表头（第 ${p.row} 行）下面没有任何指标行：没有可导入的测评项目和测评内容。`,
  /** `rows`: each row to fix (the lines under the sentence) */
  'table-rows': (p: { name: string; rows: { row: number; message: string }[] }) => `无法从 ${p.name} 生成测评手册，有 ${p.rows.length} 处需要先在表格中改正：`,

  // ---- merge
  'merge-no-shards': () => '请给出要合并的分片文件夹：chuangcheng merge 片1 片2 … --out 输出文件夹',
  'merge-no-out': () => '请用 --out 指定合并后的输出文件夹，例如 chuangcheng merge 片1 片2 --out 案卷',
  'shard-not-found': (p: { label: string }) => `找不到分片文件夹 ${p.label}。请检查路径：每个分片是 chuangcheng build --shard i/N 的输出文件夹。`,
  'shard-not-folder': (p: { label: string }) => `${p.label} 不是文件夹。merge 要的是 chuangcheng build --shard i/N 写出的输出文件夹。`,
  /** `whole`: it holds report.json, as a whole build's folder does */
  'shard-no-record': (p: { label: string; file: string; whole: boolean }) =>
    `${p.label} 不是分片的输出：里面没有 ${p.file}。${p.whole ? '它像是一次完整装订（不带 --shard）的输出，无需合并。' : ''}merge 只合并 chuangcheng build --shard i/N 写出的文件夹。`,
  /** `detail`: why it cannot be read; none: it is not JSON */
  'shard-record-unreadable': (p: { label: string; file: string; detail?: string }) =>
    `${p.label}/${p.file} 无法读取（${p.detail ?? '不是有效的 JSON'}）。请重新装订这一片（chuangcheng build --shard i/N），或重新下载它的输出。`,
  'shard-record-foreign': (p: { label: string; file: string }) => `${p.label}/${p.file} 不是 chuangcheng 的分片记录。merge 只合并 chuangcheng build --shard i/N 写出的文件夹。`,
  'shard-record-format': (p: { label: string; version?: string }) =>
    `${p.label} 是 chuangcheng ${p.version ?? '另一版本'} 装订的分片，记录格式与本版本不同。请用同一版本的 chuangcheng 装订所有分片并合并。`,
  /** `at`: the first place that does not fit ('' for the whole) */
  'shard-record-damaged': (p: { label: string; file: string; at: string }) => `${p.label}/${p.file} 已损坏（${p.at || '内容'} 不符合分片记录的格式）。请重新装订这一片，或重新下载它的输出。`,
  'shard-record-inconsistent': (p: { label: string; file: string }) => `${p.label}/${p.file} 自相矛盾（片号、分片计划与所装订的一级指标对不上）。请重新装订这一片。`,
  /** shards that disagree: `odd` against `ref` (the largest group of equal values), each with its value */
  'shards-versions': (p: { odd: (ShardLabel & { value: string })[]; ref: ShardLabel & { value: string } }) =>
    `分片由不同版本的 chuangcheng 装订：${p.odd.map((s) => `${who(s)}是 ${s.value}`).join('，')}，而 ${who(p.ref)}是 ${p.ref.value}。请用同一版本重新装订这些分片后再合并。`,
  'shards-manuals': (p: { odd: ShardLabel[]; ref: ShardLabel }) => `${p.odd.map(who).join('、')}装订时用的测评手册与 ${who(p.ref)}的不同（manual.yaml 有改动）。请用同一份手册重新装订所有分片后再合并。`,
  'shards-dates': (p: { odd: (ShardLabel & { value: string })[]; ref: ShardLabel & { value: string } }) =>
    `分片的立卷时间（--date）不同：${p.odd.map((s) => `${who(s)}是 ${s.value}`).join('，')}，而 ${who(p.ref)}是 ${p.ref.value}。` +
    `所有分片必须用同一个 --date 装订：请用 --date ${p.ref.value} 重新装订${p.odd.length > 1 ? '这些分片' : '这一片'}。`,
  'shards-todays': (p: { odd: (ShardLabel & { value: string })[]; ref: ShardLabel & { value: string } }) =>
    `分片判断逾期所用的日期（today）不同：${p.odd.map((s) => `${who(s)}是 ${s.value}`).join('，')}，而 ${who(p.ref)}是 ${p.ref.value}。请用同样的日期重新装订。`,
  'shards-formats': (p: { odd: (ShardLabel & { value: string })[]; ref: ShardLabel & { value: string } }) =>
    `分片的输出格式（--format）不同：${p.odd.map((s) => `${who(s)}是 ${s.value}`).join('，')}，而 ${who(p.ref)}是 ${p.ref.value}。请用同一个 --format 重新装订。`,
  'shards-counts': (p: { odd: ShardLabel[]; ref: ShardLabel }) =>
    `分片的总片数不同：${p.odd.map((s) => `${s.label} 是共 ${s.of} 片中的第 ${s.index} 片`).join('，')}，而 ${p.ref.label} 是共 ${p.ref.of} 片中的第 ${p.ref.index} 片。只能合并同一次分片（同一个 N）装订的输出。`,
  /** `diff`: what differs, in words (files more, fewer, changed) */
  'shards-evidence': (p: { odd: (ShardLabel & { diff: string })[]; ref: ShardLabel }) =>
    `分片装订时的证据文件夹不一样：${p.odd.map((s) => `${who(s)}与 ${who(p.ref)}相比${s.diff || '有差别'}`).join('；')}。` +
    `各分片之间材料有改动，合在一起会前后矛盾。请在材料不再变动时重新装订所有分片（在 CI 里，所有分片要检出同一个提交）。`,
  'shards-plans': (p: { odd: ShardLabel[]; ref: ShardLabel }) => `${p.odd.map(who).join('、')}的分片计划或对证据文件夹的记录与 ${who(p.ref)}不同，虽然材料相同。请用同一版本、同样的设置重新装订所有分片。`,
  'shards-twice': (p: { of: number; twice: { index: number; labels: string[] }[] }) =>
    `${p.twice.map((t) => `第 ${t.index}/${p.of} 片给了 ${t.labels.length} 次（${t.labels.join('、')}）`).join('；')}。每一片只能给一次：请去掉重复的文件夹。`,
  'shards-missing': (p: { of: number; missing: number[]; given: number[] }) =>
    `缺少第 ${p.missing.join('、')} 片（共 ${p.of} 片，只给了第 ${p.given.join('、')} 片）。请把所有分片的输出文件夹都列出来：chuangcheng merge 片1 片2 … --out 输出文件夹。`,
  /** `gone`: missing (else its bytes differ) */
  'shard-file-changed': (p: { shard: ShardLabel; name: string; gone: boolean }) =>
    `${who(p.shard)}里的 ${p.name} ${p.gone ? '不见了' : '与装订时写出的不同'}（下载不完整，或被改动过）。请重新下载这一片的输出，或重新装订这一片，再合并。`,
  'shards-same-volume': (p: { name: string; first: ShardLabel; second: ShardLabel }) => `${who(p.first)}和 ${who(p.second)}都有 ${p.name}。分片的卷不应重名：请用同一版本重新装订所有分片。`,
  /** `inside`: a folder inside the shard's, not the shard's itself */
  'merge-out-in-shard': (p: { out: string; label: string; inside: boolean }) => `合并的输出文件夹 ${p.out} 是分片文件夹 ${p.label}${p.inside ? '里面的文件夹' : ''}。请用 --out 另指定一个文件夹。`,
  'merge-out-not-folder': (p: { out: string }) => `--out ${p.out} 已存在，但不是文件夹。请换一个名字。`,
  'shards-plan-incomplete': () => '分片计划没有覆盖手册中的所有一级指标。请用同一版本重新装订所有分片。',
  'merge-file-changed': (p: { file: string }) => `${p.file} 在合并过程中被改动了。请等它不再变动后重新合并。`,
  'merge-io': (p: { errno?: string }) => `合并时无法读写文件（${errnoText(p.errno)}）。请检查磁盘空间和权限后重试。`,
} satisfies Record<string, (p: never, v: Voice) => string>;


export type ErrorCode = keyof typeof ERRORS;

/** Every error code (a code, once published, keeps its meaning: test/api.test.ts pins them). */
export const ERROR_CODES = Object.keys(ERRORS) as readonly ErrorCode[];
/** An error's params (none: `{}`). */
export type ErrorParams<C extends ErrorCode = ErrorCode> = C extends ErrorCode ? ParamsOf<(typeof ERRORS)[C]> : never;
type ParamsOf<F> = F extends (...args: infer A) => string ? (A extends [] ? Record<string, never> : A[0]) : never;

/** The error's sentence, in the voice of whoever shows it. */
export function errorText<C extends ErrorCode>(code: C, params: ErrorParams<C>, voice: Voice = 'api'): string {
  return (ERRORS[code] as (p: ErrorParams<C>, v: Voice) => string)(params, voice);
}

/** The lines shown under the sentence: each problem of a manual, each row of a table to fix. */
export function errorDetails<C extends ErrorCode>(code: C, params: ErrorParams<C>): string[] {
  if (code === 'manual-invalid') {
    return (params as ErrorParams<'manual-invalid'>).errors.map(formatManualError);
  }
  if (code === 'check-unit-failed') return (params as ErrorParams<'check-unit-failed'>).details;
  if (code === 'table-rows') return (params as ErrorParams<'table-rows'>).rows.map((r) => `第 ${r.row} 行：${r.message}`);
  return [];
}
