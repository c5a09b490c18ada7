// The commands, their options and arguments, as commander parses them; each command's module (and
// pdf-lib, sharp, exceljs behind it) is loaded only when that command runs: `chuangcheng --version`
// or a usage error answers at once. No side effects: main.ts runs it; tests read its options.
import { Command, Option } from 'commander';
import { ChuangchengError } from '../errors.js';
import { VERSION } from '../version.js';
import { zhError, zhHelp } from './commander-zh.js';

const lazy =
  <M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) =>
  async (...args: unknown[]) =>
    ((await load())[name] as (...a: unknown[]) => Promise<void>)(...args);

function cacheOptions(cmd: Command): Command {
  return cmd
    .option('--cache <dir>', '缓存文件夹：照片测量结果等，下次运行不必重做（默认 ~/.cache/chuangcheng）')
    .option('--no-cache', '不读也不写缓存');
}

function projectOptions(cmd: Command): Command {
  return cmd
    .argument('[dir]', '项目文件夹（含 manual.yaml 和 evidence/）', '.')
    .option('--manual <file>', '测评手册文件（默认 <dir>/manual.yaml）')
    .option('--evidence <dir>', '佐证材料文件夹（默认 <dir>/evidence）');
}

export function program(): Command {
  const p = new Command('chuangcheng')
    .description('创城材料审核档案：收集、甄选、查缺、整理、装订')
    .version(VERSION, '-v, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [命令]', '显示某个命令的帮助')
    .exitOverride()
    .configureHelp(zhHelp)
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(`${zhError(s)}\n`) })
    // An empty value is what an unset shell variable gives (`--out "$OUT"`): as a path it would
    // mean the current folder, so it is refused for every option and argument, before anything runs.
    .hook('preAction', (_, action) => {
      for (const [key, value] of Object.entries(action.opts())) {
        if (value === '' || (Array.isArray(value) && value.includes(''))) {
          const flag = action.options.find((o) => o.attributeName() === key)?.long ?? `--${key}`;
          throw new ChuangchengError('option-empty', { option: flag });
        }
      }
      if (action.args.includes('')) {
        throw new ChuangchengError('argument-empty', { command: action.name() });
      }
    });

  cacheOptions(
    p
      .command('check')
      .description('检查材料：收集 → 甄选 → 查找缺项，输出覆盖情况；不改动项目里的任何文件。给多个项目文件夹时合并成一份报告（各单位分列）')
      .argument('[dirs...]', '项目文件夹（含 manual.yaml 和 evidence/），可以给多个；默认当前文件夹')
      .option('--manual <file>', '测评手册文件（默认 <dir>/manual.yaml；只检查一个项目时可用）')
      .option('--evidence <dir>', '佐证材料文件夹（默认 <dir>/evidence；只检查一个项目时可用）'),
  )
    .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json', 'junit', 'markdown', 'xlsx', 'html']).default('text'))
    .addOption(new Option('--fail-on <what>', '何时以退出码 1 结束：gaps 有缺项就算，overdue 只算已逾期的缺项，none 从不').choices(['gaps', 'overdue', 'none']).default('gaps'))
    .option('--output <file>', '把报告写入文件（而不是屏幕）')
    .addOption(new Option('--by <grouping>', '文本和 Markdown 报告的分组方式：按指标，或按负责人列待办').choices(['indicator', 'owner']).default('indicator'))
    .option('--today <date>', '判断逾期所用的“今天”（YYYY-MM-DD，默认今天）')
    .action(lazy(() => import('./check.js'), 'runCheck'));

  cacheOptions(projectOptions(p.command('build').description('装订案卷：收集 → 甄选 → 补充 → 整理 → 装订，每个一级指标一卷')))
    .option('--out <dir>', '输出文件夹（默认 <dir>/out）')
    .option('--only <codes>', '只装订这些一级指标（逗号分隔，如 A1,A3）')
    .option('--format <formats>', '输出格式：pdf、docx，逗号分隔', 'pdf,docx')
    .option('--strict', '有缺项或有文件未能装订时以退出码 1 结束')
    .option('--date <date>', '立卷时间（YYYY-MM-DD；默认 SOURCE_DATE_EPOCH 的日期，否则今天）')
    .option('--jobs <n>', '同时准备的文件数（照片、文档；默认为 CPU 核数，最多 4）')
    .option('--shard <i/N>', '分片装订：只装订 chuangcheng plan 分给第 i 片（共 N 片）的一级指标，写出供 merge 合并的分片输出')
    .action(lazy(() => import('./build.js'), 'runBuild'));

  projectOptions(p.command('plan').description('把一级指标分成 N 片（按估计的工作量均衡），供多台机器或 CI 同时装订'))
    .option('--shards <n>', '分成几片（必填）')
    .addOption(new Option('--format <format>', '输出格式：text 给人看的表，json 给 CI 用').choices(['text', 'json']).default('text'))
    .action(lazy(() => import('./plan.js'), 'runPlan'));

  p.command('merge')
    .description('把 build --shard 1/N … N/N 的分片输出合并成一次完整装订的结果（卷、目录.xlsx、report.json、清单）')
    .argument('<shards...>', '各分片的输出文件夹（1 到 N 每片一个，顺序不限）')
    .option('--out <dir>', '合并后的输出文件夹（必填）')
    .action(lazy(() => import('./merge.js'), 'runMerge'));

  projectOptions(p.command('init').description('生成示例测评手册，并为每个二级指标建立证据文件夹（已有的不动）')).action(lazy(() => import('./init.js'), 'runInit'));

  p.command('import')
    .description('把任务分解表（Excel、WPS 表格或 CSV）转换成带说明的测评手册 manual.yaml')
    .argument('<table>', '任务分解表：.xlsx、.xls、.et、.ods 或 .csv')
    .option('--output <file>', '要生成的测评手册（必填），如 my-archive/manual.yaml；给文件夹则写入其中的 manual.yaml')
    .option('--force', '已有同名文件时用导入结果替换它')
    .option('--title <text>', '档案标题（默认取表格上方的标题行）')
    .option('--unit <name>', '立档单位全称（默认取表格上方的“单位：…”）')
    .action(lazy(() => import('./import.js'), 'runImport'));

  p.command('schema')
    .description('输出测评手册的 JSON Schema（供编辑器校验和补全）')
    .option('--report', '改为输出报告 report.json 的 JSON Schema')
    .option('--units', '改为输出多单位检查报告（check 多个项目 --format json）的 JSON Schema')
    .action(lazy(() => import('./schema.js'), 'runSchema'));
  return p;
}
