// What the build summary says about evidence that did not become pages, counted as what it is:
// files replaced by a notice page, pages of a file replaced by a printed notice, pages the DOCX
// could not show as pictures (never pages counted as "files"), and form values bound blank.
import type { Warning } from '../model.js';

export interface NotBound {
  /** the warnings behind the lines, in report order */
  warnings: Warning[];
  /** the sentences to print, heading first (empty: nothing to say) */
  lines: string[];
}

/** The summary lines about `bind-failed`, `not-converted`, `xfa-form` and `form-appearance` warnings. */
export function notBoundSummary(warnings: readonly Warning[]): NotBound {
  const files = new Set<string>();
  const partly = new Set<string>();
  let pages = 0;
  let docxPages = 0;
  let xfa = 0;
  let forms = 0;
  const relevant: Warning[] = [];
  for (const w of warnings) {
    if (w.code === 'xfa-form') {
      relevant.push(w);
      xfa++;
    }
    if (w.code === 'form-appearance') {
      relevant.push(w);
      forms++;
    }
    if (w.code === 'bind-failed') {
      relevant.push(w);
      if (w.params.pages) {
        partly.add(w.path);
        pages += w.params.pages.length;
      } else files.add(w.path);
    } else if (w.code === 'not-converted') {
      relevant.push(w);
      if (w.params.cause === 'no-page-renderer' || w.params.cause === 'page-render-failed') docxPages += w.params.pages;
      else files.add(w.path);
    }
  }
  if (relevant.length === 0) return { warnings: [], lines: [] };
  const parts: string[] = [];
  if (files.size > 0) parts.push(`${files.size} 个文件未能转换成页面（卷中以说明页代替）`);
  if (xfa > 0) parts.push(`${xfa} 个动态 XFA 表单没有可装订的内容（卷中以说明页代替，不计入材料要求）`);
  if (pages > 0) parts.push(`${partly.size} 个文件中有 ${pages} 页未能复制（这些页的位置印有说明）`);
  if (forms > 0) parts.push(`${forms} 个 PDF 表单有已填写的栏目装订后是空白`);
  if (docxPages > 0) parts.push(`DOCX 中 ${docxPages} 页证据未能转成图片（这些页印有说明，PDF 不受影响）`);
  return { warnings: relevant, lines: [`${parts.join('；')}：`] };
}
