import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { Channel, ChannelOutput } from '../../../shared/contract';
import { contract } from '../../../shared/contract';
import type { Services, ServicesOptions } from '../../../electron/services/index';
import { openServices } from '../../../electron/services/index';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const resourcesDir = path.join(repoRoot, 'resources');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** Runs `fn` after the current test, even when it failed. */
export function onCleanup(fn: () => void): void {
  cleanups.push(fn);
}

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workstation-test-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A steadily advancing fake clock, so timestamps are distinct and predictable. */
export function fakeClock(start = Date.parse('2025-03-01T09:00:00.000Z')): () => Date {
  let now = start;
  return () => new Date((now += 1000));
}

/**
 * A resources folder of the test's own: the repo's default taxonomy and rationale
 * template, plus whatever extra documents the test names (so other resources do not leak in).
 */
export function testResources(extra: Record<string, unknown> = {}): string {
  const dir = path.join(tempDir(), 'resources');
  for (const file of ['taxonomy/default.json', 'rationale/default.json']) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(resourcesDir, file), path.join(dir, file));
  }
  for (const [file, doc] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof doc === 'string' ? doc : JSON.stringify(doc));
  }
  return dir;
}

/** Opens services on a real database file in a temp folder; closed after the test. */
export function open(options: Partial<ServicesOptions> = {}): Services & { dataDir: string } {
  const dataDir = options.dataDir ?? path.join(tempDir(), 'data');
  const services = openServices({
    dataDir,
    resourcesDir: options.resourcesDir ?? testResources(),
    host: 'browser',
    appVersion: '0.0.0-test',
    clock: fakeClock(),
    ...options,
  });
  let closed = false;
  const close = () => {
    if (!closed) services.close();
    closed = true;
  };
  cleanups.unshift(close); // close before the folder is removed
  return { ...services, close, dataDir };
}

/** Calls a channel through dispatch, checks the result against the contract's output schema, returns it. */
export async function call<C extends Channel>(
  services: Services,
  channel: C,
  input: unknown = {},
): Promise<ChannelOutput<C>> {
  const outcome = await services.dispatch(channel, input);
  if (!outcome.ok) throw new Error(`${channel} failed (${outcome.status}): ${outcome.error.message}`);
  return contract[channel].output.parse(outcome.result) as ChannelOutput<C>;
}

export const jsonl = (...rows: unknown[]) =>
  rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

export const responses = (n: number, prefix = 'r') =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    text: `Response ${i + 1}: **markdown** text.`,
  }));

export const rankingTask = (id: string, n = 3, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'ranking',
  prompt: `Prompt for ${id}`,
  responses: responses(n),
  ...extra,
});

export const pairwiseTask = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'pairwise',
  prompt: [
    { role: 'system', content: 'Be concise.' },
    { role: 'user', content: `Question for ${id}?` },
  ],
  responses: [
    { id: 'left', text: 'First answer', model: 'm-1' },
    { id: 'right', text: 'Second answer', model: 'm-2' },
  ],
  ...extra,
});

/** A complete ranking WorkState: the presented order reversed, so it counts as touched. */
export function rankingWork(presentedOrder: readonly string[]) {
  const ranks = Object.fromEntries([...presentedOrder].reverse().map((id, i) => [id, i + 1]));
  return { ranks, rankingTouched: true, activeMs: 42_000 };
}
