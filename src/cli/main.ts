#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node
// The command line: parse arguments, call the API, print, choose the exit code. Nothing else.
// (The first line starts Node with glibc's malloc limited to two arenas: libvips decodes photos on
// several threads, and with an arena each the freed memory stays scattered — a build of 1,200
// camera photos peaked 100 MB higher without it. npm's Windows shims honour `env -S` too.)
// The commands and their options: cli/program.ts.
import { CommanderError } from 'commander';
import { ChuangchengError } from '../errors.js';
import { EXIT } from './exit.js';
import { program } from './program.js';
import { runExitHooks } from '../util/exit-hooks.js';
import { printableText } from '../util/printable.js';
import { withConsole } from '../util/quiet.js';
import { debugging, libraryConsole } from './env.js';

async function main(argv: string[]): Promise<number> {
  try {
    // Libraries talk on the console: pdf-lib warns in English for each damaged object it skips (dozens
    // of lines for one bad PDF), exceljs likewise. What matters reaches the user in our words (the
    // report's warnings); CHUANGCHENG_DEBUG=1 keeps the chatter for maintainers (util/quiet.ts).
    await withConsole(libraryConsole(), () => program().parseAsync(argv));
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      process.stderr.write('运行 chuangcheng --help 查看用法。\n');
      return EXIT.usage;
    }
    // (a path given or found may hold control characters: shown as escapes, util/printable.ts)
    if (err instanceof ChuangchengError) {
      process.stderr.write(`错误：${printableText(err.text('cli'))}\n`);
      for (const d of err.details) process.stderr.write(`  ${printableText(d)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`chuangcheng 内部出错：${printableText(err instanceof Error ? err.message : String(err))}\n`);
    process.stderr.write('这是程序的问题，不是您的材料的问题。请把这段信息连同命令一起反馈给维护者。\n');
    if (debugging() && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return EXIT.usage;
  }
}

// However the run ends — an error, Ctrl-C, `kill` — temporary files, child processes and the
// output lock go with it.
process.on('exit', runExitHooks);
// A write to standard output that fails (a full disk, a closed pipe) is reported where it is made
// (cli/output.ts); without a listener the stream's error event would end the run with a stack trace.
process.stdout.on('error', () => {});
// Standard error read by a pipe that closes early (`build … 2>&1 | head -1`): progress and messages
// are not worth stopping a build half-way for. What is written, and the exit code, stay the same.
// (Node ignores SIGPIPE: a closed pipe is only ever this error event.)
process.stderr.on('error', () => {});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    runExitHooks();
    process.stderr.write(`\n已中断（${signal}），未写完的文件已清理。\n`);
    process.exit(code);
  });
}

process.exitCode = await main(process.argv);
