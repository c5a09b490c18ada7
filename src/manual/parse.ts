// Parses manual.yaml with source positions, so that every problem can be reported as
// `file:line:column path: message`, all at once. Loaded only when a manual is not in the cache.
import path from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { MANUAL_KEYS, manualSchema, type ManualParsed } from './schema.js';
import { findPitfalls } from './pitfalls.js';
import { formatPath, type LoadResult, type ManualError } from './errors.js';
import { normalize } from './normalize.js';

/** Parse and validate a manual's text; `file` names it in errors (and places it: fonts are relative to it). */
export function parseManual(src: string, file: string): LoadResult {
  const r = parseManualData(src, file);
  return r.ok ? { ok: true, manual: normalize(r.data, path.resolve(file)) } : r;
}

/** The manual as validated data, or every problem found in it. */
export function parseManualData(src: string, file: string): { ok: true; data: ManualParsed } | { ok: false; errors: ManualError[] } {
  const display = path.basename(file);
  const lc = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(src.replace(/^\uFEFF/, ''), { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    // the parser recurses once per level of nesting: a few thousand nested blocks overflow its stack
    // (the parser's own English is not shown: it says nothing a clerk can act on)
    const what = err instanceof RangeError ? '嵌套层次过深，无法解析。请减少缩进层级' : '无法解析。请检查文件是否为 YAML 文本（可用 chuangcheng init 生成的示例手册对照）';
    return { ok: false, errors: [{ file: display, line: 1, col: 1, path: '', message: `YAML 格式错误：${what}` }] };
  }
  const at = (offset: number | undefined) => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, col: p.col };
  };
  const errors: ManualError[] = [];
  // the typing mistakes, said with their fix; YAML's own message on the same line adds nothing
  const pitfalls = findPitfalls(src.replace(/^\uFEFF/, '')).map((p) => ({ file: display, line: p.line, col: p.col, path: '', message: p.message }));
  const explained = new Set(pitfalls.map((p) => p.line));

  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = at(e.pos[0]);
      if (explained.has(pos.line)) continue;
      // (the parser's English says nothing a clerk can act on: the code's Chinese words only)
      errors.push({ file: display, ...pos, path: '', message: `YAML 格式错误：${yamlErrorText(e.code)}` });
    }
    return { ok: false, errors: sortErrors([...pitfalls, ...errors]) };
  }
  if (pitfalls.length > 0) return { ok: false, errors: sortErrors(pitfalls) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // an alias that expands too far (a "billion laughs" file), or one that names no anchor
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      errors: [
        {
          file: display,
          ...aliasAt(doc, at),
          path: '',
          message: /alias/i.test(message)
            ? `YAML 别名（* 开头的值）展开过多或无法解析，手册不应使用别名（& 和 *）。若 * 是通配符，请给值加上引号，如 match: "*领导小组*"`
            : 'YAML 无法解析：文件中的别名或标记写法不正确。手册不需要 & * ! 这类符号，若值里有它们，请给值加上引号',
        },
      ],
    };
  }
  if (data === null || data === undefined) {
    return {
      ok: false,
      errors: [{ file: display, line: 1, col: 1, path: '', message: '测评手册是空的。可运行 chuangcheng init 生成一个示例手册。' }],
    };
  }
  const parsed = manualSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(...issueToErrors(issue, doc, data, display, at));
  }
  errors.push(...crossChecks(doc, data, display, at));
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: sortErrors(dedupe(errors)) };
  return { ok: true, data: parsed.data };
}

type At = (offset: number | undefined) => { line: number; col: number };

/** Where the first alias (*name) of the document is. */
function aliasAt(doc: Document, at: At): { line: number; col: number } {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return at(offset);
}

function nodeAt(doc: Document, p: readonly PropertyKey[]): YamlNode | undefined {
  // Walk down as far as the document goes; a missing key points at its parent.
  for (let i = p.length; i >= 0; i--) {
    const n = i === 0 ? doc.contents : doc.getIn(p.slice(0, i) as unknown[], true);
    if (n && typeof n === 'object' && 'range' in n) return n as YamlNode;
  }
  return undefined;
}

function keyNodeAt(doc: Document, p: readonly PropertyKey[], key: string): YamlNode | undefined {
  const parent = p.length === 0 ? doc.contents : doc.getIn(p as unknown[], true);
  if (!isMap(parent)) return undefined;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key;
  }
  return undefined;
}

function valueAt(data: unknown, p: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const k of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function issueToErrors(issue: z.core.$ZodIssue, doc: Document, data: unknown, file: string, at: At): ManualError[] {
  const p = issue.path;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const node = keyNodeAt(doc, p, key) ?? nodeAt(doc, p);
      const hint = suggestKey(key, p);
      return {
        file,
        ...at(node?.range?.[0]),
        path: formatPath([...p, key]),
        message: `未知的键 "${key}"${hint ? `，是不是想写 "${hint}"？` : '，请检查拼写或删除它'}`,
      };
    });
  }
  const node = nodeAt(doc, p);
  const value = valueAt(data, p);
  let message = issue.message;
  if (issue.code === 'invalid_type' && value === undefined) message = `缺少必填项 ${String(p[p.length - 1] ?? '')}`.trim();
  else if (issue.code === 'invalid_union' && Array.isArray(issue.errors)) {
    // our unions carry their own message at the union level
    message = issue.message;
  }
  return [{ file, ...at(node?.range?.[0]), path: formatPath(p), message }];
}


function suggestKey(key: string, p: readonly PropertyKey[]): string | undefined {
  const last = p[p.length - 1];
  const parentKey = typeof last === 'number' ? p[p.length - 2] : last;
  let set: string[];
  if (p.length === 0) set = MANUAL_KEYS.root;
  else if (parentKey === 'evidence') set = MANUAL_KEYS.req;
  else if (parentKey === 'indicators') set = p.length === 2 ? MANUAL_KEYS.a : MANUAL_KEYS.b;
  else set = (MANUAL_KEYS as Record<string, string[]>)[String(parentKey)] ?? [];
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of set) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= (key.length >= 5 ? 2 : 1) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Rules zod cannot see one value at a time: unique codes, period order. */
function crossChecks(doc: Document, data: unknown, file: string, at: At): ManualError[] {
  const errors: ManualError[] = [];
  const root = data as Record<string, unknown> | null;
  if (!root || typeof root !== 'object') return errors;
  const seen = new Map<string, { line: number; col: number }>();
  const visit = (p: PropertyKey[]) => {
    const v = valueAt(data, [...p, 'code']);
    if (typeof v !== 'string' || v.trim() === '') return;
    const codeKey = v.trim().normalize('NFC');
    const pos = at(nodeAt(doc, [...p, 'code'])?.range?.[0]);
    const first = seen.get(codeKey);
    if (first) {
      errors.push({ file, ...pos, path: formatPath([...p, 'code']), message: `编码 "${codeKey}" 重复（首次出现在 ${first.line}:${first.col}），编码须全手册唯一` });
    } else seen.set(codeKey, pos);
  };
  const as = Array.isArray(root.indicators) ? root.indicators : [];
  as.forEach((a: unknown, i: number) => {
    visit(['indicators', i]);
    const bs = a && typeof a === 'object' && Array.isArray((a as Record<string, unknown>).indicators) ? ((a as Record<string, unknown>).indicators as unknown[]) : [];
    bs.forEach((_b, j) => visit(['indicators', i, 'indicators', j]));
  });
  const period = root.period as Record<string, unknown> | undefined;
  if (period && typeof period.from === 'string' && typeof period.to === 'string' && period.from > period.to) {
    errors.push({
      file,
      ...at(nodeAt(doc, ['period', 'from'])?.range?.[0]),
      path: 'period.from',
      message: `周期起始日期 ${period.from} 晚于截止日期 ${period.to}`,
    });
  }
  return errors;
}

/** What a YAML parser error code means, in Chinese ('无法解析' for codes without their own words). */
export function yamlErrorText(code: unknown): string {
  return (typeof code === 'string' ? YAML_ZH[code] : undefined) ?? '无法解析';
}

const YAML_ZH: Record<string, string> = {
  DUPLICATE_KEY: '同一层级中出现了重复的键',
  BAD_INDENT: '缩进不正确（请用空格对齐，不要用 Tab）',
  TAB_AS_INDENT: '不能用 Tab 缩进，请改用空格',
  MISSING_CHAR: '缺少必要的符号（如引号、括号未闭合）',
  MULTIPLE_DOCS: '一个文件只能有一个 YAML 文档',
  BLOCK_AS_IMPLICIT_KEY: '键的写法不正确（可能缺少冒号后的空格或缩进错误）',
  UNEXPECTED_TOKEN: '出现了意外的符号',
  MULTILINE_IMPLICIT_KEY: '键不能跨行（可能缺少冒号或缩进错误）',
  BAD_SCALAR_START: '值的开头字符不合法，请给这个值加上引号',
  ALIAS_PROPS: '别名（* 开头的值）不能带标记，若 * 是文字，请给值加上引号',
  BAD_ALIAS: '别名（* 开头的值）写法不正确，若 * 是文字，请给值加上引号',
  BAD_DIRECTIVE: '% 开头的行不是手册内容，请删除或给值加上引号',
  BAD_DQ_ESCAPE: '双引号中的反斜杠 \\ 用法不正确，请改用单引号或写成 \\\\',
  BAD_PROP_ORDER: '& 或 ! 的位置不正确，若它们是文字，请给值加上引号',
  BLOCK_IN_FLOW: '方括号或花括号内不能换行缩进，请写在一行内或改用 - 列表',
  IMPOSSIBLE: '这一处无法解析，请对照示例手册检查写法',
  KEY_OVER_1024_CHARS: '键太长（超过 1024 个字符），可能缺少冒号或换行',
  MULTIPLE_ANCHORS: '一个值上有多个 & 标记，若它们是文字，请给值加上引号',
  MULTIPLE_TAGS: '一个值上有多个 ! 标记，若它们是文字，请给值加上引号',
  NON_STRING_KEY: '键必须是文字',
  RESOURCE_EXHAUSTION: '内容展开后过大，无法解析',
  TAG_RESOLVE_FAILED: '! 开头的标记无法识别，若它是文字，请给值加上引号',
  BAD_COLLECTION_TYPE: '这里的列表或映射写法不正确，请对照示例手册检查',
};

function sortErrors(errors: ManualError[]): ManualError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.col - b.col);
}

function dedupe(errors: ManualError[]): ManualError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.line}:${e.col}:${e.path}:${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

