// An output file of a command (a report, a manual) written whole.
import { ChuangchengError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { errnoOf } from '../util/fsx.js';

/** Write an output whole (temporary file, then rename); a failure is the user's to fix: exit 2. */
export async function writeOutput(file: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(file, data);
  } catch (err) {
    const errno = errnoOf(err);
    throw new ChuangchengError('output-write-failed', { file, ...(errno ? { errno } : {}) }, { cause: err });
  }
}
