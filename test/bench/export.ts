// Export benchmark: 100,000 labels (4-way rankings, so 600,000 TRL rows) in a temp SQLite
// server database, exported by the CLI's own code in a child process so that its peak RSS
// is measured alone. Prints nothing; the caller formats the numbers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../server/db/connect';
import type { Label } from '../../shared/label';
import type { Task } from '../../shared/task';
import { runCliInChild } from './cli-child';

const LABELS = 100_000;
const PROMPT_CHARS = 300;
const RESPONSE_CHARS = 600;

export async function benchExport(): Promise<{
  'export.trl100k.ms': number;
  'export.trl100k.peakRssMb': number;
}> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'export-bench-'));
  try {
    const dbFile = path.join(root, 'server.db');
    await seed(dbFile);
    const out = path.join(root, 'trl.jsonl');
    const { ms, maxRssKb, stderr } = await exportInChild(dbFile, out);
    const rows = countLines(out);
    if (rows !== LABELS * 6) throw new Error(`export wrote ${rows} rows, expected ${LABELS * 6}\n${stderr}`);
    return { 'export.trl100k.ms': ms, 'export.trl100k.peakRssMb': maxRssKb / 1024 };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Creates the schema through the server's migrations, then bulk-inserts rows directly. */
async function seed(dbFile: string): Promise<void> {
  const server = await openDatabase(dbFile);
  await server.close();
  const db = new SQLite(dbFile);
  db.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const text = (n: number, seed: number) => {
    const words = [
      'reward',
      'model',
      'answer',
      'careful',
      'source',
      'because',
      'the',
      'user',
      'asked',
      'about',
    ];
    let s = '';
    for (let i = 0; s.length < n; i++) s += words[(seed + i * 7) % words.length] + ' ';
    return s.slice(0, n);
  };
  db.transaction(() => {
    db.prepare(
      `INSERT INTO projects (id, name, batch_size, lease_hours, ratings_per_task, agreement_share,
       agreement_ratings, production, created_at) VALUES ('bench', 'Bench', 200, 72, 1, 0, 2, 1, ?)`,
    ).run(now);
    db.prepare(
      `INSERT INTO users (id, username, display_name, role, pod_id, password_hash, created_at)
       VALUES ('u1', 'rita', 'Rita', 'reviewer', NULL, 'x', ?)`,
    ).run(now);
    const insertTask = db.prepare(
      `INSERT INTO tasks (id, project_id, seq, kind, body, ratings_required, lease_counter, created_at)
       VALUES (?, 'bench', ?, 'ranking', ?, 1, 1, ?)`,
    );
    const insertLabel = db.prepare(
      `INSERT INTO labels (id, task_id, project_id, user_id, device_id, body, revision, lease_token,
       flagged, created_at, received_at, updated_at) VALUES (?, ?, 'bench', 'u1', 'device-1', ?, 1, 1, NULL, ?, ?, ?)`,
    );
    const ids = ['a', 'b', 'c', 'd'];
    for (let i = 0; i < LABELS; i++) {
      const taskId = `task-${i}`;
      const task: Task = {
        id: taskId,
        kind: 'ranking',
        prompt: text(PROMPT_CHARS, i),
        responses: ids.map((id, k) => ({ id, text: text(RESPONSE_CHARS, i + k) })),
      };
      const order = [...ids].sort(
        (x, y) => ((i * 31 + x.charCodeAt(0) * 17) % 11) - ((i * 31 + y.charCodeAt(0) * 17) % 11),
      );
      const label: Label = {
        id: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
        taskId,
        kind: 'ranking',
        reviewerId: 'u1',
        deviceId: 'device-1',
        ranks: Object.fromEntries(order.map((id, rank) => [id, rank + 1])),
        pairwise: null,
        tags: [{ responseId: order[3]!, tagId: 'hallucination', severity: 'major' }],
        rationale: { templateId: 'default', fields: { summary: text(200, i) } },
        presentedOrder: ids,
        orderSeed: `u1:${taskId}`,
        activeMs: 60_000,
        guidelineVersion: '1',
        taxonomyVersion: '1',
        acknowledgedWarnings: [],
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
      insertTask.run(taskId, i + 1, JSON.stringify(task), now);
      insertLabel.run(label.id, taskId, JSON.stringify(label), now, now, now);
    }
  })();
  db.close();
}

const exportInChild = (dbFile: string, out: string) =>
  runCliInChild(['export', '--project', 'bench', '--format', 'trl', '--db', dbFile, '--out', out]);

function countLines(file: string): number {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let lines = 0;
  try {
    for (let n; (n = fs.readSync(fd, buffer)) > 0;) {
      for (let i = 0; i < n; i++) if (buffer[i] === 10) lines++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return lines;
}
