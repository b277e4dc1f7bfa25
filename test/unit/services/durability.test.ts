import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../electron/services/index';
import { call, onCleanup, open, repoRoot, tempDir, testResources } from './helpers';

const script = path.join(repoRoot, 'test/unit/services/fixtures/submit-then-hang.ts');

/** Runs the child until it prints "done …", kills it with SIGKILL, and returns what it printed. */
function runAndKill(dataDir: string, resourcesDir: string): Promise<string> {
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
      if (signal === 'SIGKILL' && stdout.startsWith('done ')) resolve(stdout.trim());
      else reject(new Error(`child exited (${code ?? signal}) before "done": ${stdout}${stderr}`));
    });
  });
}

describe('durability', () => {
  it('a label submitted and a draft saved just before kill -9 are both there after restart', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const resourcesDir = testResources();
    const printed = await runAndKill(dataDir, resourcesDir);
    const labelId = printed.slice('done '.length);
    // killed without closing: the commits live in the write-ahead log
    expect(fs.statSync(path.join(dataDir, `${DB_FILE}-wal`)).size).toBeGreaterThan(0);

    const services = open({ dataDir, resourcesDir });
    const submitted = await call(services, 'task.open', { taskId: 'submitted' });
    expect(submitted.state).toBe('submitted');
    expect(submitted.label).toMatchObject({ id: labelId, taskId: 'submitted', activeMs: 777, revision: 1 });
    const drafted = await call(services, 'task.open', { taskId: 'drafted' });
    expect(drafted.state).toBe('draft');
    expect(drafted.work).toMatchObject({ ranks: { r2: 1 }, rationale: { decisive: 'half a thought' } });
    expect(await call(services, 'queue.summary')).toMatchObject({ submitted: 1, drafts: 1, pending: 0 });
  });
});
