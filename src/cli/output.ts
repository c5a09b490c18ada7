// Where a command's report goes: standard output, or a file written whole.
import { UsageError } from '../errors.js';
import { writeOutput } from '../output/write.js';
import { errnoOf, errnoText } from '../util/fsx.js';

export async function emit(text: string | Uint8Array, output: string | undefined): Promise<void> {
  if (output) await writeOutput(output, text);
  else await writeStdout(text);
}

/**
 * Standard output may be a file on a full disk (`> report.json`) or a reader that went away
 * (`| head`). The first is an output we could not write (exit 2); the second is nobody's problem.
 */
function writeStdout(text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => {
      const code = errnoOf(err);
      if (!err || code === 'EPIPE') resolve();
      else reject(new UsageError(`无法写出报告（${errnoText(code)}）。请检查磁盘空间，或用 --output 把报告写到别处。`));
    });
  });
}
