import { manualJsonSchema } from '../manual/schema.js';
import { reportJsonSchema } from '../report/schema.js';

export async function runSchema(flags: { report?: boolean }): Promise<void> {
  process.stdout.write(JSON.stringify(flags.report ? reportJsonSchema() : manualJsonSchema(), null, 2) + '\n');
}
