// Evicts a file from the OS page cache, so the next read comes from the disk (a cold start after a
// reboot). Linux only: `sync FILE` writes its dirty pages, then GNU dd's `iflag=nocache count=0`
// asks the kernel to drop the whole file (posix_fadvise DONTNEED); no root needed. `fincore FILE`
// (util-linux) shows what is still cached.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export function dropFromPageCache(file: string): void {
  if (!fs.existsSync(file)) return;
  for (const [cmd, args] of [
    ['sync', [file]],
    ['dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']],
  ] as const) {
    const run = spawnSync(cmd, [...args], { stdio: 'pipe' });
    if (run.status !== 0)
      throw new Error(`${cmd} ${args.join(' ')} failed: ${run.stderr?.toString() || run.error?.message}`);
  }
}
