import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, onCleanup, open, repoRoot, tempDir, testResources } from './helpers';

const script = path.join(repoRoot, 'test/unit/services/fixtures/import-then-hang.ts');

/** Runs the child until its import has committed some chunks, then kills it with SIGKILL. */
function importAndKill(dataDir: string, resourcesDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, resourcesDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onCleanup(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const partial = /^partial (\d+)/.exec(stdout);
      if (signal === 'SIGKILL' && partial) resolve(Number(partial[1]));
      else reject(new Error(`child exited (${code ?? signal}) before "partial": ${stdout}${stderr}`));
    });
  });
}

describe('an import cut short by a crash', () => {
  it('leaves nothing half-written: the next start removes what it wrote and says so', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const resourcesDir = testResources();
    const written = await importAndKill(dataDir, resourcesDir);
    expect(written).toBeGreaterThanOrEqual(500);
    expect(written).toBeLessThan(3000);

    const services = open({ dataDir, resourcesDir });
    expect(services.undoneImport).toEqual({ fileName: 'crash.jsonl', removed: written });
    expect(await call(services, 'queue.summary')).toMatchObject({ total: 2, submitted: 1, pending: 1 });
    const kept = await call(services, 'task.open', { taskId: 'kept-1' });
    expect(kept.label).toMatchObject({ taskId: 'kept-1', activeMs: 500 });
    // the file imports whole when it is imported again
    const again = await call(services, 'tasks.import', {
      text: Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({
          id: `crash-${i}`,
          kind: 'ranking',
          prompt: `Prompt crash-${i}`,
          responses: [
            { id: 'r1', text: 'one' },
            { id: 'r2', text: 'two' },
          ],
        }),
      ).join('\n'),
    });
    expect(again).toEqual({ ok: true, imported: 3000, duplicates: 0 });
    services.close();
    // the journal went with the import's last commit: nothing to undo at the next start
    expect(open({ dataDir, resourcesDir }).undoneImport).toBeNull();
  });
});
