// Where a command's report goes: standard output, or a file written whole.
import { ChuangchengError } from '../errors.js';
import { writeOutput } from '../output/write.js';
import { errnoOf } from '../util/fsx.js';

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
      else reject(new ChuangchengError('report-write-failed', code ? { errno: code } : {}, { cause: err }));
    });
  });
}
