import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { OutputClosedError, writeOutput } from '../../../../server/export/write';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-write-'));
  dirs.push(dir);
  return dir;
}

describe('writeOutput', () => {
  it('replaces the file only when the export completed', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'rows.jsonl');
    fs.writeFileSync(out, 'previous export\n');
    await expect(
      writeOutput(out, new PassThrough(), async (write) => {
        await write('{"a":1}\n');
        throw new Error('database went away');
      }),
    ).rejects.toThrow('database went away');
    expect(fs.readdirSync(dir)).toEqual(['rows.jsonl']);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous export\n');

    await writeOutput(out, new PassThrough(), async (write) => {
      await write('{"a":1}\n');
      await write('{"a":2}\n');
    });
    expect(fs.readFileSync(out, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  });

  it('waits for a slow reader instead of buffering everything (backpressure)', async () => {
    let received = 0;
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        setImmediate(done);
      },
    });
    const chunk = 'x'.repeat(512);
    await writeOutput(null, slow, async (write) => {
      for (let i = 0; i < 200; i++) {
        await write(chunk);
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
      }
    });
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(received).toBe(200 * 512);
    expect(maxBuffered).toBeLessThanOrEqual(1024 + 512);
  });

  it('stops quietly with OutputClosedError when the reader goes away (EPIPE)', async () => {
    const closed = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    await expect(
      writeOutput(null, closed, async (write) => {
        for (let i = 0; i < 10; i++) await write('row\n');
      }),
    ).rejects.toBeInstanceOf(OutputClosedError);
  });
});
