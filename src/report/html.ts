// The HTML dashboard (`check --format html`): ONE self-contained page — inline CSS and script, no
// network, no fonts or images to fetch — that opens from disk, as a CI artifact or on a static site.
// Everything is in the page as plain HTML; the script only adds filters (owner, status, search), so
// with scripts off the page still shows everything. Printable on A4 without the filter controls.
//
// It takes several units: one is the page for that unit; several get a comparison table on top and
// a section each. Every text from the user's files (titles, names, paths, reasons) is escaped.
import { createHash } from 'node:crypto';
import { DASH } from '../wording/dashboard.js';
import { DROP_LABEL, dueNote, FILE_SECTION, KIND_COUNT_UNIT, KIND_LABEL, lackAmount, lackText, NO_OWNER, unmatchedText, WARNING_LABEL } from '../wording/labels.js';
import { VERSION } from '../version.js';
import type { ALevelReport, BLevelReport, Report, RequirementReport } from './report.js';
import { ownerIndex, ownerTodos, summaryLine, todoSummary, type OwnerTodo } from './text.js';
import { printableData } from '../util/printable.js';

export interface HtmlUnit {
  /** how the unit is named on the page (the manual's `unit` for a single check) */
  name: string;
  report: Report;
}

export interface HtmlOptions {
  /** the page title; default: the manuals' common title, else 创城材料检查汇总 */
  title?: string;
}

// ---- escaping: every interpolation is text unless it is markup made here

class Html {
  constructor(readonly s: string) {}
  toString(): string {
    return this.s;
  }
}
type Part = string | number | Html | undefined | null | false | readonly Part[];

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text for an HTML text node or a quoted attribute value. NUL and other C0 controls are dropped. */
export function escapeHtml(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/[&<>"']/g, (c) => ESC[c]!);
}

function part(v: Part): string {
  if (v === undefined || v === null || v === false) return '';
  if (v instanceof Html) return v.s;
  if (Array.isArray(v)) return (v as readonly Part[]).map(part).join('');
  return escapeHtml(String(v));
}

/** Markup with every interpolated value escaped, unless it is itself markup made by `h`. */
function h(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += part(v) + strings[i + 1]!));
  return new Html(out);
}

// ---- small pieces

/** A path as the user knows it: the folders grey, the file name in bold; breakable anywhere. */
function pathHtml(p: string): Html {
  const i = p.lastIndexOf('/');
  return h`<span class="path"><span class="dir">${p.slice(0, i + 1)}</span><span class="file">${p.slice(i + 1)}</span></span>`;
}

type Status = 'complete' | 'missing' | 'overdue';
const bStatus = (b: BLevelReport): Status => (b.status === 'satisfied' ? 'complete' : b.overdue ? 'overdue' : 'missing');

function badge(b: BLevelReport): Html {
  const lacks = b.requirements.filter((r) => r.status === 'unsatisfied').length;
  if (b.status === 'satisfied') return h`<span class="badge ok">✔ ${DASH.coverage.complete}</span>`;
  return h`<span class="badge gap">✘ ${DASH.coverage.missing(lacks)}</span>${b.overdue ? h`<span class="badge late">${DASH.coverage.overdue}</span>` : ''}`;
}

function dueHtml(b: BLevelReport, today: string): Html {
  if (!b.due) return h``;
  const note = dueNote(b, today);
  if (!note) return h`<span class="due-done">${b.due}</span>`;
  return noteHtml(note);
}

/** A due-date sentence in its colour; a date is not broken at its hyphens (each clause stays on one line). */
function noteHtml(note: { text: string; tone: string }): Html {
  return h`<span class="due-${note.tone}">${note.text.split(/(?<=，)/u).map((c) => h`<span class="clause">${c}</span>`)}</span>`;
}

function meter(found: number, min: number, ok: boolean): Html {
  const pct = min <= 0 ? 100 : Math.min(100, Math.round((found / min) * 100));
  return h`<span class="meter${ok ? '' : ' short'}" role="img" aria-label="${found} / ${min}"><span style="width:${pct}%"></span></span>`;
}

function requirementHtml(r: RequirementReport): Html {
  const ok = r.status === 'satisfied';
  const why = ok ? undefined : unmatchedText(r);
  return h`<div class="req ${ok ? 'ok' : 'gap'}">
<span class="req-title">${r.title}<span class="kind">${KIND_LABEL[r.kind]}</span></span>${meter(r.found, r.min, ok)}<span class="num">${r.found} / ${r.min} ${KIND_COUNT_UNIT[r.kind]}</span>
${ok ? '' : h`<div class="lack">${DASH.coverage.lack}：${lackAmount(r)}</div>`}${why ? h`<div class="why">${why}</div>` : ''}</div>`;
}

function filesHtml(b: BLevelReport): Html {
  const files = [...b.requirements.flatMap((r) => r.files), ...b.other];
  if (files.length === 0) return h`<div class="small muted">${DASH.coverage.none}</div>`;
  return h`<details class="files"><summary>${DASH.coverage.files(files.length)}</summary><ul>${files.map((f) => h`<li>${pathHtml(f)}</li>`)}</ul></details>`;
}

// ---- one unit

interface UnitView {
  id: string;
  name: string;
  report: Report;
  owners: Map<string, string>;
  stats: UnitStats;
}

interface UnitStats {
  requirements: number;
  requirementsMet: number;
  overdue: number;
}

function statsOf(report: Report): UnitStats {
  const bs = report.indicators.flatMap((a) => a.indicators);
  const reqs = bs.flatMap((b) => b.requirements);
  return { requirements: reqs.length, requirementsMet: reqs.filter((r) => r.status === 'satisfied').length, overdue: bs.filter((b) => b.overdue).length };
}

function cards(u: UnitView): Html {
  const s = u.report.summary;
  const card = (cls: string, k: string, v: Part, unit?: Part, sub?: Part) =>
    h`<div class="card ${cls}"><div class="k">${k}</div><div class="v">${v}${unit ? h` <small>${unit}</small>` : ''}</div>${sub ? h`<div class="sub">${sub}</div>` : ''}</div>`;
  const c = DASH.card;
  return h`<div class="cards">
${card(s.unsatisfied > 0 ? 'bad' : 'good', c.indicators, h`${s.satisfied}<small> / ${s.indicators}</small>`)}
${card(u.stats.requirementsMet < u.stats.requirements ? 'bad' : 'good', c.requirements, h`${u.stats.requirementsMet}<small> / ${u.stats.requirements}</small>`)}
${card(s.gaps > 0 ? 'bad' : 'good', c.gaps, s.gaps, c.gapsUnit)}
${card(u.stats.overdue > 0 ? 'bad' : 'good', c.overdue, u.stats.overdue, c.overdueUnit)}
${s.score > 0 ? card(s.scoreAtRisk > 0 ? 'bad' : 'good', c.risk, s.scoreAtRisk, c.scoreUnit, c.riskOf(s.score)) : card('plain', c.risk, '—', undefined, c.noScore)}
${card(s.dropped > 0 ? 'warn' : 'plain', c.dropped, s.dropped, c.filesUnit)}
${card(s.warnings > 0 ? 'warn' : 'plain', c.warnings, s.warnings, c.filesUnit)}
${card(s.unassigned > 0 ? 'warn' : 'plain', c.unassigned, s.unassigned, c.filesUnit)}
</div>`;
}

function verdict(report: Report): Html {
  return h`<p class="verdict ${report.summary.gaps > 0 ? 'bad' : 'good'}">${summaryLine(report)}</p>`;
}

/** The unit (when given), the period and the date checked. */
function metaLine(report: Report, unit: string | undefined): Html {
  return h`<p class="meta">${unit !== undefined ? h`<span>${unit}</span>` : ''}${report.period ? h`<span>${DASH.period(report.period.from, report.period.to)}</span>` : ''}<span>${DASH.checkedOn} ${report.today}</span></p>`;
}

function nav(u: UnitView): Html {
  const r = u.report;
  const links: [string, string][] = [
    ['coverage', DASH.section.coverage],
    ['owners', DASH.section.owners],
    ...(r.summary.score > 0 ? ([['risk', DASH.section.risk]] as [string, string][]) : []),
    ['dropped', `${FILE_SECTION.dropped}（${r.dropped.length}）`],
    ['unassigned', `${FILE_SECTION.unassigned}（${r.unassigned.length}）`],
    ['warnings', `${FILE_SECTION.warnings}（${r.warnings.length}）`],
  ];
  return h`<nav class="toc" aria-label="${DASH.nav}">${links.map(([id, t]) => h`<a href="#${u.id}-${id}">${t}</a>`)}</nav>`;
}

function coverage(u: UnitView, hn: number): Html {
  const c = DASH.coverage;
  const r = u.report;
  const aBlock = (a: ALevelReport) => {
    const bad = a.indicators.filter((b) => b.status === 'unsatisfied').length;
    const rows = a.indicators.map((b) => {
      const owner = u.owners.get(b.code) ?? NO_OWNER;
      const st = bStatus(b);
      return h`<tr class="b ${st}" data-f="b" data-owner="${owner}" data-status="${st}" data-ctx="${a.code} ${a.title}">
<td class="st">${badge(b)}</td>
<td class="ind"><span class="code">${b.code}</span> ${b.title}${b.method ? h`<div class="small muted">${b.method}</div>` : ''}</td>
<td class="own" data-label="${c.owner}">${owner}${!b.owner && a.owner ? h`<div class="small muted">${c.ownerFromA}</div>` : ''}</td>
<td class="due" data-label="${c.due}">${dueHtml(b, r.today)}</td>
<td class="score" data-label="${c.score}">${b.score ?? ''}</td>
<td class="mat">${b.requirements.map(requirementHtml)}${b.other.length > 0 ? h`<div class="small muted other">${c.other(b.other.length)}</div>` : ''}${
        b.reason && b.status === 'unsatisfied' ? h`<div class="reason"><b>${c.reason}：</b>${b.reason}</div>` : ''
      }${filesHtml(b)}</td>
</tr>`;
    });
    return h`<section class="alevel" data-fgroup>
<header><h${hn + 1} class="a-title"><span class="code">${a.code}</span> ${a.title}</h${hn + 1}><span class="badge ${bad ? 'gap' : 'ok'}">${c.aStatus(bad, a.indicators.length)}</span>${a.owner ? h`<span class="muted">${c.lead(a.owner)}</span>` : ''}${a.score !== undefined ? h`<span class="muted">${c.scoreOf(a.score)}</span>` : ''}</header>
<table class="cov">
<colgroup><col class="c-st"><col class="c-ind"><col class="c-own"><col class="c-due"><col class="c-score"><col class="c-mat"></colgroup>
<thead><tr><th>${c.status}</th><th>${c.indicator}</th><th>${c.owner}</th><th>${c.due}</th><th>${c.score}</th><th>${c.material}</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</section>`;
  };
  return h`<section class="block" id="${u.id}-coverage" data-fsection>
<h${hn}>${DASH.section.coverage}</h${hn}>
${r.indicators.length === 0 ? h`<p class="muted">${c.noIndicators}</p>` : r.indicators.map(aBlock)}
<p class="fempty" hidden>${DASH.filter.empty}</p>
</section>`;
}

function ownersView(u: UnitView, hn: number): Html {
  const r = u.report;
  const todos = ownerTodos(r);
  const busy = new Set(todos.map((t) => t.owner));
  const idle = [...new Set(u.owners.values())].filter((o) => !busy.has(o)).sort((x, y) => x.localeCompare(y, 'zh-CN'));
  const card = (t: OwnerTodo) => h`<article class="owner" data-fgroup>
<h${hn + 1}>${t.owner}</h${hn + 1}>
<p class="sum">${todoSummary(t)}</p>
<ul>${t.gaps.map((g) => {
    const note = dueNote(g.b, r.today);
    return h`<li class="todo-gap" data-f="gap" data-owner="${t.owner}" data-status="${bStatus(g.b)}"><div><span class="x">✘</span> <span class="code">${g.b.code}</span> ${g.b.title}${note ? h` ${noteHtml(note)}` : ''}</div>
${g.lacks.map((l) => h`<div class="lack">${DASH.coverage.lack} ${lackText(l)}</div>`)}</li>`;
  })}${t.files.map(
    (f) => h`<li class="todo-file" data-f="file" data-owner="${t.owner}"><div><span class="bang">!</span> ${pathHtml(f.path)}</div>${f.notes.map((n) => h`<div class="note"><b>${n.what}</b>：${n.detail}</div>`)}</li>`,
  )}</ul>
</article>`;
  return h`<section class="block" id="${u.id}-owners" data-fsection>
<h${hn}>${DASH.section.owners}</h${hn}>
<p class="intro muted">${DASH.owners.intro}</p>
${todos.length === 0 ? h`<p>${DASH.owners.nothing}</p>` : h`<div class="owners">${todos.map(card)}</div>`}
${idle.length > 0 ? h`<div class="idle" data-fgroup><span class="muted">${DASH.owners.done}：</span>${idle.map((o) => h`<span class="chip" data-f="idle" data-owner="${o}">${o}</span>`)}</div>` : ''}
<p class="fempty" hidden>${DASH.filter.empty}</p>
</section>`;
}

function riskView(u: UnitView, hn: number): Html {
  const r = u.report;
  if (r.summary.score <= 0) return h``;
  const t = DASH.risk;
  const rows = r.indicators.map((a) => {
    const bScore = a.indicators.reduce((n, b) => n + (b.score ?? 0), 0);
    const atRisk = a.indicators.filter((b) => b.status === 'unsatisfied' && (b.score ?? 0) > 0);
    const risk = atRisk.reduce((n, b) => n + b.score!, 0);
    return h`<tr class="${risk > 0 ? 'at-risk' : ''}"><td><span class="code">${a.code}</span> ${a.title}</td><td class="n">${a.score ?? bScore}</td><td class="n risk">${risk}</td><td>${
      atRisk.length === 0 ? h`<span class="muted">${t.none}</span>` : atRisk.map((b) => h`<div><span class="code">${b.code}</span> ${b.title}（${DASH.coverage.scoreOf(b.score!)}）</div>`)
    }</td></tr>`;
  });
  return h`<section class="block" id="${u.id}-risk">
<h${hn}>${DASH.section.risk}</h${hn}>
<p class="intro muted">${t.intro}</p>
<div class="panel"><table class="risk-table">
<thead><tr><th>${t.aLevel}</th><th class="n">${t.score}</th><th class="n">${t.atRisk}</th><th>${t.which}</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><td>${t.total}</td><td class="n">${r.summary.score}</td><td class="n risk">${r.summary.scoreAtRisk}</td><td></td></tr></tfoot>
</table></div>
</section>`;
}

/** Entries in the order of their labels (as the text report groups them). */
function byLabel<T, K extends string>(entries: T[], keyOf: (e: T) => K, labels: Record<K, string>): T[] {
  const order = Object.keys(labels);
  return [...entries].sort((x, y) => order.indexOf(keyOf(x)) - order.indexOf(keyOf(y)));
}

function droppedView(u: UnitView, hn: number): Html {
  const r = u.report;
  const f = DASH.files;
  // junk and excluded files are nobody's (as on the to-do lists): no owner to filter by
  const owner = (d: { reason: string; indicator?: string }) => (d.reason === 'junk' || d.reason === 'excluded' || !d.indicator ? '' : (u.owners.get(d.indicator) ?? ''));
  const rows = byLabel(r.dropped, (d) => d.reason, DROP_LABEL).map(
    (d) => h`<tr data-f="file" data-owner="${owner(d)}"><td>${pathHtml(d.path)}</td><td class="label">${DROP_LABEL[d.reason]}<div class="small muted">${d.reason}</div></td><td>${d.detail}</td></tr>`,
  );
  return h`<section class="block" id="${u.id}-dropped" data-fsection>
<h${hn}>${FILE_SECTION.dropped}（${r.dropped.length}）</h${hn}>
<p class="intro muted">${FILE_SECTION.droppedHint}</p>
${r.dropped.length === 0 ? h`<p>${f.noDropped}</p>` : h`<div class="panel" data-fgroup><table class="files-table"><colgroup><col class="c-path"><col class="c-label"><col></colgroup><thead><tr><th>${f.file}</th><th>${f.reason}</th><th>${f.detail}</th></tr></thead><tbody>${rows}</tbody></table></div>`}
<p class="fempty" hidden>${DASH.filter.empty}</p>
</section>`;
}

function unassignedView(u: UnitView, hn: number): Html {
  const r = u.report;
  const covered = (p: string) => r.suggestions.some((s) => p === s.path || p.startsWith(`${s.path}/`));
  const rest = r.unassigned.filter((p) => !covered(p));
  const items = [
    ...r.suggestions.map(
      (s) => h`<li data-f="file" data-owner=""><span class="badge warn">${FILE_SECTION.rename}</span> ${pathHtml(s.path)} <span class="arrow">→</span> <b class="newname">${s.name}</b><div class="small muted">${s.hint}</div></li>`,
    ),
    ...rest.map((p) => h`<li data-f="file" data-owner="">${pathHtml(p)}</li>`),
  ];
  return h`<section class="block" id="${u.id}-unassigned" data-fsection>
<h${hn}>${FILE_SECTION.unassigned}（${r.unassigned.length}）</h${hn}>
<p class="intro muted">${FILE_SECTION.unassignedHint}</p>
${items.length === 0 ? h`<p>${DASH.files.noUnassigned}</p>` : h`<div class="panel" data-fgroup><ul class="plain">${items}</ul></div>`}
<p class="fempty" hidden>${DASH.filter.empty}</p>
</section>`;
}

function warningsView(u: UnitView, hn: number): Html {
  const r = u.report;
  const f = DASH.files;
  const rows = byLabel(r.warnings, (w) => w.code, WARNING_LABEL).map(
    (w) =>
      h`<tr data-f="file" data-owner="${w.indicator ? (u.owners.get(w.indicator) ?? '') : ''}"><td>${pathHtml(w.path)}</td><td class="label">${WARNING_LABEL[w.code]}<div class="small muted">${w.code}</div></td><td>${w.detail}</td></tr>`,
  );
  return h`<section class="block" id="${u.id}-warnings" data-fsection>
<h${hn}>${FILE_SECTION.warnings}（${r.warnings.length}）</h${hn}>
<p class="intro muted">${FILE_SECTION.warningsHint}</p>
${r.warnings.length === 0 ? h`<p>${f.noWarnings}</p>` : h`<div class="panel" data-fgroup><table class="files-table"><colgroup><col class="c-path"><col class="c-label"><col></colgroup><thead><tr><th>${f.file}</th><th>${f.warning}</th><th>${f.detail}</th></tr></thead><tbody>${rows}</tbody></table></div>`}
<p class="fempty" hidden>${DASH.filter.empty}</p>
</section>`;
}

function unitBody(u: UnitView, hn: number): Html {
  return h`${nav(u)}
${coverage(u, hn)}
${ownersView(u, hn)}
${riskView(u, hn)}
${droppedView(u, hn)}
${unassignedView(u, hn)}
${warningsView(u, hn)}`;
}

// ---- several units

function compareTable(views: UnitView[]): Html {
  const c = DASH.compare;
  const rows = views.map((u) => {
    const s = u.report.summary;
    return h`<tr class="${s.gaps > 0 ? 'has-gaps' : ''}"><td><a href="#${u.id}">${u.name}</a></td><td class="n">${s.satisfied} / ${s.indicators}</td><td class="n ${s.gaps > 0 ? 'bad' : ''}">${s.gaps}</td><td class="n ${u.stats.overdue > 0 ? 'bad' : ''}">${u.stats.overdue}</td><td class="n ${s.scoreAtRisk > 0 ? 'bad' : ''}">${s.score > 0 ? `${s.scoreAtRisk} / ${s.score}` : '—'}</td><td class="n">${s.dropped}</td><td class="n">${s.warnings}</td><td class="n"><a href="#${u.id}">${c.open}</a></td></tr>`;
  });
  return h`<section class="block" id="compare">
<h2>${c.heading}</h2>
<div class="panel"><table class="compare">
<thead><tr><th>${c.unit}</th><th class="n">${c.indicators}</th><th class="n">${c.gaps}</th><th class="n">${c.overdue}</th><th class="n">${c.risk}</th><th class="n">${c.dropped}</th><th class="n">${c.warnings}</th><th></th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
</section>`;
}

// ---- filters

function allOwners(views: UnitView[]): string[] {
  const set = new Set(views.flatMap((u) => [...u.owners.values()]));
  return [...set].sort((x, y) => (x === NO_OWNER ? 1 : y === NO_OWNER ? -1 : x.localeCompare(y, 'zh-CN')));
}

function filterBar(views: UnitView[]): Html {
  const f = DASH.filter;
  return h`<div class="filters" id="filters" role="search" hidden>
<div class="filters-inner">
<span class="f-title">${f.label}</span>
<label class="f"><span id="f-owner-label">${f.owner}</span><select id="f-owner"><option value="">${f.allOwners}</option>${allOwners(views).map((o) => h`<option value="${o}">${o}</option>`)}</select></label>
<span class="f" role="radiogroup" aria-labelledby="f-status-label"><span id="f-status-label">${f.status}</span><span class="seg">${f.statuses.map(
    ([v, t], i) => h`<input type="radio" name="f-status" id="f-s-${v}" value="${v}"${i === 0 ? h` checked` : ''}><label for="f-s-${v}">${t}</label>`,
  )}</span></span>
<label class="f"><span id="f-q-label">${f.search}</span><input type="search" id="f-q" placeholder="${f.placeholder}" autocomplete="off"></label>
<button type="button" id="f-reset" hidden>${f.reset}</button>
<span class="fcount" id="f-count" data-prefix="${f.shownPrefix}" data-suffix="${f.shownSuffix}"></span>
</div>
</div>
<p class="print-note" id="f-note" data-prefix="${f.printed}" hidden></p>`;
}

// The script: filters only. It reads no data but the page's own attributes and writes only
// hidden/open flags and plain text (textContent), so nothing from the user's files is ever run.
const SCRIPT = `(function () {
  var bar = document.getElementById('filters');
  if (!bar) return;
  var owner = document.getElementById('f-owner');
  var q = document.getElementById('f-q');
  var count = document.getElementById('f-count');
  var note = document.getElementById('f-note');
  var reset = document.getElementById('f-reset');
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var items = all('[data-f]');
  var groups = all('[data-fgroup]');
  var sections = all('[data-fsection]');
  var text = function (id) { var e = document.getElementById(id); return e ? e.textContent : ''; };
  function status() {
    var c = bar.querySelector('input[name="f-status"]:checked');
    return c ? c.value : 'all';
  }
  function apply() {
    var o = owner.value, s = status(), t = q.value.trim().toLowerCase();
    var shown = 0, total = 0;
    items.forEach(function (el) {
      var es = el.getAttribute('data-status');
      var ok = (o === '' || el.getAttribute('data-owner') === o) &&
        (s === 'all' || es === null || es === s || (s === 'missing' && es === 'overdue')) &&
        (t === '' || (el.textContent + ' ' + (el.getAttribute('data-ctx') || '')).toLowerCase().indexOf(t) >= 0);
      el.hidden = !ok;
      if (ok && t !== '') all('details', el).forEach(function (d) { if (d.textContent.toLowerCase().indexOf(t) >= 0) d.open = true; });
      if (el.getAttribute('data-f') === 'b') { total++; if (ok) shown++; }
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('[data-f]:not([hidden])'); });
    sections.forEach(function (sec) {
      var e = sec.querySelector('.fempty');
      if (e) e.hidden = !sec.querySelector('[data-f]') || !!sec.querySelector('[data-f]:not([hidden])');
    });
    count.textContent = count.getAttribute('data-prefix') + ' ' + shown + ' / ' + total + ' ' + count.getAttribute('data-suffix');
    var parts = [];
    if (o !== '') parts.push(text('f-owner-label') + '：' + owner.options[owner.selectedIndex].text);
    if (s !== 'all') parts.push(text('f-status-label') + '：' + bar.querySelector('label[for="f-s-' + s + '"]').textContent);
    if (t !== '') parts.push(text('f-q-label') + '：' + q.value.trim());
    note.textContent = parts.length ? note.getAttribute('data-prefix') + parts.join('；') : '';
    note.hidden = parts.length === 0;
    reset.hidden = parts.length === 0;
  }
  owner.addEventListener('change', apply);
  q.addEventListener('input', apply);
  all('input[name="f-status"]', bar).forEach(function (r) { r.addEventListener('change', apply); });
  reset.addEventListener('click', function () {
    owner.value = '';
    bar.querySelector('input[name="f-status"][value="all"]').checked = true;
    q.value = '';
    apply();
  });
  bar.hidden = false;
  apply();
})();
`;

const FONT_STACK =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei", "文泉驿微米黑", "WenQuanYi Zen Hei", system-ui, -apple-system, "Segoe UI", sans-serif';

const CSS = `
:root { --ink: #1d2330; --muted: #5d6877; --line: #dde2ea; --soft: #eef1f5; --bg: #f3f4f7; --red: #b42318; --red-bg: #fdecea;
  --green: #1a7f37; --green-bg: #e6f4ea; --amber: #8a5300; --amber-bg: #fff5e0; --blue: #1f4e8c; --blue-bg: #eaf1fb; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
/* a section jumped to is not hidden under the sticky filter bar */
section[id] { scroll-margin-top: 64px; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.6 ${FONT_STACK}; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
a { color: var(--blue); }
.page-head { background: #fff; border-top: 6px solid var(--red); border-bottom: 1px solid var(--line); padding: 18px 0 20px; }
.eyebrow { color: var(--red); font-weight: 700; letter-spacing: .12em; font-size: 13px; }
h1 { font-size: 25px; line-height: 1.35; margin: 4px 0 6px; }
h2 { font-size: 20px; margin: 0 0 10px; padding-left: 10px; border-left: 4px solid var(--red); line-height: 1.3; }
h3, h4 { margin: 0; }
.meta { color: var(--muted); margin: 0; }
.meta span + span::before { content: "·"; margin: 0 .6em; color: #aab2bf; }
.verdict { margin: 14px 0 0; padding: 9px 14px; border-radius: 6px; font-weight: 600; }
.verdict.bad { background: var(--red-bg); color: var(--red); }
.verdict.good { background: var(--green-bg); color: var(--green); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(132px, 1fr)); gap: 10px; margin-top: 14px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px 10px; border-top: 3px solid #c9d0da; }
.card .k { color: var(--muted); font-size: 13px; }
.card .v { font-size: 26px; font-weight: 700; line-height: 1.25; font-variant-numeric: tabular-nums; white-space: nowrap; }
.card .v small { font-size: 13px; font-weight: 400; color: var(--muted); }
.card .sub { font-size: 12.5px; color: var(--muted); margin-top: -2px; }
.card.bad { border-top-color: var(--red); } .card.bad .v { color: var(--red); }
.card.good { border-top-color: var(--green); } .card.good .v { color: var(--green); }
.card.warn { border-top-color: #d89b2b; } .card.warn .v { color: var(--amber); }
.filters { position: sticky; top: 0; z-index: 10; background: rgba(255, 255, 255, .97); border-bottom: 1px solid var(--line); box-shadow: 0 2px 8px rgba(20, 30, 50, .06); }
.filters-inner { max-width: 1240px; margin: 0 auto; padding: 9px 20px; display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; }
.f-title { font-weight: 700; }
.f { display: inline-flex; gap: 6px; align-items: center; color: var(--muted); }
select, input[type="search"], button { font: inherit; color: var(--ink); padding: 3px 8px; border: 1px solid #c3cad5; border-radius: 6px; background: #fff; }
input[type="search"] { width: 15em; }
button { cursor: pointer; background: var(--soft); }
.seg { display: inline-flex; border: 1px solid #c3cad5; border-radius: 6px; overflow: hidden; position: relative; }
.seg input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.seg label { padding: 3px 13px; cursor: pointer; color: var(--ink); border-left: 1px solid #c3cad5; background: #fff; }
.seg label:first-of-type { border-left: 0; }
.seg input:checked + label { background: var(--blue); color: #fff; }
.seg input:focus-visible + label { outline: 2px solid var(--blue); outline-offset: -3px; }
.fcount { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
.print-note { display: none; }
main { padding-bottom: 30px; }
.toc { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 18px 0 0; font-size: 14px; }
.toc a { text-decoration: none; }
.toc a:hover { text-decoration: underline; }
.block { margin: 24px 0 0; }
.intro { margin: -4px 0 10px; font-size: 14px; }
.unit { margin-top: 34px; padding-top: 18px; border-top: 3px double var(--line); }
.unit > h2 { font-size: 23px; border-left-width: 6px; display: flex; align-items: baseline; gap: 16px; }
.unit > h2 .back { font-size: 14px; font-weight: 400; text-decoration: none; }
.unit .block h3 { font-size: 18px; margin: 0 0 10px; padding-left: 10px; border-left: 4px solid var(--red); }
.alevel, .panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0 0 14px; overflow: hidden; }
.alevel > header { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; padding: 9px 14px; background: #f7f8fa; border-bottom: 1px solid var(--line); }
.alevel .a-title { font-size: 17px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--soft); }
th { font-size: 13px; color: var(--muted); font-weight: 600; background: #fbfbfd; white-space: nowrap; }
tbody tr:last-child td { border-bottom: 0; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.code { font-weight: 700; color: var(--blue); font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 13px; font-weight: 600; white-space: nowrap; line-height: 1.7; }
.badge + .badge { margin-left: 4px; }
.badge.ok { background: var(--green-bg); color: var(--green); }
.badge.gap { background: var(--red-bg); color: var(--red); }
.badge.late { background: var(--red); color: #fff; }
.badge.warn { background: var(--amber-bg); color: var(--amber); }
col.c-st { width: 112px; } col.c-ind { width: 21%; } col.c-own { width: 100px; } col.c-due { width: 158px; } col.c-score { width: 50px; }
.clause { white-space: nowrap; }
table.cov, table.files-table { table-layout: fixed; }
tr.b.missing > td:first-child, tr.b.overdue > td:first-child { box-shadow: inset 4px 0 0 var(--red); }
tr.b.complete > td:first-child { box-shadow: inset 4px 0 0 #7cc58f; }
td.ind { font-weight: 600; }
td.ind .muted { font-weight: 400; }
td.score { text-align: right; font-variant-numeric: tabular-nums; }
.req { display: grid; grid-template-columns: minmax(8em, 1fr) minmax(70px, 120px) 5.5em; gap: 1px 10px; align-items: center; }
.req + .req { margin-top: 7px; }
.req-title .kind { margin-left: .5em; font-size: 12px; color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 0 4px; }
.meter { display: block; height: 9px; background: #e6e9ee; border-radius: 5px; overflow: hidden; }
.meter > span { display: block; height: 100%; background: #2e9d55; border-radius: 5px; }
.meter.short > span { background: var(--red); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.req.gap .num { color: var(--red); font-weight: 700; }
.lack, .why { grid-column: 1 / -1; font-size: 13.5px; }
.lack { color: var(--red); }
.why { color: var(--amber); background: var(--amber-bg); padding: 4px 8px; border-radius: 4px; margin-top: 2px; }
.reason { margin-top: 8px; padding: 6px 10px; border-left: 3px solid var(--blue); background: var(--blue-bg); font-size: 13.5px; white-space: pre-line; }
.other { margin-top: 6px; }
.due-overdue { color: var(--red); font-weight: 700; }
.due-soon { color: var(--amber); font-weight: 600; }
.due-later, .due-done { color: var(--muted); }
.muted { color: var(--muted); }
.small { font-size: 13px; }
.path { overflow-wrap: anywhere; }
.path .dir { color: var(--muted); }
.path .file { font-weight: 600; }
details.files { margin-top: 6px; font-size: 13px; }
details.files summary { cursor: pointer; color: var(--muted); }
details.files ul { margin: 4px 0 0; padding-left: 18px; }
.owners { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 12px; align-items: start; }
.owner { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px 8px; border-top: 3px solid var(--blue); }
.owner h3, .owner h4 { font-size: 17px; }
.owner .sum { margin: 0 0 4px; color: var(--red); font-size: 14px; font-weight: 600; }
.owner ul { list-style: none; margin: 0; padding: 0; }
.owner li { padding: 6px 0; border-top: 1px dashed #e1e5ea; }
.owner .x { color: var(--red); font-weight: 700; }
.owner .bang { color: var(--amber); font-weight: 700; }
.owner .lack, .owner .note { font-size: 13.5px; padding-left: 1.4em; }
.owner .note { color: var(--muted); }
.owner .note b { color: var(--amber); font-weight: 600; }
.idle { margin-top: 12px; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.chip { background: var(--green-bg); color: var(--green); border-radius: 999px; padding: 0 10px; font-size: 13.5px; }
.risk-table td.risk, .risk-table th.n { font-weight: 700; }
.risk-table td.risk { color: var(--red); }
.risk-table tbody tr:not(.at-risk) td.risk { color: var(--muted); font-weight: 400; }
tfoot td { border-top: 2px solid var(--line); font-weight: 700; background: #fbfbfd; }
col.c-path { width: 38%; } col.c-label { width: 128px; }
.files-table td.label { white-space: nowrap; font-weight: 600; }
ul.plain { list-style: none; margin: 0; padding: 4px 14px; }
ul.plain li { padding: 6px 0; border-bottom: 1px solid var(--soft); }
ul.plain li:last-child { border-bottom: 0; }
.arrow { color: var(--muted); margin: 0 .3em; }
.newname { color: var(--green); }
.compare td.bad { color: var(--red); font-weight: 700; }
.compare td:first-child { font-weight: 600; }
.fempty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); padding: 14px 0 28px; }
@media screen and (max-width: 820px) {
  .cov colgroup, .cov thead { display: none; }
  .cov, .cov tbody, .cov tr, .cov td { display: block; width: 100%; }
  .cov tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  .cov td { border: 0; padding: 3px 12px; }
  /* owner, due date and score on one line, each with its column's name */
  .cov td.own, .cov td.due, .cov td.score { display: inline-block; width: auto; text-align: left; }
  /* (a due-date sentence says 截止 itself; only a bare date gets the label) */
  .cov td.own::before, .cov td.due:has(.due-done)::before, .cov td.score:not(:empty)::before { content: attr(data-label) "："; color: var(--muted); }
  .cov td.own .small { display: inline; }
  .filters { position: static; }
  .fcount { margin-left: 0; }
}
@media print {
  @page { size: A4; margin: 14mm 11mm 15mm; }
  html, body { background: #fff; }
  body { font-size: 10pt; line-height: 1.5; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .filters, .toc, button, details.files, .back { display: none !important; }
  .print-note:not([hidden]) { display: block; margin: 0 0 8px; padding: 4px 8px; border: 1px solid var(--line); font-weight: 600; }
  .wrap { max-width: none; padding: 0; }
  .page-head { border-top-width: 4px; padding: 8px 0 10px; border-bottom: 0; }
  h1 { font-size: 17pt; }
  h2 { font-size: 13pt; }
  .cards { grid-template-columns: repeat(4, 1fr); gap: 6px; }
  .card { padding: 4px 8px; }
  .card .v { font-size: 15pt; }
  .block { margin-top: 14px; }
  .alevel, .panel, .owner { border-radius: 0; overflow: visible; }
  .owners { grid-template-columns: 1fr 1fr; }
  tr, .owner, .req, .card, .verdict { break-inside: avoid; page-break-inside: avoid; }
  .alevel > header, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  col.c-st { width: 80px; } col.c-ind { width: 19%; } col.c-own { width: 80px; } col.c-due { width: 124px; } col.c-score { width: 36px; }
  th, td { padding: 4px 6px; }
  .req { grid-template-columns: minmax(5em, 1fr) 56px 4.6em; gap: 0 6px; }
  .req-title .kind { display: none; }
  /* the to-do lists start a page: they are what gets handed to each person */
  [id$="-owners"] { break-before: page; }
  a { color: inherit; text-decoration: none; }
  .unit { break-before: page; border-top: 0; margin-top: 0; }
}
`;

// ---- the page

export function renderHtml(given: HtmlUnit[], opts: HtmlOptions = {}): string {
  // (a bidi override or a control character in a name is shown as an escape, not obeyed: util/printable.ts)
  const units = given.map((u) => ({ name: printableData(u.name), report: printableData(u.report) }));
  const views: UnitView[] = units.map((u, i) => ({ id: `u${i + 1}`, name: u.name, report: u.report, owners: ownerIndex(u.report), stats: statsOf(u.report) }));
  const single = views.length === 1 ? views[0] : undefined;
  const titles = [...new Set(units.map((u) => u.report.title))];
  const title = opts.title ?? (titles.length === 1 ? titles[0]! : DASH.multiTitle);
  const days = [...new Set(units.map((u) => u.report.today))];
  const tab = single ? `${single.name} ${DASH.tabSuffix} — ${title}` : `${title}（${DASH.unitsCount(units.length)}）`;
  const scriptHash = createHash('sha256').update(SCRIPT).digest('base64');
  // no network at all: nothing but this page's own style and its one script may run or load
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; base-uri 'none'; form-action 'none'`;

  const head = single
    ? h`<header class="page-head"><div class="wrap">
<div class="eyebrow">${DASH.eyebrow}</div>
<h1>${title}</h1>
${metaLine(single.report, single.name)}
${verdict(single.report)}
${cards(single)}
</div></header>`
    : h`<header class="page-head"><div class="wrap">
<div class="eyebrow">${DASH.multiTitle}</div>
<h1>${title}</h1>
<p class="meta"><span>${DASH.unitsCount(units.length)}</span>${days.length === 1 ? h`<span>${DASH.checkedOn} ${days[0]}</span>` : ''}</p>
</div></header>`;

  const body = single
    ? unitBody(single, 2)
    : h`${compareTable(views)}
${views.map(
  (u) => h`<section class="unit" id="${u.id}">
<h2>${u.name}<a class="back" href="#compare">${DASH.compare.back}</a></h2>
${u.report.title !== title ? h`<p class="meta"><span>${u.report.title}</span></p>` : ''}
${metaLine(u.report, u.name !== u.report.unit ? u.report.unit : undefined)}
${verdict(u.report)}
${cards(u)}
${unitBody(u, 3)}
</section>`,
)}`;

  const page = h`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new Html(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="chuangcheng ${VERSION}">
<title>${tab}</title>
<style>${new Html(CSS)}</style>
</head>
<body>
${head}
${filterBar(views)}
<main class="wrap">
${body}
</main>
<footer><div class="wrap">${DASH.footer(VERSION)}</div></footer>
<script>${new Html(SCRIPT)}</script>
</body>
</html>
`;
  return page.s;
}
