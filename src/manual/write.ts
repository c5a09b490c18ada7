// Writes a manual as YAML that explains itself to someone editing it in Notepad or WPS, who never
// sees the JSON Schema. The keys, their order and every comment come from the zod definition in
// schema.ts (its `.meta({ title, description, examples })`), so the comments cannot drift from
// what the loader accepts:
//   - the first time a key appears at a level (top level, A-level, B-level, requirement, period …)
//     it gets its full description and an example on the lines above it;
//   - later occurrences get the short title as a comment at the end of the line;
//   - optional keys the first item of a level does not use appear there commented out
//     (`# fonts:` …) with their description and example, so users discover them.
// What it writes loads back (parseDocument().toJS()) to exactly the object it was given.
import { stringify } from 'yaml';
import { z } from 'zod';
import { displayWidth } from '../util/width.js';
import { aLevelSchema, bLevelSchema, manualSchema, type KeyDoc, type ManualInput } from './schema.js';

export interface WriteManualOptions {
  /** Comment lines under the schema line: where this manual came from, what to do with it. */
  intro?: string[];
  /** The JSON Schema named on the first line for editors (default ./manual.schema.json). */
  schema?: string;
}

/** How to edit the file, said once at its top. */
const GUIDE = [
  '怎样修改这个文件（用记事本或 WPS 打开即可）：',
  '  · “#”后面的是说明，程序不读。像“# fonds: Z109”这样的行是没有启用的设置，删去行首的“# ”即可启用。',
  '  · 每行开头用空格缩进（不要用 Tab），同一层的内容左边对齐；“- ”开头的是列表中的一项。',
  '  · 键后面用英文冒号“:”再空一格；含 *、#、: 的文字和纯数字的编码要加英文双引号，',
  '    如 match: ["*领导小组*"]、code: "1.1"。',
  '  · 改完运行 chuangcheng check 检查：手册有错时会指出第几行第几列。',
];

/** Lists whose items are set apart by a blank line. */
const SPACED = new Set<z.core.$ZodType>([aLevelSchema, bLevelSchema]);

/** Comments wrap at this display width (a CJK character counts two). */
const WIDTH = 96;

type ObjectSchema = z.ZodObject<z.core.$ZodShape>;
type Plain = Record<string, unknown>;

/** The manual as commented YAML. Throws (a program error) when `manual` is not a valid manual. */
export function manualToYaml(manual: ManualInput, opts: WriteManualOptions = {}): string {
  const parsed = manualSchema.safeParse(manual);
  if (!parsed.success) {
    throw new Error(`manualToYaml: not a valid manual: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const head = [`# yaml-language-server: $schema=${opts.schema ?? './manual.schema.json'}`, '#'];
  for (const l of opts.intro ?? []) head.push(...commentLines(l, ''));
  if (opts.intro?.length) head.push('#');
  for (const l of GUIDE) head.push(`# ${l}`);
  const body = new Emitter(true).object(manual as Plain, manualSchema as unknown as ObjectSchema, 0);
  return `${head.join('\n')}\n\n${body.join('\n')}\n`;
}

/** The description and example of a key, from its schema (through optional and default wrappers). */
export function keyDoc(schema: z.core.$ZodType): KeyDoc {
  for (let cur: z.core.$ZodType | undefined = schema; cur; cur = inner(cur)) {
    const meta = z.globalRegistry.get(cur);
    if (meta?.description) {
      return { title: meta.title ?? meta.description, description: meta.description, ...(meta.examples ? { examples: meta.examples as unknown[] } : {}) };
    }
  }
  throw new Error('schema.ts: a key without .meta({ title, description })');
}

function inner(s: z.core.$ZodType): z.core.$ZodType | undefined {
  if (s instanceof z.ZodOptional || s instanceof z.ZodDefault) return s.unwrap() as z.core.$ZodType;
  return undefined;
}

/** The schema under the optional/default wrappers. */
function bare(s: z.core.$ZodType): z.core.$ZodType {
  let cur = s;
  for (let next = inner(cur); next; next = inner(cur)) cur = next;
  return cur;
}

/** The object schema of an array's items, when its items are objects (A-levels, B-levels, requirements). */
function itemObject(s: z.core.$ZodType): ObjectSchema | undefined {
  let b = bare(s);
  if (b instanceof z.ZodUnion) b = (b.options as readonly z.core.$ZodType[]).map(bare).find((o) => o instanceof z.ZodArray) ?? b;
  if (!(b instanceof z.ZodArray)) return undefined;
  const el = bare(b.element as z.core.$ZodType);
  return el instanceof z.ZodObject ? (el as unknown as ObjectSchema) : undefined;
}

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

class Emitter {
  /** keys already described, per object schema */
  private described = new Map<z.core.$ZodType, Set<string>>();

  constructor(private readonly comments: boolean) {}

  /** The lines of one map at `indent` (each line carries its indentation). */
  object(value: Plain, schema: ObjectSchema, indent: number): string[] {
    const pad = ' '.repeat(indent);
    const shape = schema.shape;
    for (const k of Object.keys(value)) {
      if (!(k in shape)) throw new Error(`manualToYaml: unknown key ${k}`);
    }
    let seen = this.described.get(schema);
    const first = !seen;
    if (!seen) this.described.set(schema, (seen = new Set()));
    const out: string[] = [];
    for (const [key, keySchema] of Object.entries(shape)) {
      const v = value[key];
      const doc = keyDoc(keySchema);
      const block: string[] = [];
      if (v === undefined) {
        // Only the first item of a level shows what it could have, and only optional keys.
        if (!this.comments || !first || !z.safeParse(keySchema, undefined).success || doc.examples === undefined) continue;
        seen?.add(key); // described here: later items give it the short comment
        block.push(...commentLines(doc.description, pad));
        const example = new Emitter(false).object({ [key]: doc.examples[0] }, schema, indent);
        for (const l of example) block.push(`${pad}# ${l.slice(indent)}`);
      } else {
        const full = this.comments && !seen.has(key);
        seen.add(key);
        if (full) block.push(...describe(doc, pad));
        const trailing = this.comments && !full ? `  # ${doc.title}` : '';
        block.push(...this.pair(key, v, keySchema, indent, trailing));
      }
      // top-level keys are set apart: each with its explanation is a paragraph
      if (indent === 0 && this.comments && out.length > 0) out.push('');
      out.push(...block);
    }
    return out;
  }

  private pair(key: string, v: unknown, keySchema: z.core.$ZodType, indent: number, trailing: string): string[] {
    const pad = ' '.repeat(indent);
    if (Array.isArray(v)) {
      const item = itemObject(keySchema);
      if (!item) return [`${pad}${key}: [${v.map(flowScalar).join(', ')}]${trailing}`];
      if (v.length === 0) return [`${pad}${key}: []${trailing}`];
      const out = [`${pad}${key}:${trailing}`];
      v.forEach((el, i) => {
        if (!isPlain(el)) throw new Error(`manualToYaml: ${key}[${i}] is not a map`);
        if (i > 0 && SPACED.has(item)) out.push('');
        const lines = this.object(el, item, indent + 4);
        lines[0] = `${pad}  - ${lines[0]!.slice(indent + 4)}`;
        out.push(...lines);
      });
      return out;
    }
    if (isPlain(v)) {
      const obj = bare(keySchema);
      if (!(obj instanceof z.ZodObject)) throw new Error(`manualToYaml: ${key} is not a map`);
      return [`${pad}${key}:${trailing}`, ...this.object(v, obj as unknown as ObjectSchema, indent + 2)];
    }
    const s = scalar(v);
    if (typeof s === 'string') return [`${pad}${key}: ${s}${trailing}`];
    return [`${pad}${key}: |-${trailing}`, ...s.map((l) => (l === '' ? '' : `${pad}  ${l}`))];
  }
}

/** The description, then “例：…” where the example fits on a line (on the last line when there is room). */
function describe(doc: KeyDoc, pad: string): string[] {
  const lines = commentLines(doc.description, pad);
  const ex = doc.examples?.[0];
  if (ex === undefined || isPlain(ex) || (Array.isArray(ex) && ex.some((e) => typeof e === 'object'))) return lines;
  const shown = Array.isArray(ex) ? `[${ex.map(flowScalar).join(', ')}]` : scalar(ex);
  if (typeof shown !== 'string') return lines;
  const last = lines[lines.length - 1]!;
  if (displayWidth(`${last}例：${shown}`) <= WIDTH) lines[lines.length - 1] = `${last}例：${shown}`;
  else lines.push(`${pad}# 例：${shown}`);
  return lines;
}

// A literal block (|-) is used for text with line breaks when it round-trips exactly: no leading or
// trailing white space (the schema trims it anyway), no carriage returns or other control characters.
// eslint-disable-next-line no-control-regex
const NOT_LITERAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/u;

/** A scalar in block context: one line, or the lines of a |- block. */
function scalar(v: unknown): string | string[] {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`manualToYaml: ${v} is not a number YAML can hold`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new Error(`manualToYaml: unexpected value ${JSON.stringify(v)}`);
  if (v.includes('\n') && v.trim() === v && !NOT_LITERAL.test(v)) return v.split('\n');
  // yaml quotes what needs quoting: *领导小组* (an alias otherwise), "1.1" (a number otherwise), a: b …
  const s = stringify(v, { lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  return s.includes('\n') ? JSON.stringify(v) : s;
}

/** An item of a flow list [ … ]: always quoted, so commas and brackets in it are safe. */
function flowScalar(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new Error(`manualToYaml: unexpected list item ${JSON.stringify(v)}`);
  return JSON.stringify(v);
}

const NO_START = /^[，。；、：）”」》！？,.;:)]/u;
const NO_END = /[（“「《(]$/u;
/** Where a line may end by preference: after Chinese punctuation or at a space. */
const SOFT_BREAK = /[，；。、：）」”！？|]|\s/gu;

/** `# ` comment lines at `pad`, wrapped at WIDTH: by preference after punctuation, never inside a Latin word. */
function commentLines(text: string, pad: string): string[] {
  return wrap(text, Math.max(40, WIDTH - pad.length - 2)).map((l) => (l === '' ? `${pad}#` : `${pad}# ${l}`));
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const u of text.match(/[\x21-\x7e]+|\s+|./gsu) ?? []) {
    if (/^\s+$/u.test(u)) {
      if (cur !== '') cur += ' ';
      continue;
    }
    if (displayWidth(cur) + displayWidth(u) > width && cur.trim() !== '' && !NO_START.test(u) && !NO_END.test(cur)) {
      // end the line at its last punctuation or space when that keeps it reasonably full
      let cut = -1;
      for (const m of cur.matchAll(SOFT_BREAK)) {
        const at = m.index + m[0].length;
        if (displayWidth(cur.slice(0, at)) >= width * 0.6 && !NO_START.test(cur.slice(at).trimStart())) cut = at;
      }
      if (cut > 0) {
        lines.push(cur.slice(0, cut).trimEnd());
        cur = cur.slice(cut).trimStart();
      } else {
        lines.push(cur.trimEnd());
        cur = '';
      }
    }
    cur += u;
  }
  if (cur.trim() !== '' || lines.length === 0) lines.push(cur.trimEnd());
  return lines;
}
