// The sentence shown for each dropped file and warning, made from its code and params. Every
// reporter (text, JSON `detail`, Markdown, Excel, HTML) shows these words; change them here.
import type { DateSource, DropDiag, DropParams, FileType, Suggestion, WarningDiag, WarningParams } from '../model.js';
import { formatBytes } from '../util/fsx.js';

export const TYPE_LABEL: Record<FileType, string> = {
  pdf: 'PDF', jpg: 'JPEG 图片', png: 'PNG 图片', webp: 'WebP 图片', tif: 'TIFF 图片', heic: 'HEIC 图片',
  bmp: 'BMP 图片', gif: 'GIF 图片', doc: 'Word 文档(.doc)', docx: 'Word 文档(.docx)', xls: 'Excel 表格(.xls)',
  xlsx: 'Excel 表格(.xlsx)', ppt: 'PowerPoint(.ppt)', pptx: 'PowerPoint(.pptx)', wps: 'WPS 文字', et: 'WPS 表格',
  dps: 'WPS 演示', odt: 'ODF 文档', ods: 'ODF 表格', odp: 'ODF 演示', txt: '纯文本', md: 'Markdown 文本',
  avif: 'AVIF 图片',
  docm: 'Word 启用宏的文档(.docm)', dot: 'Word 97-2003 模板(.dot)', dotx: 'Word 模板(.dotx)', dotm: 'Word 启用宏的模板(.dotm)',
  xlsm: 'Excel 启用宏的工作簿(.xlsm)', xlsb: 'Excel 二进制工作簿(.xlsb)', xlt: 'Excel 97-2003 模板(.xlt)', xltx: 'Excel 模板(.xltx)',
  xltm: 'Excel 启用宏的模板(.xltm)', pptm: 'PowerPoint 启用宏的演示文稿(.pptm)', pot: 'PowerPoint 97-2003 模板(.pot)',
  potx: 'PowerPoint 模板(.potx)', potm: 'PowerPoint 启用宏的模板(.potm)', pps: 'PowerPoint 97-2003 放映文件(.pps)',
  ppsx: 'PowerPoint 放映文件(.ppsx)', ppsm: 'PowerPoint 启用宏的放映文件(.ppsm)', odg: 'ODF 绘图', vsd: 'Visio 绘图(.vsd)',
  vsdx: 'Visio 绘图(.vsdx)', pub: 'Publisher 出版物(.pub)', rtf: 'RTF 文档', html: '网页(HTML)', mht: '单个文件网页(MHT)',
  wordxml: 'Word 2003 XML 文档', sheetxml: 'Excel 2003 XML 表格', csv: 'CSV 表格',
};

/** Formats found by content that cannot be bound, by the name `unsupported` gives them (`params.detected`). */
const UNSUPPORTED_FORMAT: Record<string, { label: string; hint: string }> = {
  msg: { label: 'Outlook 邮件(.msg)', hint: '请在 Outlook 中打开这封邮件，打印为 PDF（或把其中的附件另存出来）后放入' },
  ole: { label: '未知程序的 OLE 复合文档', hint: '请用生成它的软件打开，另存为 PDF 后放入' },
  xps: { label: 'XPS 文档', hint: '请用 Windows 自带的 XPS 查看器打开，打印为 PDF 后放入' },
  xml: { label: 'XML 数据文件（不是 Word/Excel 2003 XML 文档）', hint: '请用生成它的系统导出为 PDF、Word 或 Excel 后放入' },
};

/** LibreOffice's modules as its installer names them. */
const MODULE_NAME: Record<'writer' | 'calc' | 'impress' | 'draw', string> = {
  writer: ' Writer（文字处理）',
  calc: ' Calc（电子表格）',
  impress: ' Impress（演示文稿）',
  draw: ' Draw（绘图）',
};

const ENCODING_NAME: Record<WarningParams['text-encoding']['encoding'], string> = {
  'utf-8': 'UTF-8',
  gb18030: 'GBK/GB18030',
  big5: 'Big5（繁体）',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16（大端）',
};

const DATE_SOURCE: Record<DateSource, string> = {
  sidecar: '来自说明文件',
  name: '来自文件名',
  exif: '来自照片 EXIF',
  pdf: '来自 PDF 创建日期',
};

const SPECIAL: Record<'fifo' | 'socket' | 'device', string> = {
  fifo: '命名管道（FIFO）',
  socket: '套接字（socket）',
  device: '设备文件',
};

/** The kinds of page of a volume, as the missing-glyph warning names them. */
const PAGE_PLACE: Record<WarningParams['missing-glyph']['places'][number], string> = {
  cover: '封面',
  toc: '卷内目录',
  form: '测评材料提交表',
  gap: '缺项说明',
  photos: '照片页',
  text: '文本页',
  evidence: '材料页',
  notice: '说明页',
  backnote: '卷内备考表',
};

const REFETCH = '可能下载或拷贝中断，请重新获取原文件';

/** `what` of an `unreadable` photo whose image data no decoder of ours can turn into pixels. */
export const UNDECODABLE = '图像数据无法解码';

function hintForType(detected: string): string {
  if (['mp4', 'mov', 'avi', 'mkv', 'webm', 'flv', 'wmv', 'm4v', '3gp'].includes(detected)) return '；视频请截取关键画面作为照片';
  if (['mp3', 'wav', 'm4a', 'aac', 'amr', 'flac', 'ogg'].includes(detected)) return '；录音请整理成文字材料';
  if (['zip', 'rar', '7z', 'gz', 'tar', 'bz2', 'xz'].includes(detected)) return '；请解压后把其中的文件放入';
  return '';
}

const DROP: { [R in keyof DropParams]: (p: DropParams[R]) => string } = {
  junk: (p) =>
    p.cause === 'office-lock' ? 'Office 打开文档时留下的临时锁定文件' : p.cause === 'hidden' ? '隐藏文件（系统或软件自动生成）' : '系统自动生成的文件',
  empty: () => '文件是空的（0 字节），请重新保存或拷贝原文件',
  excluded: (p) => `与手册 exclude 中的规则 "${p.pattern}" 匹配`,
  unsupported: (p) => {
    switch (p.cause) {
      case 'special-file':
        return `这是一个${SPECIAL[p.special]}，不是普通文件，无法装订（没有打开它）；请把真正的文件放在这里`;
      case 'type':
        if (p.detected === 'zip') return '压缩包（zip）不能装订，请解压后把其中的文件放入';
        if (Object.hasOwn(UNSUPPORTED_FORMAT, p.detected)) {
          const f = UNSUPPORTED_FORMAT[p.detected]!;
          return `这是${f.label}，LibreOffice 无法把它转换成页面，不能装订成卷；${f.hint}`;
        }
        return `${p.detected.toUpperCase()} 文件不能装订成卷（能装订的是 PDF、Office/WPS 文档、图片和文本）${hintForType(p.detected)}`;
      case 'unknown-type':
        return `不支持的文件类型${p.ext ? ` .${p.ext}` : ''}（能装订的是 PDF、Office/WPS 文档、图片和文本）`;
      case 'too-many-pixels':
        return `图片有 ${p.width}×${p.height} 像素，超过可处理的上限（${Math.round(p.limit / 1e6)} 百万像素）；请缩小后另存一份放入`;
    }
  },
  unreadable: (p) => {
    switch (p.cause) {
      case 'truncated':
        return `${TYPE_LABEL[p.type]}不完整（缺少结尾），${REFETCH}`;
      case 'corrupt':
        // (a picture some viewers still show in part: no claim that nothing opens it)
        if (p.what === UNDECODABLE) return `${TYPE_LABEL[p.type]}的图像数据已损坏，无法解码成画面，不能装订；请找原图，或用看图软件打开后另存一份放入`;
        return `${TYPE_LABEL[p.type]}已损坏${p.what ? `（${p.what}）` : ''}，常用软件也打不开；请用原软件重新导出或重新获取原文件`;
      case 'unrecognized':
        return `文件扩展名是 .${p.ext}，但内容无法识别，可能已损坏。请重新获取原文件`;
      case 'not-text':
        return `文件扩展名是 .${p.ext}，但内容不是可读的文字`;
      case 'io-error':
        return `无法读取文件（${errnoSentence(p.errno)}）`;
      case 'folder':
        return `无法打开这个文件夹（${errnoSentence(p.errno)}），其中的文件都没有检查；请检查文件夹权限或路径长度`;
      case 'too-large':
        return `${TYPE_LABEL[p.type]}有 ${formatBytes(p.size)}，结构损坏且过大，无法检查修复（上限 ${formatBytes(p.limit)}）；请用原软件重新导出`;
    }
  },
  encrypted: (p) =>
    p.cause === 'pdf-password'
      ? '打开此 PDF 需要密码。请向提供者索取无密码版本，或用原软件去掉打开密码后重新导出'
      : p.cause === 'pdf-certificate'
        ? '此 PDF 使用了不支持的加密方式（如证书加密），请提供未加密的版本'
        : `这个${p.type ? TYPE_LABEL[p.type] : ' Office 文件'}设置了打开密码。请去掉密码后另存一份再放入`,
  'lfs-pointer': (p) =>
    `这是 Git LFS 的指针文件，真正的文件（${formatBytes(p.size)}）没有下载：仓库是在没有安装 git-lfs 时克隆的。` +
    `请安装 git-lfs 后在仓库里运行 git lfs pull；只取这个文件夹：git lfs pull --include="${p.include}"`,
  duplicate: (p) => `与已保留的 ${p.of} 内容完全相同`,
  'out-of-period': (p) => `日期 ${p.date}（${DATE_SOURCE[p.source]}）不在测评周期 ${p.from} 至 ${p.to} 内`,
};

const WARN: { [C in keyof WarningParams]: (p: WarningParams[C]) => string } = {
  'near-duplicate': (p) =>
    `与本指标的 ${p.of} 几乎是同一张照片（缩放、压缩或微信转发过的副本）；检查组会视为重复凑数，请只留一张，换一张不同的现场照片`,
  blurry: (p) =>
    `照片模糊（清晰度 ${p.sharpness.toFixed(2)}，低于 ${p.threshold}），打印出来看不清；请换一张清晰的，或找原图`,
  'possibly-misplaced': (p) =>
    `这个文件没有对上本指标的任何材料要求（列为其他材料），却${p.by === 'match' ? '符合' : '很像'} ${p.indicator} ${p.title} 的“${p.requirement}”${p.by === 'match' ? '的文件名规则' : ''}。` +
    `如果放错了，请把它移到 ${p.indicator} 的文件夹；本工具不会替你移动`,
  undated: (p) =>
    'cause' in p
      ? `照片 EXIF 里的拍摄时间“${p.exif}”不是真实日期（相机的时钟没有设置或已出错），没有采用，其他地方也没有找到日期。请在文件名前加上实际拍摄日期，如“2023-10-12 创城主题班会”`
      : '没有找到日期（说明文件、文件名、照片 EXIF 或 PDF 信息中都没有）。请在文件名前加日期，如“2023-10-12 创城主题班会”',
  'multi-frame': (p) =>
    `这是一张动图，共 ${p.frames} 帧，卷中只有第一帧（纸面只能印一个画面）。如果要的是其他画面，请截图另存为图片放入`,
  'damaged-image': (p) =>
    p.cause === 'missing-data'
      ? '照片的图像数据不完整（下部或部分区域可能是灰色），已按能解出的画面装订；请核对装订结果，最好换成原图'
      : p.cause === 'invalid-markers'
        ? '照片中有不合规范的损坏数据，已修补后装订（部分区域可能失真或是灰色）；请核对装订结果，最好换成原图'
        : '照片的图像数据有损坏（部分区域可能是灰色、色块或杂点），已按能解出的画面装订；请核对装订结果，最好换成原图',
  'low-resolution': (p) => `照片只有 ${p.width}×${p.height} 像素（短边不足 ${p.min}），打印会模糊；请找原图（微信发送请勾选“原图”）`,
  reused: (p) =>
    `同一份材料也用在了 ${p.others.map((o) => `${o.path}（${o.indicator}）`).join('、')}${p.more ? ` 等 ${p.others.length + p.more} 处（全部列在 ${p.others[0]?.path ?? ''} 的提醒里）` : ''}；` +
    `检查组可能视为重复提交，确认确实适用于${p.others.length + (p.more ?? 0) > 1 ? '这些' : '两个'}指标`,
  'type-mismatch': (p) =>
    p.ext
      ? `扩展名是 .${p.ext}，内容却是${TYPE_LABEL[p.detected]}；将按${TYPE_LABEL[p.detected]}处理，建议改正扩展名`
      : `文件没有可识别的扩展名，内容是${TYPE_LABEL[p.detected]}；建议补上扩展名`,
  'not-converted': (p) => {
    switch (p.cause) {
      case 'no-libreoffice':
        return '本机没有安装 LibreOffice，无法把 Office/WPS 文件转换成页面。请安装 LibreOffice（https://www.libreoffice.org，Linux 可 apt-get install libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui libreoffice-draw-nogui），或把该文件另存为 PDF 后放回原处，再重新装订';
      case 'missing-module':
        return `本机的 LibreOffice 没有安装${MODULE_NAME[p.module]}组件，无法转换这个文件（文件本身没有问题）。请安装该组件：Debian/Ubuntu 运行 apt-get install ${p.package}；Windows 和 macOS 请安装完整的 LibreOffice（https://www.libreoffice.org）。或把该文件另存为 PDF 后放回原处，再重新装订`;
      case 'conversion-failed':
        return `LibreOffice 未能转换此文件（文件可能已损坏）${p.message ? `：${p.message}` : ''}。请用 Office/WPS 打开后另存为 PDF 放回原处`;
      case 'libreoffice-failed':
        return `本机的 LibreOffice 无法启动${p.message && p.message !== 'LibreOffice 无法启动' ? `（${p.message}）` : ''}，此文件没有转换；这不是文件本身的问题。请检查 LibreOffice 的安装（可在命令行运行 soffice --headless --version 试试），修好后重新装订`;
      case 'memory-limit':
        return `LibreOffice 转换此文件时占用的内存超过了上限 ${p.limitMB} MB，已停止（文件内容可能极多，或是异常的“压缩炸弹”）。请用 Office/WPS 打开后另存为 PDF 放回原处；确需由本工具转换时，把环境变量 CHUANGCHENG_SOFFICE_MEMORY_MB 调大（单位 MB）后重新装订`;
      case 'no-page-renderer':
        return `${p.pages} 页证据原件未能转成图片（本机没有 poppler 的 pdftoppm），DOCX 中以说明页代替；PDF 案卷不受影响。安装 poppler-utils 后重新装订即可`;
      case 'page-render-failed':
        return `${p.pages} 页证据原件 poppler 无法渲染成图片${p.message ? `（${p.message}）` : ''}，DOCX 中以说明页代替；PDF 案卷不受影响。可用原软件重新导出该文件的 PDF`;
    }
  },
  'bad-sidecar': (p) => {
    switch (p.cause) {
      case 'yaml':
        return `说明文件不是有效的 YAML（${p.message}），已忽略`;
      case 'not-a-map':
        return '说明文件应为“键: 值”的形式，如 title: 创城主题班会';
      case 'unknown-key':
        return `未知的键 "${p.key}"（可用：title、date、docNo、author、place、people、photographer、caption、note、order）`;
      case 'bad-order':
        return 'order 应为数字';
      case 'bad-date':
        return `date "${p.value}" 不是有效日期，请写成 YYYY-MM-DD`;
      case 'not-text':
        return `${p.key} 应为文字`;
      case 'unusable':
        return `说明文件无法使用（${p.message}），已忽略`;
    }
  },
  'orphan-sidecar': (p) => `找不到它说明的文件 ${p.owner}，请检查文件名是否一致`,
  'outside-link': (p) =>
    p.cause === 'outside'
      ? '符号链接指向证据文件夹之外，出于安全不读取；请把文件本身放进来'
      : p.cause === 'loop'
        ? '符号链接指向自身（循环），已跳过'
        : p.cause === 'repeat'
          ? '符号链接指向的文件夹已经通过另一个符号链接读过，这里没有再读；如果其中的材料也要用在这里，请把文件复制过来'
          : '符号链接指向的文件不存在，已跳过',
  'bind-failed': (p) =>
    p.pages !== undefined
      ? `${pageList(p.pages)}无法复制进案卷（${p.message}），卷中这些页的位置印有说明；其余各页已装订。请用原软件重新导出或另存为 PDF 后放回原处`
      : `装订时无法读取此文件：${p.message}。请用原软件重新导出或另存后放回原处`,
  'xfa-form': () =>
    '这是动态 XFA 表单（Adobe LiveCycle 制作），只有 Adobe Reader 能显示其内容，其他软件只显示“Please wait...”占位页；' +
    '它不会装订（卷中以说明页代替），也不计入材料要求。请用 Adobe Reader（或 Acrobat）打开，选择“打印”→“Adobe PDF”（或“Microsoft Print to PDF”）另存为 PDF，放回原处',
  'form-appearance': (p) =>
    `这个 PDF 表单有 ${p.fields} 个已填写的栏目没有显示外观（文件要求阅读器自行绘制），装订后这些栏目是空白的。` +
    '请用 Adobe Reader 或 WPS 打开，选择“打印”→“另存为 PDF”（或“Microsoft Print to PDF”），把打印出的 PDF 放回原处',
  'name-encoding': (p) =>
    p.encoding === 'gb18030'
      ? '文件名（或所在文件夹名）不是 UTF-8 编码，已按 GBK 读出显示如上，文件照常采用。这通常是 Windows 上打包的 zip 在别的系统上解压所致：请用能指定编码的工具重新解压（如 unzip -O GBK 文件.zip），或把它重命名'
      : '文件名（或所在文件夹名）不是 UTF-8 编码，也不是 GBK，无法读出，以 %XX 显示字节；文件照常采用。请把它重命名',
  'missing-glyph': (p) =>
    `本卷 PDF 中有 ${p.chars.length} 个字符，内置字体和后备字体都没有：${p.chars.map((c) => `${c.text}（${c.code}）`).join('、')}；` +
    `在${p.places.map((k) => PAGE_PLACE[k]).join('、')}（PDF 第 ${p.pages.join('、')} 页）以方框内注码位代替显示，复制和搜索得到的仍是原字符` +
    `${p.files.length > 0 ? `（出自 ${p.files.join('、')}）` : ''}。请核对；如需印出原字，可在手册 fonts: 中改用含这些字的字体，或在说明文件中用 title: 写一个不含它们的标题`,
  'text-encoding': (p) => {
    const replaced = p.replaced
      ? `按 ${ENCODING_NAME[p.encoding]} 编码读出，其中 ${p.replaced} 处字节无效（文件可能损坏或被截断），已显示为“�”`
      : `按 ${ENCODING_NAME[p.encoding]} 编码读出`;
    const uncertain = p.confidence === 'uncertain' ? '；文字很少或编码特殊，无法确定编码是否判断正确' : '';
    return `${replaced}${uncertain}。请打开装订结果核对这份文字是否乱码；如有乱码，请用记事本打开原文件，“另存为”时选择 UTF-8 编码后放回原处`;
  },
  'lookalike-name': (p) =>
    `与 ${p.other} 的名字看起来一模一样，只是 Unicode 写法不同（macOS 与 Windows 对带声调或组合字符的写法不同）；两个都已采用，请改名以免混淆`,
};

/** 第 3 页 / 第 2、5、7 页 / 第 1、2、3…页等 40 页 */
function pageList(pages: number[]): string {
  if (pages.length <= 8) return `第 ${pages.join('、')} 页`;
  return `第 ${pages.slice(0, 6).join('、')}…页等 ${pages.length} 页`;
}

function errnoSentence(code: string): string {
  const map: Record<string, string> = {
    ENOENT: '文件在检查过程中消失了',
    EACCES: '没有读取权限',
    EPERM: '没有读取权限',
    EIO: '读写出错，磁盘或网络盘可能有故障',
    ENAMETOOLONG: '路径超过系统允许的长度，请缩短文件夹或文件名',
    ELOOP: '符号链接循环',
    EISDIR: '这是一个文件夹',
  };
  return map[code] ?? `系统错误 ${code}`;
}

/** “把文件夹 … 改名为 …” for a name that nearly begins with a B-level code. */
export function suggestionHint(s: Suggestion, title: string): string {
  const old = s.path.slice(s.path.lastIndexOf('/') + 1);
  const what = s.kind === 'folder' ? '文件夹' : '文件';
  const placed = s.kind === 'folder' ? `其中 ${s.files} 个文件` : '它';
  return `${what}“${old}”的名字接近二级指标 ${s.indicator} ${title}，但编码写得不一样，所以没有归类。改名为“${s.name}”后，${placed}就会归入 ${s.indicator}（本工具不会替你改名）`;
}

export function dropDetail(d: DropDiag): string {
  return (DROP[d.reason] as (p: unknown) => string)(d.params);
}

export function warningDetail(w: WarningDiag): string {
  return (WARN[w.code] as (p: unknown) => string)(w.params);
}
