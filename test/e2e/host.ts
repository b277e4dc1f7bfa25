import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface BrowserHost {
  /** URL with the per-run token in its fragment, as printed by the host */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
}

/**
 * Starts browser mode (`dist/web/web.mjs`) on a random port and waits for its ready line.
 * `server`: the central server IT configured (sign-in comes first, its address prefilled).
 * `itConfig`: the IT configuration file, written where the app reads it (`<dataDir>/../config.json`,
 * so `dataDir` must be a folder inside one of the test's own).
 */
export async function startHost(
  options: { dataDir?: string; importFile?: string; server?: string; itConfig?: object } = {},
): Promise<BrowserHost> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'rw-e2e-'));
  if (options.itConfig) {
    if (!options.dataDir) throw new Error('itConfig needs a dataDir inside a folder of the test');
    writeFileSync(path.join(path.dirname(dataDir), 'config.json'), JSON.stringify(options.itConfig));
  }
  const args = [path.join(root, 'dist/web/web.mjs'), '--data-dir', dataDir, '--port', '0'];
  if (options.importFile) args.push('--import', options.importFile);
  if (options.server) args.push('--server', options.server);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Workstation ready: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`browser host exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`browser host not ready after 20 s:\n${output}`)), 20_000);
  });
  const url = await ready;
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.hash.replace('#token=', ''),
    dataDir,
    process: child,
    output: () => output,
  };
}

/** kill -9: no chance to flush or close anything. */
export async function killHard(host: BrowserHost): Promise<void> {
  if (host.process.exitCode !== null) return;
  const exited = new Promise((resolve) => host.process.once('exit', resolve));
  host.process.kill('SIGKILL');
  await exited;
}

export async function stopHost(host: BrowserHost, { keepData = false } = {}): Promise<void> {
  if (host.process.exitCode === null) {
    const exited = new Promise((resolve) => host.process.once('exit', resolve));
    host.process.kill('SIGTERM');
    await exited;
  }
  if (!keepData) rmSync(host.dataDir, { recursive: true, force: true });
}

export const fixture = (name: string) => path.join(root, 'test/fixtures', name);
