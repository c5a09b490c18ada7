// Where a command's report goes: standard output, or a file written whole.
import { UsageError } from '../api.js';
import { writeFileAtomic } from '../util/atomic.js';

export async function emit(text: string | Uint8Array, output: string | undefined): Promise<void> {
  if (!output) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFileAtomic(output, text);
  } catch (err) {
    throw new UsageError(`无法写入 ${output}（${(err as NodeJS.ErrnoException).code ?? String(err)}）。请检查路径是否存在、是否有写入权限。`);
  }
}
