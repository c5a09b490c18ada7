// The programmatic API: what the CLI calls, and what CI scripts, tests or a web front end can call.
// Every option is checked here as the CLI checks it; nothing here reads the clock or the environment:
// today's date, the 立卷时间 and where LibreOffice is are options.
export { check, readManual, resolvePaths, ManualInvalidError } from './api.js';
export type { CheckOptions, CheckResult, ProjectOptions, ProjectPaths } from './api.js';
export { UsageError } from './errors.js';
export { build } from './build.js';
export type { BuildOptions, BuildResult, BuildEvent } from './build.js';
export { plan } from './shard.js';
export type { PlanOptions, PlanResult, PlannedShard, ShardPlan, ShardSpec, Estimate } from './shard.js';
export { merge } from './merge.js';
export type { MergeOptions, MergeResult } from './merge.js';
export { init } from './init.js';
export type { InitResult } from './init.js';
export { importTable } from './import.js';
export type { ImportOptions, ImportResult } from './import.js';
export { manualToYaml } from './manual/write.js';
export type { WriteManualOptions } from './manual/write.js';
export { formatManualError } from './manual/load.js';
export { parseManual } from './manual/parse.js';
export type { ManualError } from './manual/load.js';
export { manualJsonSchema } from './manual/schema.js';
export { buildReport } from './report/report.js';
export type { Report } from './report/report.js';
export { reportJsonSchema } from './report/schema.js';
export { renderHtml } from './report/html.js';
export type { HtmlOptions, HtmlUnit } from './report/html.js';
export * from './model.js';
