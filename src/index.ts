// The programmatic API: what the CLI calls, and what CI scripts, tests or a web front end can call.
// Every option is checked by the API, once (the CLI passes its flags on unchecked). Nothing below
// reads the environment: the temporary folder, the environment of the programs started and where
// LibreOffice is are options, with the defaults the README lists; today's date and the 立卷时间
// default to today by the computer's clock. Errors are ChuangchengError: a stable `code`, `params`
// and the Chinese sentence of the wording catalogue (src/wording/errors.ts).
export { check } from './check/index.js';
export type { CheckOptions, CheckResult } from './check/index.js';
export { readManual, resolvePaths } from './project/index.js';
export type { ProjectOptions, ProjectPaths } from './project/index.js';
export { ChuangchengError } from './errors.js';
export type { ErrorCode, ErrorParams } from './errors.js';
export { errorText, ERROR_CODES } from './wording/errors.js';
export type { Voice } from './wording/errors.js';
export type { LibraryConsole } from './util/quiet.js';
export { build } from './build/index.js';
export type { BuildOptions, BuildResult, BuildEvent } from './build/index.js';
export { plan } from './shards/plan.js';
export type { PlanOptions, PlanResult, PlannedShard, ShardPlan, ShardSpec, Estimate } from './shards/plan.js';
export { merge } from './shards/merge.js';
export type { MergeOptions, MergeResult } from './shards/merge.js';
export { init } from './project/init.js';
export type { InitResult } from './project/init.js';
export { importTable } from './import/index.js';
export type { ImportOptions, ImportResult } from './import/index.js';
export { manualToYaml } from './manual/write.js';
export type { WriteManualOptions } from './manual/write.js';
export { formatManualError } from './manual/errors.js';
export { parseManual } from './manual/parse.js';
export type { ManualError } from './manual/errors.js';
export { manualJsonSchema } from './manual/schema.js';
export { buildReport } from './report/report.js';
export type { Report } from './report/report.js';
export { reportJsonSchema } from './report/schema.js';
export { renderHtml } from './report/html.js';
export type { HtmlOptions, HtmlUnit } from './report/html.js';
export * from './model.js';
