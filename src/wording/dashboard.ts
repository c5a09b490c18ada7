// The words of the HTML dashboard (`check --format html`) that no other reporter says. The words it
// shares with them — drop reasons, warning labels, what is lacking, due dates, to-do headlines —
// come from labels.ts, diagnostics.ts and the text reporter.

export const DASH = {
  /** the page title when several units are compared */
  multiTitle: '创城材料检查汇总',
  /** after the unit's name in the browser tab */
  tabSuffix: '材料检查',
  /** the small line above the title of a single unit's page */
  eyebrow: '创城材料检查',
  unitsCount: (n: number) => `${n} 个单位`,
  checkedOn: '检查日期',
  period: (from: string, to: string) => `测评周期 ${from} 至 ${to}`,

  card: {
    indicators: '二级指标满足',
    requirements: '材料要求满足',
    gaps: '缺项',
    gapsUnit: '项材料',
    overdue: '逾期',
    overdueUnit: '项指标',
    risk: '失分风险',
    riskOf: (score: number) => `总分 ${score} 分`,
    scoreUnit: '分',
    noScore: '手册未给分值',
    dropped: '剔除',
    warnings: '提醒',
    unassigned: '未归类',
    filesUnit: '个文件',
  },

  compare: {
    heading: '各单位对比',
    unit: '单位',
    indicators: '二级指标满足',
    gaps: '缺项',
    overdue: '逾期',
    risk: '失分风险（分）',
    dropped: '剔除',
    warnings: '提醒',
    open: '查看',
    /** beside each unit's heading */
    back: '↑ 回到各单位对比',
  },

  nav: '本页内容',
  section: {
    coverage: '覆盖情况',
    owners: '负责人待办',
    risk: '失分风险',
  },

  coverage: {
    status: '状态',
    indicator: '二级指标',
    owner: '负责人',
    due: '截止',
    score: '分值',
    material: '材料：已有 / 需要',
    complete: '齐全',
    lack: '缺',
    missing: (n: number) => `缺 ${n} 项`,
    overdue: '逾期',
    lead: (owner: string) => `牵头：${owner}`,
    aStatus: (bad: number, all: number) => (bad === 0 ? `${all} 项全部齐全` : `${all} 项中 ${bad} 项未满足`),
    scoreOf: (n: number) => `${n} 分`,
    ownerFromA: '（牵头人）',
    other: (n: number) => `其他材料 ${n} 个`,
    files: (n: number) => `已采用的文件（${n}）`,
    none: '还没有文件',
    reason: '缺项说明',
    noIndicators: '手册中没有指标。',
  },

  owners: {
    intro: '每人负责的未满足指标、缺什么，以及他的文件里要处理的（被剔除的、有提醒的）。',
    nothing: '没有待办事项。',
    done: '没有待办',
  },

  risk: {
    intro: '未满足的二级指标的分值之和，即这些指标检查时可能失去的分数。',
    aLevel: '一级指标',
    score: '分值',
    atRisk: '风险分',
    which: '有失分风险的二级指标',
    total: '合计',
    none: '无',
  },

  files: {
    file: '文件',
    reason: '原因',
    warning: '提醒',
    detail: '说明',
    noDropped: '没有被剔除的文件。',
    noUnassigned: '所有文件都在指标文件夹里。',
    noWarnings: '没有提醒。',
  },

  filter: {
    label: '筛选',
    owner: '负责人',
    allOwners: '全部负责人',
    status: '状态',
    statuses: [
      ['all', '全部'],
      ['missing', '缺项'],
      ['overdue', '逾期'],
      ['complete', '齐全'],
    ] as const,
    search: '搜索',
    placeholder: '指标、文件名、负责人…',
    reset: '清除筛选',
    /** filled in by the page's script: 显示 7 / 10 项二级指标 */
    shownPrefix: '显示',
    shownSuffix: '项二级指标',
    empty: '没有符合筛选条件的内容。',
    /** printed above a filtered page */
    printed: '本页打印时已筛选：',
  },

  footer: (version: string) => `由 chuangcheng ${version} 生成。本页不联网，可直接打印（A4）；筛选只改变显示，不改变结果。`,
};
