import { manualJsonSchema } from '../manual/schema.js';
import { reportJsonSchema, unitsReportJsonSchema } from '../report/schema.js';

export async function runSchema(flags: { report?: boolean; units?: boolean }): Promise<void> {
  const schema = flags.units ? unitsReportJsonSchema() : flags.report ? reportJsonSchema() : manualJsonSchema();
  process.stdout.write(JSON.stringify(schema, null, 2) + '\n');
}
