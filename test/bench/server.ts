// Server benchmarks: the real server process (spawned, embedded SQLite or PostgreSQL) driven over
// HTTP on 127.0.0.1 by simulated workstations. Prints nothing; the caller formats the numbers.
// Standalone: `npx tsx test/bench/server.ts [--postgres] [--seconds=60]` prints one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeLabel } from '../fixtures/labels';
import { freshTarget } from './fresh-db';
import type { Label } from '../../shared/label';
import type { Mutation, PushResponse } from '../../shared/sync';
import { EMPTY_HISTORY } from '../../shared/history';
import type { Task } from '../../shared/task';
import { addUser, createProject, importTasks } from '../../server/db/admin';
import { openDatabase, type ServerDb } from '../../server/db/connect';
import { percentile } from './stats';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'bench-password';
const RATIONALE = 500;
const PUSH_TOTAL = 10_000;
const PUSH_BATCH = 500;
const LOAD_USERS = 50;
const LOAD_BATCH = 25;
const LOAD_POOL = 1000; // tasks leased per simulated reviewer; when used up they push edits

const task = (id: string): Task => ({
  id,
  kind: 'pairwise',
  prompt: `Which answer is better for prompt ${id}?`,
  responses: [
    { id: 'a', text: 'First answer. '.repeat(40) },
    { id: 'b', text: 'Second answer. '.repeat(40) },
  ],
});

/** a label made now, as a workstation would (the server bounds times by the lease and its clock) */
const label = (taskId: string, id: string = randomUUID(), revision = 1): Label => {
  const at = new Date().toISOString();
  return makeLabel(
    taskId,
    { id, revision, reviewerId: 'bench', deviceId: 'bench', createdAt: at, updatedAt: at },
    RATIONALE,
  );
};

async function seed(db: ServerDb): Promise<void> {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => task(`${prefix}${i}`));
  await addUser(db.db, { username: 'pusher', password: PASSWORD, role: 'reviewer' });
  await addUser(db.db, { username: 'puller', password: PASSWORD, role: 'reviewer' });
  for (let i = 0; i < LOAD_USERS; i++)
    await addUser(db.db, { username: `load${i}`, password: PASSWORD, role: 'reviewer' });
  await createProject(db.db, { id: 'push', batchSize: PUSH_TOTAL });
  await importTasks(db.db, 'push', ids('p', PUSH_TOTAL));
  await createProject(db.db, { id: 'pull', batchSize: 500 });
  await importTasks(db.db, 'pull', ids('q', 500));
  await createProject(db.db, { id: 'load', batchSize: LOAD_POOL });
  await importTasks(db.db, 'load', ids('l', LOAD_USERS * LOAD_POOL));
}

function startServer(db: string): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server process
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const args = [...nodeArgs, '--import', 'tsx', 'server/main.ts', '--port', '0', '--db', db];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before it was ready`)));
  });
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 256 });

class Client {
  token = '';
  /** the acknowledged history point of this device (shared/history.ts), as a workstation keeps it */
  private acked = { id: 0, digest: EMPTY_HISTORY };
  constructor(
    private readonly base: string,
    readonly deviceId: string,
  ) {}
  /**
   * node:http with a keep-alive agent rather than fetch: the simulated reviewers share the 2 CPUs
   * with the server and the database, so the load generator should cost as little as it can.
   */
  post<T>(url: string, body: unknown): Promise<{ status: number; json: T }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.base + url,
        {
          method: 'POST',
          agent: keepAlive,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            authorization: `Bearer ${this.token}`,
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (chunk: Buffer) => parts.push(chunk));
          res.on('end', () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                json: JSON.parse(Buffer.concat(parts).toString()) as T,
              });
            } catch (error) {
              reject(error as Error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
  async login(username: string) {
    const r = await this.post<{ token: string }>('/v1/auth/login', {
      username,
      password: PASSWORD,
      deviceId: this.deviceId,
      deviceSecret: `bench-secret-of-${this.deviceId}`.padEnd(40, '.'),
    });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
    this.token = r.json.token;
  }
  /**
   * pushes mutations that follow the acknowledged ones, with the history point and digests a
   * workstation sends. The server only compares digests, never recomputes them, and a workstation
   * computes each once on its own machine; here 50 of them share the server's 2 cores, so they
   * send stand-ins of the real length (43 characters, unique per device and id) instead of
   * hashing: the load generator should cost as little as it can.
   */
  async push(mutations: Mutation[]) {
    const digests = mutations.map((m) => `${this.deviceId}:${m.id}`.padEnd(43, '='));
    const r = await this.post<PushResponse>('/v1/sync/push', {
      deviceId: this.deviceId,
      base: this.acked,
      mutations,
      digests,
    });
    if (r.status === 200)
      this.acked = { id: mutations[mutations.length - 1]!.id, digest: digests[digests.length - 1]! };
    return r;
  }
  /** leases a batch and pulls all assignments: task id -> lease token */
  async leaseAll(projectId: string, timings?: number[]): Promise<Map<string, number>> {
    const t0 = performance.now();
    const lease = await this.post('/v1/sync/lease', { projectId });
    if (lease.status !== 200) throw new Error(`lease ${projectId}: ${lease.status}`);
    timings?.push(performance.now() - t0);
    const tokens = new Map<string, number>();
    let cursor: string | null = null;
    let epoch: string | null = null;
    for (;;) {
      const r: {
        json: {
          cursor: string;
          epoch: string;
          hasMore: boolean;
          changes: { task: Task; leaseToken: number }[];
        };
      } = await this.post('/v1/sync/pull', { deviceId: this.deviceId, cursor, epoch, limit: 2000 });
      for (const c of r.json.changes) if (c.task) tokens.set(c.task.id, c.leaseToken);
      cursor = r.json.cursor;
      epoch = r.json.epoch;
      if (!r.json.hasMore) return tokens;
    }
  }
}

const started = performance.now();
/** progress on stderr with BENCH_VERBOSE=1 (stdout stays clean for --json) */
const progress = (what: string) => {
  if (process.env.BENCH_VERBOSE)
    console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);
};

async function benchDialect(dialect: 'sqlite' | 'postgres', loadMs: number): Promise<Record<string, number>> {
  const target = await freshTarget(dialect, 'server');
  const setup = await openDatabase(target.url);
  progress(`${dialect}: seeding`);
  await seed(setup);
  progress(`${dialect}: seeded`);
  await setup.close();
  const server = await startServer(target.url);
  const results: Record<string, number> = {};
  try {
    // push10k: one workstation sends 10,000 labels in batches of 500
    const pusher = new Client(server.url, 'bench-pusher-device');
    await pusher.login('pusher');
    const tokens = await pusher.leaseAll('push');
    progress(`${dialect}: leased ${tokens.size} for push10k`);
    const mutations: Mutation[] = [...tokens].map(([taskId, leaseToken], i) => ({
      id: i + 1,
      type: 'label.submit',
      taskId,
      leaseToken,
      label: label(taskId),
    }));
    const t0 = performance.now();
    for (let i = 0; i < mutations.length; i += PUSH_BATCH) {
      const r = await pusher.push(mutations.slice(i, i + PUSH_BATCH));
      if (r.status !== 200 || r.json.outcomes.some((o) => o.status !== 'accepted'))
        throw new Error(`push10k: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    }
    const pushMs = performance.now() - t0;
    progress(`${dialect}: push10k ${pushMs.toFixed(0)} ms`);
    results[`sync.push10k.${dialect}.ms`] = pushMs;
    results[`server.ingest.${dialect}.labelsPerSec`] = (PUSH_TOTAL / pushMs) * 1000;

    // pull500: a fresh 500-task assignment batch, pulled in one request
    const puller = new Client(server.url, 'bench-puller-device');
    await puller.login('puller');
    await puller.post('/v1/sync/lease', { projectId: 'pull' });
    const p0 = performance.now();
    const pulled = await puller.post<{ changes: unknown[] }>('/v1/sync/pull', {
      deviceId: puller.deviceId,
      cursor: null,
      epoch: null,
      limit: 500,
    });
    results[`sync.pull500.${dialect}.ms`] = performance.now() - p0;
    if (pulled.json.changes.length !== 500) throw new Error(`pull500: got ${pulled.json.changes.length}`);

    Object.assign(results, await load50(server.url, dialect, loadMs, target.url));
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    await target.drop();
  }
  return results;
}

/** 50 reviewers push 25-label batches back to back for `loadMs`; new labels first, then edits. */
async function load50(base: string, dialect: string, loadMs: number, dbUrl: string) {
  const reviewers = await Promise.all(
    Array.from({ length: LOAD_USERS }, async (_, i) => {
      const c = new Client(base, `bench-load-device-${i}`);
      await c.login(`load${i}`);
      return c;
    }),
  );
  const pools: Map<string, number>[] = [];
  // 50 lease calls of 1,000 tasks each, one after the other, while the 50,000-task project fills up
  const leaseMs: number[] = [];
  for (const c of reviewers) pools.push(await c.leaseAll('load', leaseMs));
  progress(`${dialect}: load50 leased`);
  const latencies: number[] = [];
  /** pushes of new labels vs pushes of edits only (once a reviewer's 1,000 leases are used up) */
  const byKind = { fresh: [] as number[], edits: [] as number[] };
  let errors = 0;
  const accepted = new Set<string>();
  let edits = 0;
  const end = performance.now() + loadMs;
  await Promise.all(
    reviewers.map(async (c, i) => {
      const pool = [...pools[i]!];
      const submitted: { taskId: string; token: number; id: string; revision: number }[] = [];
      let next = 0;
      let mutationId = 0;
      while (performance.now() < end) {
        const batch: Mutation[] = [];
        for (let k = 0; k < LOAD_BATCH; k++) {
          if (next < pool.length) {
            const [taskId, token] = pool[next++]!;
            const l = { taskId, token, id: randomUUID(), revision: 1 };
            submitted.push(l);
            batch.push({
              id: ++mutationId,
              type: 'label.submit',
              taskId,
              leaseToken: token,
              label: label(taskId, l.id),
            });
          } else {
            const l = submitted[(next++ - pool.length) % submitted.length]!;
            l.revision += 1;
            edits += 1;
            batch.push({
              id: ++mutationId,
              type: 'label.submit',
              taskId: l.taskId,
              leaseToken: l.token,
              label: label(l.taskId, l.id, l.revision),
            });
          }
        }
        const t = performance.now();
        try {
          const r = await c.push(batch);
          latencies.push(performance.now() - t);
          (next <= pool.length ? byKind.fresh : byKind.edits).push(performance.now() - t);
          if (r.status !== 200) errors += 1;
          else {
            errors += r.json.outcomes.filter((o) => o.status !== 'accepted').length;
            batch.forEach((m) => m.type === 'label.submit' && accepted.add(m.label.id));
          }
        } catch {
          errors += 1;
        }
      }
    }),
  );
  // a lease call on the project once every task is labeled: nothing is open, nothing to count
  const full: number[] = [];
  await reviewers[0]!.leaseAll('load', full);
  // duplicates: label rows beyond the distinct ids the clients had acknowledged, plus tasks rated twice
  const db = await openDatabase(dbUrl);
  const rows = await db.db
    .selectFrom('labels')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('task_id').distinct().as('tasks')])
    .where('project_id', '=', 'load')
    .executeTakeFirstOrThrow();
  await db.close();
  const total = Number(rows.n);
  return {
    [`server.load50.${dialect}.p99Ms`]: percentile(latencies, 99),
    [`server.load50.${dialect}.p50Ms`]: percentile(latencies, 50),
    [`server.load50.${dialect}.p95Ms`]: percentile(latencies, 95),
    [`server.load50.${dialect}.newLabels.p99Ms`]: percentile(byKind.fresh, 99),
    [`server.load50.${dialect}.edits.p99Ms`]: percentile(byKind.edits, 99),
    [`server.load50.${dialect}.errors`]: errors,
    [`server.load50.${dialect}.duplicates`]: Math.abs(total - accepted.size) + (total - Number(rows.tasks)),
    [`server.load50.${dialect}.pushes`]: latencies.length,
    [`server.load50.${dialect}.labels`]: total,
    [`server.load50.${dialect}.edits`]: edits,
    [`sync.lease1000.${dialect}.p95Ms`]: percentile(leaseMs, 95),
    [`sync.leaseFull.${dialect}.ms`]: full[0]!,
  };
}

/**
 * Keys: sync.push10k.sqlite.ms, sync.push10k.postgres.ms (with postgres), server.ingest.labelsPerSec,
 * server.load50.{p99Ms,errors,duplicates}, sync.pull500.ms (headline keys from SQLite, the default
 * deployment), plus per-dialect details.
 */
export async function benchServer(opts: {
  postgres: boolean;
  /** false: PostgreSQL only (standalone `--postgres-only`, for profiling) */
  sqlite?: boolean;
  loadSeconds?: number;
}): Promise<Record<string, number>> {
  const loadMs = (opts.loadSeconds ?? 60) * 1000;
  const out: Record<string, number> = {};
  if (opts.sqlite !== false) Object.assign(out, await benchDialect('sqlite', loadMs));
  if (opts.postgres) Object.assign(out, await benchDialect('postgres', loadMs));
  out['server.ingest.labelsPerSec'] = out['server.ingest.sqlite.labelsPerSec'] ?? 0;
  out['server.load50.p99Ms'] = Math.max(
    ...['sqlite', 'postgres'].flatMap((d) => out[`server.load50.${d}.p99Ms`] ?? []),
  );
  out['server.load50.errors'] = ['sqlite', 'postgres'].reduce(
    (s, d) => s + (out[`server.load50.${d}.errors`] ?? 0),
    0,
  );
  out['server.load50.duplicates'] = ['sqlite', 'postgres'].reduce(
    (s, d) => s + (out[`server.load50.${d}.duplicates`] ?? 0),
    0,
  );
  out['sync.pull500.ms'] = Math.max(
    ...['sqlite', 'postgres'].flatMap((d) => out[`sync.pull500.${d}.ms`] ?? []),
  );
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 60);
  const pgOnly = process.argv.includes('--postgres-only');
  const results = await benchServer({
    postgres: pgOnly || process.argv.includes('--postgres'),
    sqlite: !pgOnly,
    loadSeconds: seconds,
  });
  console.log(
    JSON.stringify(
      Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round(v * 100) / 100])),
    ),
  );
}
