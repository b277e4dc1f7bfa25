import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../../server/cli/progress';

describe('progressBar', () => {
  it('draws on a terminal and ends the line', () => {
    let text = '';
    const bar = progressBar(
      { isTTY: true, columns: 80, write: (t: string) => (text += t) },
      'validating',
      4 * 2 ** 20,
    );
    bar.update(2 ** 20);
    bar.finish();
    expect(text).toMatch(
      /^\rvalidating \[#+\.+] {2}25% 1\.0\/4\.0 MiB\rvalidating \[#+\] 100% 4\.0\/4\.0 MiB\n$/,
    );
  });

  it('stays silent when stderr is not a terminal', () => {
    let text = '';
    const bar = progressBar({ isTTY: false, write: (t: string) => (text += t) }, 'validating', 100);
    bar.update(50);
    bar.finish();
    expect(text).toBe('');
  });
});
