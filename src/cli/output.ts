// Where a command's report goes: standard output, or a file written whole.
import { writeOutput } from '../api.js';

export async function emit(text: string | Uint8Array, output: string | undefined): Promise<void> {
  if (output) await writeOutput(output, text);
  else process.stdout.write(text);
}
