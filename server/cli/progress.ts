/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (logs and
 * pipes stay clean) and at most every 100 ms.
 */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const NONE: Progress = { update: () => undefined, finish: () => undefined };

export function progressBar(target: ProgressTarget, label: string, total: number, unit = 'bytes'): Progress {
  if (!target.isTTY || total <= 0) return NONE;
  let last = 0;
  let drawn = false;
  const draw = (done: number) => {
    const share = Math.min(1, done / total);
    const width = Math.max(10, Math.min(40, (target.columns ?? 80) - label.length - 30));
    const filled = Math.round(share * width);
    const amount = unit === 'bytes' ? `${mib(done)}/${mib(total)} MiB` : `${done}/${total}`;
    target.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${amount}`,
    );
    drawn = true;
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done);
    },
    finish() {
      if (drawn) {
        draw(total);
        target.write('\n');
      }
    },
  };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
