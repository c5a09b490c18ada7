// An output file of a command (a report, a manual) written whole.
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { errnoOf, errnoText } from '../util/fsx.js';

/** Write an output whole (temporary file, then rename); a failure is the user's to fix: exit 2. */
export async function writeOutput(file: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(file, data);
  } catch (err) {
    throw new UsageError(`无法写入 ${file}（${errnoText(errnoOf(err))}）。请检查路径、写入权限和磁盘空间，或换一个位置。`);
  }
}
