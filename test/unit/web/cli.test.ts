import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './http';

// The CLI runs from source through tsx, so this test does not need the renderer built.
const repo = path.resolve(import.meta.dirname, '../../..');
const tsxLoader = pathToFileURL(createRequire(path.join(repo, 'package.json')).resolve('tsx')).href;
const entry = path.join(repo, 'electron/web/web.ts');

interface Run {
  child: ChildProcess;
  /** resolves with the ready URL, or rejects if the process ends first */
  ready: Promise<URL>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function runCli(args: string[], cwd: string): Run {
  const child = spawn(process.execPath, ['--import', tsxLoader, entry, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const ready = new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^Workstation ready: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)$/m.exec(stdout);
      if (match) resolve(new URL(match[1]!));
    });
    void exit.then(({ code }) => reject(new Error(`exited (${code}) before ready:\n${stdout}\n${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exit };
}

async function stop(run: Run) {
  run.child.kill('SIGTERM');
  return run.exit;
}

let dir: string;
const good = (id: string) =>
  JSON.stringify({
    id,
    kind: 'pairwise',
    prompt: 'Say hi',
    responses: [
      { id: 'a', text: 'hi' },
      { id: 'b', text: 'yo' },
    ],
  });

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rw-cli-'));
  writeFileSync(
    path.join(dir, 'bad.jsonl'),
    [
      good('fine-1'),
      JSON.stringify({ id: 'broken-2', kind: 'ranking', prompt: 'q', responses: [{ id: 'a', text: 'x' }] }),
      '{not json',
      JSON.stringify({ id: 'broken-4', kind: 'pairwise', prompt: '', responses: [] }),
    ].join('\n') + '\n',
  );
  writeFileSync(path.join(dir, 'good.jsonl'), [good('t-1'), good('t-2')].join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run web -- --import', () => {
  it('rejects a bad file: exit 1, FILE:LINE: PATH: MESSAGE lines, a summary, nothing imported', async () => {
    const run = runCli(['--data-dir', 'data', '--port', '0', '--import', 'bad.jsonl'], dir);
    const { code, stdout, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stdout).not.toContain('Workstation ready');
    const lines = stderr.trimEnd().split('\n');
    expect(lines.some((l) => /^bad\.jsonl:2: responses: .+/.test(l))).toBe(true);
    expect(lines.some((l) => /^bad\.jsonl:3: \S+: .+/.test(l))).toBe(true);
    expect(lines.some((l) => /^bad\.jsonl:4: prompt: .+/.test(l))).toBe(true);
    expect(lines.every((l) => !l.startsWith('bad.jsonl:1:'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Import failed: \d+ error\(s\) in bad\.jsonl.*nothing was imported\.$/);

    // a later start shows that not even the valid first line went in
    const later = runCli(['--data-dir', 'data', '--port', '0'], dir);
    const url = await later.ready;
    const summary = await callApi(
      Number(url.port),
      'queue.summary',
      {},
      {
        Authorization: `Bearer ${url.hash.slice('#token='.length)}`,
      },
    );
    expect(summary.json()).toMatchObject({ ok: true, result: { total: 0 } });
    expect((await stop(later)).code).toBe(0);
  });

  it('imports a good file before serving, and a re-import adds nothing', async () => {
    const first = runCli(['--data-dir', 'data-good', '--import', 'good.jsonl'], dir);
    await first.ready;
    const out = await stop(first);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Imported 2 tasks (0 already present)');
    expect(out.stdout.match(/^Workstation ready: /gm)).toHaveLength(1);

    const again = runCli(['--data-dir', 'data-good', '--import', 'good.jsonl'], dir);
    await again.ready;
    expect((await stop(again)).stdout).toContain('Imported 0 tasks (2 already present)');
  });

  it('fails plainly on a missing import file', async () => {
    const { code, stderr } = await runCli(['--data-dir', 'data-missing', '--import', 'nope.jsonl'], dir).exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^nope\.jsonl: cannot read the file/m);
  });
});

describe('npm run web startup errors', () => {
  it('exits 2 with a plain message when the database is damaged, keeping the file', async () => {
    mkdirSync(path.join(dir, 'data-corrupt'));
    writeFileSync(path.join(dir, 'data-corrupt', 'workstation.db'), 'not a database '.repeat(200));
    const { code, stdout, stderr } = await runCli(['--data-dir', 'data-corrupt'], dir).exit;
    expect(code).toBe(2);
    expect(stdout).not.toContain('Workstation ready');
    expect(stderr).toMatch(/damaged/);
    expect(stderr).toContain(path.join(dir, 'data-corrupt'));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --host: browser mode is loopback only', async () => {
    const { code, stderr } = await runCli(['--host', '0.0.0.0'], dir).exit;
    expect(code).toBe(1);
    expect(stderr).toContain('127.0.0.1');
  });
});
