import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../../server/auth/password';
import { openDatabase } from '../../../../server/db/connect';
import { jsonl, removeTempFiles, tempFile } from './helpers';

// The real entry point in a child process (through tsx, as `npm run server:cli` runs it).
const repo = path.resolve(import.meta.dirname, '../../../..');
const tsxLoader = pathToFileURL(createRequire(path.join(repo, 'package.json')).resolve('tsx')).href;
const entry = path.join(repo, 'server/cli/main.ts');

afterAll(removeTempFiles);

/** `input`: written to the child's standard input, which is left open (like a writer that lingers). */
function run(args: string[], env: Record<string, string> = {}, input?: string) {
  const child = spawn(process.execPath, ['--import', tsxLoader, entry, ...args], {
    cwd: repo,
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => undefined); // the child may close its end first
  if (input === undefined) child.stdin.end();
  else child.stdin.write(input);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('server CLI entry point', () => {
  it('prints help and exits 0; no command or a bad option exits 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run server:cli -- <command>');
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Commands:');
    const bad = await run(['export', '--project', 'p', '--format', 'raw', '--colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--colour'");
  });

  it('user add --password-stdin reads the first line of a pipe and exits without waiting for its end', async () => {
    const db = path.join(path.dirname(tempFile('x', '')), 'server.db');
    const args = ['user', 'add', 'pia', '--role', 'reviewer', '--password-stdin', '--db', db];
    expect(await run(args, {}, 'piped-secret-1\n')).toMatchObject({
      code: 0,
      stdout: 'added reviewer pia\n',
      stderr: '',
    });
    const server = await openDatabase(db);
    try {
      const user = await server.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      expect(await verifyPassword('piped-secret-1', user.password_hash)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('takes the database from DATABASE_URL, imports (exit 1 on a bad file) and exports to stdout', async () => {
    const db = path.join(path.dirname(tempFile('x', '')), 'server.db');
    const env = { DATABASE_URL: db };
    expect((await run(['project', 'create', 'p', '--name', 'P'], env)).code).toBe(0);
    const bad = tempFile('bad.jsonl', '{"id": 1}\n');
    const failed = await run(['import', bad, '--project', 'p'], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${bad}:1: id: Invalid input: expected string, received number`);
    const good = tempFile(
      'good.jsonl',
      jsonl({
        id: 't1',
        kind: 'ranking',
        prompt: 'Q',
        responses: [
          { id: 'a', text: 'A' },
          { id: 'b', text: 'B' },
        ],
      }),
    );
    const imported = await run(['import', good, '--project', 'p'], env);
    expect(imported).toMatchObject({ code: 0, stdout: 'imported 1 task(s) into project p\n', stderr: '' });
    expect(fs.existsSync(db)).toBe(true);
    const exported = await run(['export', '--project', 'p', '--format', 'openai'], env);
    expect(exported).toMatchObject({ code: 0, stdout: '', stderr: 'exported 0 row(s) from 0 label(s)\n' });
  });
});
