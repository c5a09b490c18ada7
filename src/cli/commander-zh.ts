// Commander speaks English; our users read Chinese. Its error messages and help headings are
// rewritten here, by the shape of the message commander builds (commander 14). A message we do not
// know is passed on unchanged rather than lost.
import { Help, type Option } from 'commander';
import { isWide } from '../util/width.js';

const flag = (flags: string) => flags.split(/[ ,|]+/).find((f) => f.startsWith('--')) ?? flags.split(/[ ,|]+/)[0] ?? flags;
const list = (s: string) =>
  s
    .split(/,\s*/)
    .map((x) => x.trim())
    .filter(Boolean)
    .join('、');

const RULES: [RegExp, (...m: string[]) => string][] = [
  [/^error: unknown option '([^']*)'(?:\n\(Did you mean (?:one of )?(.*)\?\))?$/s, (o, s) => `没有 ${o} 这个选项。${s ? `你是不是想用 ${list(s)}？` : ''}`],
  [/^error: unknown command '([^']*)'(?:\n\(Did you mean (?:one of )?(.*)\?\))?$/s, (c, s) => `没有 ${c} 这个命令。${s ? `你是不是想用 ${list(s)}？` : '可用的命令：check、build、plan、merge、init、import、schema。'}`],
  [/^error: missing required argument '([^']*)'$/, (a) => `缺少参数 ${a}。`],
  [/^error: option '([^']*)' argument missing$/, (o) => `选项 ${flag(o)} 后面需要写一个值。`],
  [/^error: required option '([^']*)' not specified$/, (o) => `必须给出选项 ${flag(o)}。`],
  [
    /^error: option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are (.*)\.$/s,
    (o, v, c) => `选项 ${flag(o)} 的值“${v}”无效，只能是：${list(c)}。`,
  ],
  [/^error: option '([^']*)' argument '([^']*)' is invalid\.\s*(.*)$/s, (o, v, why) => `选项 ${flag(o)} 的值“${v}”无效。${why}`],
  [
    /^error: command-argument value '([^']*)' is invalid for argument '([^']*)'\. Allowed choices are (.*)\.$/s,
    (v, a, c) => `参数 ${a} 的值“${v}”无效，只能是：${list(c)}。`,
  ],
  [
    /^error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    (cmd, e, g) => `${cmd ? `${cmd} 命令` : '命令'}的参数太多：最多 ${e} 个，收到了 ${g} 个。文件夹名里有空格时请加引号，如 "我的 档案"。`,
  ],
  [/^error: (.*) cannot be used with (.*)$/, (a, b) => `${a.replace(/^option /, '选项 ')} 不能和 ${b.replace(/^option /, '选项 ')} 同时使用。`],
];

/** commander's error message in Chinese, "错误：" first like ours. */
export function zhError(message: string): string {
  const text = message.trim();
  for (const [re, say] of RULES) {
    const m = re.exec(text);
    if (m) return `错误：${say(...m.slice(1).map((x) => x ?? ''))}`;
  }
  return text.replace(/^error: /, '错误：');
}

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Arguments:': '参数：',
  'Global Options:': '通用选项：',
};

/** (可选：a、b；默认：x) after a description, as commander's (choices: …, default: …). */
function extra(description: string, choices: readonly string[] | undefined, dflt: unknown, dfltText: string | undefined): string {
  const info: string[] = [];
  if (choices) info.push(`可选：${choices.join('、')}`);
  if (dflt !== undefined && dflt !== false) info.push(`默认：${dfltText ?? (Array.isArray(dflt) ? dflt.join(',') : String(dflt))}`);
  return info.length > 0 ? `${description}（${info.join('；')}）` : description;
}

/** Help with Chinese headings, [选项] in usage lines and (可选 …；默认 …) after descriptions. */
export const zhHelp: Partial<Help> = {
  // a Chinese character takes two columns in a terminal: count it so, or the columns do not line up
  displayWidth(this: Help, str: string): number {
    const plain = Help.prototype.displayWidth.call(this, str);
    let wide = 0;
    for (const ch of str) if (isWide(ch)) wide++;
    return plain + wide;
  },
  // commander wraps only at spaces, which breaks Chinese at the odd Latin word: leave long lines whole
  boxWrap: (str: string) => str,
  styleTitle: (t: string) => TITLES[t] ?? t,
  commandUsage(this: Help, cmd) {
    return Help.prototype.commandUsage.call(this, cmd).replace('[options]', '[选项]').replace('[command]', '[命令]');
  },
  subcommandTerm(this: Help, cmd) {
    return Help.prototype.subcommandTerm.call(this, cmd).replace('[options]', '[选项]');
  },
  optionDescription(option: Option): string {
    return extra(option.description, option.argChoices, option.defaultValue, option.defaultValueDescription);
  },
  argumentDescription(argument): string {
    return extra(argument.description, argument.argChoices, argument.defaultValue, argument.defaultValueDescription);
  },
};
