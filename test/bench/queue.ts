// Queue benchmark: 100,000 queued tasks (4 responses of ~1.5 KB) and 200,000 labels
// from a previous batch, then the hot operations measured through services.dispatch,
// exactly as both hosts call them, and re-opening that file the way the app starts.
// The file is encrypted with a random key, as on a packaged laptop with a key store.
// Prints nothing; the caller formats the numbers.
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskBundle } from '../../shared/queue';
import { openServices } from '../../electron/services/index';
import type { Services } from '../../electron/services/index';
import { DB_FILE, openStore } from '../../electron/services/store';
import { applyKey } from '../../electron/services/store-cipher';
import { dropFromPageCache } from './page-cache';
import { median, p95 } from './stats';

const QUEUED = 100_000;
const LABELLED = 200_000;
const WARMUP = 50;
const ITERATIONS = 300;
const RESPONSE_CHARS = 1500;
const REOPENS = 5;

const resourcesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources');
/** what resolveDatabaseKey hands the Electron host: 32 random bytes as hex */
const databaseKey = randomBytes(32).toString('hex');

export async function benchQueue(): Promise<{
  'queue.nextTask.p95Ms': number;
  'queue.submit.p95Ms': number;
  'queue.draftSave.p95Ms': number;
  'queue.openStore.ms': number;
  'queue.openStore.cold.ms': number;
  'queue.openStore.quickCheck.ms': number;
}> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'workstation-bench-'));
  const dataDir = path.join(root, 'data');
  try {
    seed(dataDir);
    const services = openServices({
      dataDir,
      resourcesDir,
      host: 'browser',
      appVersion: 'bench',
      databaseKey,
    });
    let hot;
    try {
      hot = {
        'queue.nextTask.p95Ms': await measureNext(services),
        'queue.draftSave.p95Ms': await measureDraftSave(services),
        'queue.submit.p95Ms': await measureSubmit(services),
      };
    } finally {
      services.close();
    }
    // after the submits, so the file is the one a reviewer would re-open mid-batch
    return { ...hot, ...measureOpen(dataDir) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Writes rows directly (no per-row fsync) so seeding takes seconds, not minutes. */
function seed(dataDir: string): void {
  const store = openStore(dataDir, { key: databaseKey });
  const { db } = store;
  db.pragma('synchronous = OFF');
  const words = corpus();
  const now = new Date().toISOString();
  const insertTask = db.prepare(
    `INSERT INTO tasks (id, kind, body, prompt_preview, state, updated_at, imported_at)
     VALUES (?, 'ranking', ?, ?, ?, ?, ?)`,
  );
  const insertLabel = db.prepare(
    `INSERT INTO labels (id, task_id, body, work, revision, created_at, updated_at, synced_at)
     VALUES (?, ?, ?, ?, 1, ?, ?, NULL)`,
  );
  const task = (id: string, n: number, responseChars: number) => {
    const text = (k: number) => {
      const start = ((n * 7919 + k * 104_729) % (words.length - responseChars - 1)) | 0;
      return words.slice(start, start + responseChars);
    };
    return {
      id,
      kind: 'ranking',
      prompt: `Question ${n}: ${text(9).slice(0, 300)}`,
      responses: [0, 1, 2, 3].map((k) => ({ id: `r${k + 1}`, text: text(k), model: `model-${k}` })),
    };
  };
  const batch = (from: number, to: number, write: (i: number) => void) => {
    for (let start = from; start < to; start += 10_000) {
      db.transaction(() => {
        for (let i = start; i < Math.min(to, start + 10_000); i++) write(i);
      })();
    }
  };
  // the previous batch: submitted tasks with their labels (shorter responses keep the file smaller)
  batch(0, LABELLED, (i) => {
    const id = `prev-${i}`;
    const body = task(id, i, 300);
    insertTask.run(id, JSON.stringify(body), body.prompt.slice(0, 140), 'submitted', now, now);
    const labelId = randomUUID();
    const work = {
      ranks: { r1: 2, r2: 1, r3: 3, r4: 4 },
      rankingTouched: true,
      pairwise: { choice: null, strength: null },
      tags: [{ responseId: 'r3', tagId: 'hallucination', severity: 'major' }],
      rationale: { decisive: words.slice(i % 5000, (i % 5000) + 200) },
      activeMs: 95_000,
    };
    const label = {
      id: labelId,
      taskId: id,
      kind: 'ranking',
      reviewerId: 'local-bench',
      deviceId: 'bench-device',
      ranks: work.ranks,
      pairwise: null,
      tags: work.tags,
      rationale: { templateId: 'default', fields: work.rationale },
      presentedOrder: ['r3', 'r1', 'r4', 'r2'],
      orderSeed: `local-bench:${id}`,
      activeMs: work.activeMs,
      guidelineVersion: null,
      taxonomyVersion: '1',
      acknowledgedWarnings: [],
      revision: 1,
      createdAt: now,
      updatedAt: now,
    };
    insertLabel.run(labelId, id, JSON.stringify(label), JSON.stringify(work), now, now);
  });
  // the queue: 100,000 pending tasks with four ~1.5 KB responses
  batch(0, QUEUED, (i) => {
    const id = `task-${i}`;
    const body = task(id, i, RESPONSE_CHARS);
    insertTask.run(id, JSON.stringify(body), body.prompt.slice(0, 140), 'pending', now, now);
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
}

function corpus(): string {
  const vocabulary =
    'the model response explains answer because however therefore example code table result user question ' +
    'first second finally note that this is correct incorrect source claim evidence data value function returns';
  const list = vocabulary.split(' ');
  let state = 12345;
  const out: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out.push(list[state % list.length]!);
  }
  return out.join(' ');
}

async function call<T>(services: Services, channel: string, input: unknown): Promise<T> {
  const outcome = await services.dispatch(channel, input);
  if (!outcome.ok) throw new Error(`${channel} failed: ${outcome.error.message}`);
  return outcome.result as T;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function measureNext(services: Services): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const ms = await timed(() => call(services, 'task.next', {}));
    if (i >= WARMUP) samples.push(ms);
  }
  return p95(samples);
}

function rankingWork(bundle: TaskBundle, i: number) {
  const ranks = Object.fromEntries(bundle.presentedOrder.map((id, k) => [id, ((k + i) % 4) + 1]));
  return {
    ranks,
    rankingTouched: true,
    tags: [{ responseId: bundle.presentedOrder[3]!, tagId: 'formatting', severity: 'minor' }],
    rationale: {
      decisive: `Response ${bundle.presentedOrder[0]} answers the question directly and cites the source. (${i})`,
    },
    activeMs: 60_000 + i,
  };
}

async function measureDraftSave(services: Services): Promise<number> {
  const bundle = await call<TaskBundle>(services, 'task.next', {});
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const work = rankingWork(bundle, i);
    const ms = await timed(() => call(services, 'draft.save', { taskId: bundle.task.id, work }));
    if (i >= WARMUP) samples.push(ms);
  }
  return p95(samples);
}

async function measureSubmit(services: Services): Promise<number> {
  let bundle = await call<TaskBundle>(services, 'task.next', {});
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const work = rankingWork(bundle, i);
    let outcome: { ok: boolean; next: TaskBundle | null } | undefined;
    const ms = await timed(async () => {
      outcome = await call(services, 'label.submit', { taskId: bundle.task.id, work });
    });
    if (!outcome?.ok || !outcome.next) throw new Error('submit was refused during the benchmark');
    bundle = outcome.next;
    if (i >= WARMUP) samples.push(ms);
  }
  return p95(samples);
}

/**
 * openStore as the app calls it at start-up after a clean shutdown (header probe, migrations
 * check; the full quick_check runs only after an unclean one), warm (the file was just written)
 * and cold (the file and its -wal evicted from the page cache first, as after a reboot); then
 * quick_check alone on its own read-only connection, what a start after a crash adds.
 */
function measureOpen(dataDir: string): {
  'queue.openStore.ms': number;
  'queue.openStore.cold.ms': number;
  'queue.openStore.quickCheck.ms': number;
} {
  const open: number[] = [];
  const cold: number[] = [];
  const dbPath = path.join(dataDir, DB_FILE);
  for (const sample of [open, cold]) {
    for (let i = 0; i < REOPENS; i++) {
      if (sample === cold) for (const suffix of ['', '-wal']) dropFromPageCache(dbPath + suffix);
      const start = process.hrtime.bigint();
      const store = openStore(dataDir, { key: databaseKey });
      sample.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (store.checkedAtStart) throw new Error('the benchmark file was not closed cleanly');
      store.close();
    }
  }
  const quickCheck: number[] = [];
  for (let i = 0; i < REOPENS; i++) {
    const db = new Database(path.join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
    applyKey(db, databaseKey);
    try {
      const start = process.hrtime.bigint();
      const rows = db.pragma('quick_check') as { quick_check: string }[];
      quickCheck.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (rows[0]?.quick_check !== 'ok') throw new Error(`quick_check failed: ${rows[0]?.quick_check}`);
    } finally {
      db.close();
    }
  }
  return {
    'queue.openStore.ms': median(open),
    'queue.openStore.cold.ms': median(cold),
    'queue.openStore.quickCheck.ms': median(quickCheck),
  };
}
