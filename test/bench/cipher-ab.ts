// A/B of the local store's encryption (issue 11 §4), for a loaded machine: one process, two
// stores of the same tasks, one plain and one encrypted, `task.next` and `label.submit` alternating
// between them call by call, so both see the same load. Wall time (p95, median) and CPU time (mean,
// process.cpuUsage) per call. Then the one-time encryption of a plaintext store at start-up.
// `npx tsx test/bench/cipher-ab.ts [--tasks=3000] [--rounds=300] [--migrate-tasks=20000]`
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskBundle } from '../../shared/queue';
import { type Services, openServices } from '../../electron/services/index';
import { DB_FILE, openStore } from '../../electron/services/store';
import { median, p95 } from './stats';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const TASKS = arg('tasks', 3000);
const ROUNDS = arg('rounds', 300);
const MIGRATE_TASKS = arg('migrate-tasks', 20_000);
const WARMUP = 30;
const resourcesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources');

const words = 'the model answer explains because however example result question note correct claim'.split(
  ' ',
);
const text = (n: number, length: number) => {
  let out = '';
  for (let i = 0; out.length < length; i++) out += `${words[(n * 7 + i * 13) % words.length]} `;
  return out;
};
const taskLines = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `t${i}`,
      kind: 'ranking',
      prompt: `Question ${i}: ${text(i, 300)}`,
      responses: [1, 2, 3, 4].map((k) => ({ id: `r${k}`, text: text(i * k, 1500) })),
    }),
  ).join('\n');

async function call<T>(services: Services, channel: string, input: unknown): Promise<T> {
  const outcome = await services.dispatch(channel, input);
  if (!outcome.ok) throw new Error(`${channel}: ${outcome.error.message}`);
  return outcome.result as T;
}

interface Side {
  name: string;
  services: Services;
  bundle: TaskBundle;
  wall: { next: number[]; submit: number[] };
  cpu: { next: number[]; submit: number[] };
}

async function measure(side: Side, op: 'next' | 'submit', i: number, run: () => Promise<unknown>) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  if (i < WARMUP) return;
  side.wall[op].push(wall);
  side.cpu[op].push((used.user + used.system) / 1000);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'workstation-cipher-ab-'));
  try {
    const lines = taskLines(TASKS);
    const sides: Side[] = [];
    for (const [name, key] of [
      ['plain', null],
      ['encrypted', randomBytes(32).toString('hex')],
    ] as const) {
      const services = openServices({
        dataDir: path.join(root, name),
        resourcesDir,
        host: 'browser',
        appVersion: 'bench',
        databaseKey: key,
        backgroundSync: false,
        backgroundRetention: false,
      });
      await call(services, 'tasks.import', { text: lines });
      const bundle = await call<TaskBundle>(services, 'task.next', {});
      sides.push({ name, services, bundle, wall: { next: [], submit: [] }, cpu: { next: [], submit: [] } });
    }
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      for (const side of i % 2 ? [...sides].reverse() : sides) {
        await measure(side, 'next', i, () => call(side.services, 'task.next', {}));
        const work = {
          ranks: Object.fromEntries(side.bundle.presentedOrder.map((id, k) => [id, k + 1])),
          rankingTouched: true,
          tags: [],
          rationale: { decisive: `Response ${side.bundle.presentedOrder[0]} is direct. (${i})` },
          activeMs: 60_000 + i,
        };
        let next: TaskBundle | null = null;
        await measure(side, 'submit', i, async () => {
          next = (
            await call<{ next: TaskBundle | null }>(side.services, 'label.submit', {
              taskId: side.bundle.task.id,
              work,
            })
          ).next;
        });
        if (!next) throw new Error('the queue ran out');
        side.bundle = next;
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const round = (x: number) => Math.round(x * 100) / 100;
    const result: Record<string, number> = {};
    for (const side of sides) {
      side.services.close();
      for (const op of ['next', 'submit'] as const) {
        result[`${side.name}.${op}.p95Ms`] = round(p95(side.wall[op]));
        result[`${side.name}.${op}.medianMs`] = round(median(side.wall[op]));
        result[`${side.name}.${op}.cpuMeanMs`] = round(mean(side.cpu[op]));
      }
    }

    // the one-time encryption of a plaintext store (the first start with a key)
    const migrateDir = path.join(root, 'migrate');
    const plain = openServices({
      dataDir: migrateDir,
      resourcesDir,
      host: 'browser',
      appVersion: 'bench',
      backgroundSync: false,
      backgroundRetention: false,
    });
    await call(plain, 'tasks.import', { text: taskLines(MIGRATE_TASKS) });
    plain.close();
    result['migrate.tasks'] = MIGRATE_TASKS;
    result['migrate.fileMb'] = round(fs.statSync(path.join(migrateDir, DB_FILE)).size / 1e6);
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    openStore(migrateDir, { key: randomBytes(32).toString('hex') }).close();
    result['migrate.ms'] = round(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpu);
    result['migrate.cpuMs'] = round((used.user + used.system) / 1000);
    console.log(JSON.stringify({ ...result, loadavg: os.loadavg().map(round) }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
