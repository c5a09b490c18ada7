import { manualJsonSchema } from '../manual/schema.js';

export async function runSchema(): Promise<void> {
  process.stdout.write(JSON.stringify(manualJsonSchema(), null, 2) + '\n');
}
