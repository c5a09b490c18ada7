// The HTML dashboard (`check --format html`): one self-contained page, read back in a real browser —
// Debian's chromium driven by playwright-core — from a file:// URL with the network cut off.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE, LO_PDF, project, reportOf, ROOT, run, tempDir, tool } from './helpers.js';
import type { Report } from '../src/report/report.js';

const CHROMIUM = '/usr/bin/chromium';
const NO_BROWSER = existsSync(CHROMIUM) ? '' : `${CHROMIUM} is not installed (bash .ci/run installs Debian's chromium)`;
if (NO_BROWSER) console.warn(`test/html.test.ts: the browser tests are SKIPPED: ${NO_BROWSER}`);

/** A manual and evidence whose every name tries to break out of the page. */
const HOSTILE_MANUAL = `title: '<script>window.__pwned=1</script>创城 & "档案"'
unit: "某某'小学' <b>一"
indicators:
  - code: A1
    title: 组织<i>领导</i>
    indicators:
      - code: A1.1
        title: 机构 & <u>制度</u>
        owner: '王"主任<b>'
        evidence:
          - title: 成立文件<script>
            kind: document
            min: 2
`;
const HOSTILE_FILE = '<img src=x onerror=window.__pwned=2>.pdf';
const HOSTILE_ROOT_FILE = '"><svg onload=window.__pwned=3>.txt';
const HOSTILE_REASON = '<script>window.__pwned=4</script> & 文件还在印刷';

function hostileProject(): string {
  const p = project(HOSTILE_MANUAL);
  const folder = 'A1 组织/A1.1 "机构"&<u>';
  p.copy(LO_PDF, `${folder}/2023-09-01 成立文件.pdf`);
  p.write(`${folder}/${HOSTILE_FILE}`, ''); // empty: dropped, listed with its name
  p.write(`${folder}/缺项说明.txt`, HOSTILE_REASON);
  p.write(HOSTILE_ROOT_FILE, '不在任何指标文件夹里'); // unassigned
  return p.dir;
}

describe('renderHtml (no browser)', () => {
  let example: Report;
  let hostile: Report;
  beforeAll(async () => {
    example = await reportOf(EXAMPLE);
    hostile = await reportOf(hostileProject());
  });

  it('takes several units: a comparison table linking to one section per unit', async () => {
    const { renderHtml } = await import('../src/report/html.js');
    const html = renderHtml([
      { name: '某某市第一小学', report: example },
      { name: '某某社区', report: hostile },
    ]);
    const compare = html.slice(html.indexOf('id="compare"'), html.indexOf('</section>', html.indexOf('id="compare"')));
    expect(compare).toContain('<a href="#u1">某某市第一小学</a>');
    expect(compare).toContain('<a href="#u2">某某社区</a>');
    expect(html).toContain('<section class="unit" id="u1">');
    expect(html).toContain('<section class="unit" id="u2">');
    // each unit's own sections, anchored per unit
    for (const id of ['u1-coverage', 'u1-owners', 'u1-dropped', 'u2-coverage', 'u2-warnings']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('A5.2');
    expect(html).toContain('成立文件&lt;script&gt;');
  });

  it('is self-contained: no address outside the page, one inline script allowed by its hash', async () => {
    const { renderHtml } = await import('../src/report/html.js');
    const html = renderHtml([{ name: example.unit, report: example }]);
    const refs = [...html.matchAll(/\b(?:src|href|action)\s*=\s*"([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !r.startsWith('#'))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import|@font-face|<link\b|<iframe\b|<img\b/i);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('escapes every name from the manual and the evidence folder', async () => {
    const { renderHtml } = await import('../src/report/html.js');
    const html = renderHtml([{ name: hostile.unit, report: hostile }]);
    // nothing from the user's files becomes markup
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('<u>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('<b>一');
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toContain('&lt;img src=x onerror=window.__pwned=2&gt;.pdf');
    expect(html).toContain('&quot;&gt;&lt;svg onload=window.__pwned=3&gt;.txt');
    expect(html).toContain('data-owner="王&quot;主任&lt;b&gt;"');
    expect(html).toContain('&lt;script&gt;window.__pwned=4&lt;/script&gt; &amp; 文件还在印刷');
  });

  it('goes to standard output without --output, like the other formats', async () => {
    const r = await run(['check', EXAMPLE, '--today', '2024-05-16', '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(r.stdout.trimEnd()).toMatch(/<\/html>$/);
    // the same report gives the same page, byte for byte
    const again = await run(['check', EXAMPLE, '--today', '2024-05-16', '--format', 'html']);
    expect(again.stdout).toBe(r.stdout);
  });

  // (CI sets CI=true: there the dashboard tests below must run, not be skipped for want of the browser)
  it.runIf(Boolean(process.env.CI))('in CI the browser is installed, so the dashboard tests in chromium run', () => {
    expect(NO_BROWSER).toBe('');
  });

  it('is loaded only for --format html: check --format json never loads the dashboard module, --format html does', async () => {
    // every module the command loads, as Node resolves it (a resolve hook registered with --import)
    const dir = tempDir('cc-loaded-');
    const hooks = path.join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      "import { appendFileSync } from 'node:fs';\n" +
        'export async function resolve(specifier, context, next) {\n' +
        '  const r = await next(specifier, context);\n' +
        "  appendFileSync(process.env.CC_LOADED, r.url + '\\n');\n" +
        '  return r;\n' +
        '}\n',
    );
    const register = path.join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const loaded = async (format: string) => {
      const log = path.join(dir, `${format}.log`);
      writeFileSync(log, '');
      const r = await run(['check', EXAMPLE, '--today', '2024-05-16', '--format', format], { env: { CC_LOADED: log }, nodeArgs: ['--import', pathToFileURL(register).href] });
      expect(r.code).toBe(1); // (the example has gaps)
      const dist = pathToFileURL(path.join(ROOT, 'dist')).href;
      return readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith(dist)).map((u) => u.slice(dist.length));
    };
    const json = await loaded('json');
    expect(json).toContain('/check/index.js'); // the trace sees the command's modules
    expect(json).not.toContain('/report/html.js');
    expect(await loaded('html')).toContain('/report/html.js');
  });
});

describe.skipIf(NO_BROWSER !== '')(`the dashboard in chromium${NO_BROWSER ? ` (skipped: ${NO_BROWSER})` : ''}`, () => {
  let browser: Browser;
  const out = tempDir('cc-html-');
  const file = path.join(out, '检查看板.html');
  let checked: { code: number; stderr: string; stdout: string };

  /** A page on a file:// URL; every request it makes is recorded, and any but file:// is refused. */
  async function open(target: string, opts: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; ctx: BrowserContext; requests: string[]; refused: string[]; dialogs: string[]; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: opts.javaScriptEnabled ?? true });
    const requests: string[] = [];
    const refused: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    await ctx.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      refused.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await ctx.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(target).href);
    return { page, ctx, requests, refused, dialogs, errors };
  }

  /** The codes of the B-level rows a person sees. */
  const visibleRows = (page: Page) => page.locator('tr[data-f="b"]:visible td.ind .code').allInnerTexts();

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    checked = await run(['check', EXAMPLE, '--today', '2024-05-16', '--format', 'html', '--output', file]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('check --format html --output writes one page and says so; the exit code still tells of gaps', () => {
    expect(checked.stderr).toContain(`报告已写入 ${file}`);
    expect(checked.stdout).toBe('');
    expect(checked.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('shows the header, the coverage of each requirement, owners, score at risk and dropped files — offline', async () => {
    const { page, ctx, requests, refused, errors } = await open(file);
    try {
      expect(await page.locator('h1').innerText()).toBe('2024年度全国文明城市测评 未成年人思想道德建设 材料审核档案');
      const meta = await page.locator('.page-head .meta').innerText();
      expect(meta).toContain('某某市第一小学');
      expect(meta).toContain('测评周期 2023-06-01 至 2024-05-31');
      expect(meta).toContain('检查日期 2024-05-16');
      const cards = await page.locator('.page-head .card').allInnerTexts();
      expect(cards.map((c) => c.replace(/\s+/g, ' ').trim())).toEqual([
        '二级指标满足 7 / 10',
        '材料要求满足 13 / 16',
        '缺项 3 项材料',
        '逾期 2 项指标',
        '失分风险 29 分 总分 100 分',
        '剔除 9 个文件',
        '提醒 3 个文件',
        '未归类 1 个文件',
      ]);

      const row = (code: string) => page.locator('tr[data-f="b"]', { has: page.locator('.code', { hasText: new RegExp(`^${code.replace('.', '\\.')}$`) }) });
      const a12 = await row('A1.2').innerText();
      expect(a12).toContain('工作制度完善');
      expect(a12).toContain('李老师');
      expect(a12).toContain('截止 2024-04-30，已逾期 16 天');
      expect(a12).toMatch(/年度工作总结\s*文档\s*0 \/ 1 份/);
      expect(a12).toContain('缺：还没有，需要 1 份');
      expect(a12).toContain('缺项说明：年度工作总结在学年结束（2024年7月）后形成，届时补充归档。');
      const a22 = await row('A2.2').innerText();
      expect(a22).toMatch(/活动照片\s*照片\s*2 \/ 3 张/);
      expect(a22).toContain('还差 1 张（需要 3，已有 2）');
      const a11 = await row('A1.1').innerText();
      expect(a11).toMatch(/领导小组成立文件\s*文档\s*1 \/ 1 份/);
      expect(a11).toMatch(/工作会议照片\s*照片\s*2 \/ 2 张/);
      expect(a11).toContain('齐全');
      expect(a11).not.toContain('逾期');
      // the bar of a short requirement is two thirds full
      expect(await row('A2.2').locator('.req.gap .meter > span').getAttribute('style')).toBe('width:67%');
      // A4.1 has no owner of its own: its A-level's lead answers for it
      expect(await row('A4.1').locator('td.own').innerText()).toContain('孙主任');

      const owners = await page.locator('#u1-owners .owner h3').allInnerTexts();
      expect(new Set(owners)).toEqual(new Set(['陈老师', '李老师', '孙主任', '吴老师', '郑老师', '周老师']));
      const li = await page.locator('#u1-owners .owner', { has: page.locator('h3', { hasText: '李老师' }) }).innerText();
      expect(li).toContain('缺 1 项材料');
      expect(li).toContain('A1.2');
      expect(li).toContain('截止 2024-04-30，已逾期 16 天');
      expect(li).toContain('缺 年度工作总结（文档）：还没有，需要 1 份');

      const risk = await page.locator('#u1-risk tfoot').innerText();
      expect(risk.trim().split(/\s+/)).toEqual(['合计', '100', '29']);
      expect(await page.locator('#u1-risk tbody tr', { hasText: 'A2' }).first().innerText()).toContain('A2.2 中华优秀传统文化教育（10 分）');

      const mp4 = await page.locator('#u1-dropped tr', { hasText: '讲座视频.mp4' }).innerText();
      expect(mp4).toContain('A3 道德品质教育/A3.1 文明礼仪教育/讲座视频.mp4');
      expect(mp4).toContain('不支持的类型');
      expect(mp4).toContain('MP4 文件不能装订成卷');
      expect(await page.locator('#u1-dropped tbody tr').count()).toBe(9);
      expect(await page.locator('#u1-warnings tr', { hasText: '校园宣传栏.jpg' }).first().innerText()).toContain('没有日期');
      expect(await page.locator('#u1-unassigned').innerText()).toContain('其他/说明.txt');

      expect(errors).toEqual([]);
      expect(refused).toEqual([]);
      // the page itself and nothing else: no font, script, image or style was fetched
      expect(requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await ctx.close();
    }
  });

  it('filters by owner, by status and by text in the page; clearing shows everything again', async () => {
    const { page, ctx } = await open(file);
    try {
      const filters = page.locator('#filters');
      await expect.poll(() => filters.isVisible()).toBe(true);
      const count = page.locator('#f-count');
      expect(await count.innerText()).toBe('显示 10 / 10 项二级指标');
      expect(await visibleRows(page)).toHaveLength(10);

      await page.selectOption('#f-owner', '李老师');
      expect(await visibleRows(page)).toEqual(['A1.1', 'A1.2']);
      expect(await page.locator('#u1-owners .owner:visible h3').allInnerTexts()).toEqual(['李老师']);
      // the A-levels with nothing of hers are folded away
      expect(await page.locator('#u1-coverage .alevel:visible .a-title').allInnerTexts()).toEqual([expect.stringContaining('组织领导')]);
      // her folders hold junk only, which is nobody's: no dropped file of hers, and the page says so
      expect(await page.locator('#u1-dropped tbody tr:visible').count()).toBe(0);
      expect(await page.locator('#u1-dropped .fempty').isVisible()).toBe(true);
      expect(await count.innerText()).toBe('显示 2 / 10 项二级指标');

      await page.selectOption('#f-owner', '陈老师');
      expect(await visibleRows(page)).toEqual(['A2.1', 'A2.2']);
      expect(await page.locator('#u1-dropped tbody tr:visible').allInnerTexts()).toHaveLength(2);

      await page.click('#f-reset');
      await page.click('label[for="f-s-missing"]');
      expect(await visibleRows(page)).toEqual(['A1.2', 'A2.2', 'A4.2']);
      const statuses = await page.locator('tr[data-f="b"]:visible').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
      expect(statuses.every((s) => s === 'missing' || s === 'overdue')).toBe(true);
      expect(await page.locator('#u1-owners li.todo-gap:visible').count()).toBe(3);

      await page.click('label[for="f-s-overdue"]');
      expect(await visibleRows(page)).toEqual(['A1.2', 'A2.2']);
      await page.click('label[for="f-s-complete"]');
      expect(await visibleRows(page)).toEqual(['A1.1', 'A2.1', 'A3.1', 'A3.2', 'A4.1', 'A5.1', 'A5.2']);
      await page.selectOption('#f-owner', '李老师');
      expect(await visibleRows(page)).toEqual(['A1.1']);

      await page.click('#f-reset');
      await page.fill('#f-q', '心理');
      // A4.2 by its title, A4.1 by its A-level's (校园文化与心理健康)
      expect(await visibleRows(page)).toEqual(['A4.1', 'A4.2']);
      await page.fill('#f-q', '中秋节');
      expect(await page.locator('#u1-dropped tbody tr:visible').allInnerTexts()).toEqual([expect.stringContaining('2022-09-10 中秋节活动.jpg')]);

      await page.click('#f-reset');
      expect(await visibleRows(page)).toHaveLength(10);
      expect(await page.locator('#u1-dropped tbody tr:visible').count()).toBe(9);
      expect(await page.locator('#f-reset').isVisible()).toBe(false);
    } finally {
      await ctx.close();
    }
  });

  it('shows everything with scripts off, and no filter controls that would not work', async () => {
    const { page, ctx } = await open(file, { javaScriptEnabled: false });
    try {
      expect(await page.locator('#filters').isVisible()).toBe(false);
      expect(await visibleRows(page)).toHaveLength(10);
      expect(await page.locator('#u1-owners .owner:visible').count()).toBe(6);
      expect(await page.locator('#u1-dropped tbody tr:visible').count()).toBe(9);
      expect(await page.locator('.fempty:visible').count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });

  it('prints on A4 without the filter controls, saying which filter was on', async () => {
    const { page, ctx } = await open(file);
    try {
      await page.selectOption('#f-owner', '李老师');
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#filters').isVisible()).toBe(false);
      expect(await page.locator('.toc').first().isVisible()).toBe(false);
      expect(await page.locator('#f-note').innerText()).toBe('本页打印时已筛选：负责人：李老师');
      await page.locator('#f-reset').dispatchEvent('click');
      expect(await page.locator('#f-note').isVisible()).toBe(false);
      const pdf = path.join(out, '打印.pdf');
      await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
      const info = tool('pdfinfo', [pdf]);
      expect(info).toMatch(/Page size:.*\(A4\)/);
      const text = tool('pdftotext', ['-layout', pdf, '-']);
      expect(text).toContain('工作制度完善');
      expect(text).not.toContain('全部负责人');
    } finally {
      await ctx.close();
    }
  });

  it('shows a hostile file name as text and runs nothing from the user’s files', async () => {
    const dir = hostileProject();
    const target = path.join(tempDir('cc-html-hostile-'), 'page.html');
    const r = await run(['check', dir, '--format', 'html', '--output', target]);
    expect(r.stderr).toContain('报告已写入');
    const { page, ctx, requests, refused, dialogs, errors } = await open(target);
    try {
      expect(await page.locator('#u1-dropped').innerText()).toContain(HOSTILE_FILE);
      expect(await page.locator('#u1-unassigned').innerText()).toContain(HOSTILE_ROOT_FILE);
      expect(await page.locator('h1').innerText()).toBe('<script>window.__pwned=1</script>创城 & "档案"');
      expect(await page.title()).toContain('<script>');
      expect(await page.locator('.reason').innerText()).toContain(HOSTILE_REASON);
      const dom = await page.evaluate(`({
        pwned: window.__pwned,
        embedded: document.querySelectorAll('img, svg, iframe, object, embed').length,
        scripts: document.scripts.length,
        userMarkup: document.querySelectorAll('u, i').length,
      })`);
      expect(dom).toEqual({ pwned: undefined, embedded: 0, scripts: 1, userMarkup: 0 });
      // an owner with quotes and markup in the name still filters
      await page.selectOption('#f-owner', '王"主任<b>');
      expect(await visibleRows(page)).toEqual(['A1.1']);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(refused).toEqual([]);
      expect(requests).toEqual([pathToFileURL(target).href]);
    } finally {
      await ctx.close();
    }
  });

  it('compares several units: a table on top, each unit linked to its own section', async () => {
    const { renderHtml } = await import('../src/report/html.js');
    const a = await reportOf(EXAMPLE);
    const b = await reportOf(hostileProject());
    const target = path.join(tempDir('cc-html-multi-'), '汇总.html');
    writeFileSync(target, renderHtml([{ name: '某某市第一小学', report: a }, { name: '某某社区', report: b }]));
    const { page, ctx, requests } = await open(target);
    try {
      const rows = await page.locator('#compare tbody tr').allInnerTexts();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(/^某某市第一小学\s+7 \/ 10\s+3\s+\d+\s+29 \/ 100\s+9\s+3\s+查看$/);
      expect(rows[1]).toMatch(/^某某社区\s+0 \/ 1\s+1\s+0\s+—\s+1\s+\d+\s+查看$/);
      await page.click('#compare a:text-is("某某社区")');
      expect(new URL(page.url()).hash).toBe('#u2');
      expect(await page.locator('#u2 > h2').innerText()).toMatch(/^某某社区/);
      expect(await page.locator('#u2 tr[data-f="b"]').count()).toBe(1);
      expect(await page.locator('#u1 tr[data-f="b"]').count()).toBe(10);
      await page.click('#u2 > h2 a.back');
      expect(new URL(page.url()).hash).toBe('#compare');
      // one filter for the whole page: an owner of either unit
      await page.selectOption('#f-owner', '李老师');
      expect(await visibleRows(page)).toEqual(['A1.1', 'A1.2']);
      expect(requests).toEqual([pathToFileURL(target).href]);
    } finally {
      await ctx.close();
    }
  });

  it('a screenshot of the page to look at (kept in a temporary folder)', async () => {
    const { page, ctx } = await open(file);
    try {
      const shot = path.join(out, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      console.info(`dashboard screenshot: ${shot}`);
    } finally {
      await ctx.close();
    }
  });
});
