// `npm run soak -- [--kills N] [--minutes M] [--db sqlite|postgres] [--seed S] [--pace MS] [--keep]`
//
// Proves that nothing is lost or duplicated when the workstation hosts and the central server are
// killed with SIGKILL while reviewers label and sync. Two workstation processes
// (scripts/soak-workstation.ts, two users, each its own data dir) label real tasks and sync every
// few actions against the real server process (server/main.ts, fixed port, one database); every
// 100-1500 ms one of the three is SIGKILLed and started again at once. Then everything starts
// cleanly, each workstation syncs until nothing is queued, and the databases are compared:
// every label (its latest revision) and skip on a workstation must be on the server exactly once.
// Exit code 1 when anything is lost, duplicated, left queued or quarantined. Not part of `npm test`.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DB_FILE } from '../electron/services/index';
import { addUser, createProject, importTasks } from '../server/db/admin';
import { openDatabase } from '../server/db/connect';
import type { SyncStatus } from '../shared/session';
import type { Task } from '../shared/task';
import { prng } from './prng';
import { openSoakServices } from './soak-services';

const repoRoot = path.resolve(import.meta.dirname, '..');
const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PROJECT = 'soak';
const USERS = [
  { name: 'A', username: 'rita', password: 'correct horse battery' },
  { name: 'B', username: 'rob', password: 'battery staple horse' },
] as const;

const { values: opts } = parseArgs({
  options: {
    kills: { type: 'string', default: '100' },
    minutes: { type: 'string', default: '15' },
    db: { type: 'string', default: 'sqlite' },
    seed: { type: 'string' },
    /** mean pause between a workstation's actions (ms): keeps the task pool from running dry */
    pace: { type: 'string', default: '150' },
    /** the task source (see ../shared/data/README.md) */
    data: { type: 'string', default: path.resolve(repoRoot, '../shared/data') },
    /** keep the temp folder (and the PostgreSQL database) even when the run passes */
    keep: { type: 'boolean', default: false },
  },
});
const KILLS = Number(opts.kills);
const MINUTES = Number(opts.minutes);
const DIALECT = opts.db;
const SEED = opts.seed === undefined ? randomBytes(4).readUInt32BE(0) : Number(opts.seed);
if (!Number.isInteger(KILLS) || KILLS < 0) throw new Error(`--kills: "${opts.kills}" is not a count`);
if (!(MINUTES > 0)) throw new Error(`--minutes: "${opts.minutes}" is not a duration`);
if (DIALECT !== 'sqlite' && DIALECT !== 'postgres') throw new Error('--db: sqlite or postgres');
if (!Number.isInteger(SEED) || SEED < 0) throw new Error(`--seed: "${opts.seed}" is not a seed`);

const random = prng(SEED);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const say = (line: string) => console.log(`[${elapsed()}] ${line}`);

// ---------------------------------------------------------------------------------------------
// Tasks: ranking tasks with distinct prompts from ../shared/data (README.md there): from the
// QA-feedback set (allenai/FineGrainedRLHF, Apache-2.0) each question alone (gold + 4 predictions),
// each question with one of its source passages, and each question with its reference answer
// (4 predictions each); from hh-rlhf, each harmless-base test transcript's last turn.

interface QaRecord {
  question: string;
  passages: string[][];
  gold: string;
  'prediction 1': string;
  'prediction 2': string;
  'prediction 3': string;
  'prediction 4': string;
}

function buildTasks(dataDir: string): Task[] {
  const file = path.join(dataDir, 'FineGrainedRLHF/tasks/qa_feedback/data/dev_feedback.json');
  if (!fs.existsSync(file)) throw new Error(`task source not found: ${file} (pass --data DIR)`);
  const records = JSON.parse(fs.readFileSync(file, 'utf8')) as QaRecord[];
  const predictions = (r: QaRecord) =>
    ([1, 2, 3, 4] as const).map((n) => ({ id: `prediction-${n}`, text: r[`prediction ${n}`] }));
  const tasks: Task[] = [];
  records.forEach((r, i) => {
    const id = `soak-qa-${String(i).padStart(4, '0')}`;
    tasks.push({
      id: `${id}-q`,
      kind: 'ranking',
      prompt: r.question,
      responses: [{ id: 'gold', text: r.gold }, ...predictions(r)],
    });
    r.passages.forEach(([title, ...sentences], p) =>
      tasks.push({
        id: `${id}-p${p + 1}`,
        kind: 'ranking',
        prompt: `${r.question}\n\nSource: ${title}\n\n${sentences.join(' ')}`,
        responses: predictions(r),
      }),
    );
    tasks.push({
      id: `${id}-ref`,
      kind: 'ranking',
      prompt: `${r.question}\n\nReference answer: ${r.gold}`,
      responses: predictions(r),
    });
  });
  // and the last turn of each Anthropic hh-rlhf harmless-base test transcript (MIT): red-team
  // material, so marked sensitive; ranked like the rest (2 responses: chosen and rejected)
  const hh = path.join(dataDir, 'hh-rlhf/harmless-base/test.jsonl.gz');
  if (fs.existsSync(hh)) {
    const seen = new Set(tasks.map((t) => t.prompt));
    const rows = zlib.gunzipSync(fs.readFileSync(hh)).toString('utf8').trim().split('\n');
    rows.forEach((line, i) => {
      const { chosen, rejected } = JSON.parse(line) as { chosen: string; rejected: string };
      const cut = chosen.lastIndexOf('\n\nAssistant:');
      const prompt = chosen.slice(0, cut).trim();
      const prefix = chosen.slice(0, cut + '\n\nAssistant:'.length);
      if (cut < 0 || !prompt || !rejected.startsWith(prefix) || seen.has(prompt)) return;
      seen.add(prompt);
      tasks.push({
        id: `soak-hh-${String(i).padStart(4, '0')}`,
        kind: 'ranking',
        prompt,
        sensitive: true,
        responses: [
          { id: 'chosen', text: chosen.slice(prefix.length).trim() },
          { id: 'rejected', text: rejected.slice(prefix.length).trim() },
        ],
      });
    });
  }
  const prompts = new Set(tasks.map((t) => t.prompt));
  if (prompts.size !== tasks.length) throw new Error('task prompts are not distinct');
  return tasks;
}

// ---------------------------------------------------------------------------------------------
// The server database (a file in the temp dir, or a fresh PostgreSQL database).

interface Target {
  url: string;
  describe: string;
  drop(): Promise<void>;
}

async function pgAdmin(query: string): Promise<void> {
  const client = new pg.Client(PG_ADMIN_URL);
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

async function makeTarget(dir: string): Promise<Target> {
  if (DIALECT === 'sqlite') {
    const file = path.join(dir, 'server.db');
    return { url: file, describe: file, drop: async () => {} };
  }
  const name = `rw_soak_${randomBytes(5).toString('hex')}`;
  await pgAdmin(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    describe: `PostgreSQL database ${name}`,
    drop: () => pgAdmin(`drop database if exists ${name} with (force)`),
  };
}

async function seedServer(target: Target, tasks: Task[]): Promise<void> {
  const db = await openDatabase(target.url);
  try {
    // a quarter of the tasks need both reviewers' ratings: the two users label the same tasks too
    await createProject(db.db, { id: PROJECT, batchSize: 50, agreementShare: 0.25, agreementRatings: 2 });
    for (const u of USERS)
      await addUser(db.db, { username: u.username, password: u.password, role: 'reviewer' });
    await importTasks(db.db, PROJECT, tasks);
  } finally {
    await db.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Child processes: the server and the workstations, each restarted at once after a kill.

/** what a workstation printed (complete lines only): its durable actions as the reviewer saw them */
interface Printed {
  submitted: number;
  edited: number;
  skipped: number;
  /** label id -> highest revision printed */
  labels: Map<string, { taskId: string; revision: number }>;
  skips: string[];
  signIns: number;
  /** sync cycles that ended online, and those that did not (server down or killed mid-request) */
  syncsOk: number;
  syncsFailed: number;
  /** failed cycles for another reason than an unreachable server: worth a look */
  otherSyncErrors: string[];
}

class Managed {
  child: ChildProcess | null = null;
  starts = 0;
  kills = 0;
  /** exits nobody asked for (crashes): each a short description */
  unexpected: string[] = [];
  /** failures to become ready in time */
  stalls = 0;
  printed: Printed = {
    submitted: 0,
    edited: 0,
    skipped: 0,
    labels: new Map(),
    skips: [],
    signIns: 0,
    syncsOk: 0,
    syncsFailed: 0,
    otherSyncErrors: [],
  };
  private tail = '';
  private readonly log: fs.WriteStream;
  private ready: Promise<void> = Promise.resolve();
  private expectExit = false;

  constructor(
    readonly name: string,
    private readonly args: (start: number) => string[],
    private readonly readyLine: RegExp,
    logFile: string,
  ) {
    this.log = fs.createWriteStream(logFile, { flags: 'a' });
  }

  start(): void {
    this.starts += 1;
    this.expectExit = false;
    this.log.write(`\n=== start ${this.starts} at ${new Date().toISOString()} ===\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', ...this.args(this.starts)], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let pending = '';
    let resolveReady!: () => void;
    let rejectReady!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.ready.catch(() => {}); // observed by waitReady; a kill before ready is not an error
    let isReady = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.log.write(text);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!isReady && this.readyLine.test(line)) {
          isReady = true;
          resolveReady();
        }
        this.count(line);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.log.write(text);
      this.tail = (this.tail + text).slice(-2000);
    });
    child.once('exit', (code, signal) => {
      if (!this.expectExit) {
        const what = `${this.name} exited on its own (code ${code}, signal ${signal}) at ${elapsed()}: ${this.tail.trim().split('\n').slice(-3).join(' | ')}`;
        this.unexpected.push(what);
        say(`UNEXPECTED: ${what}`);
      }
      if (!isReady) rejectReady(new Error(`${this.name} exited before it was ready`));
      if (this.child === child) this.child = null;
    });
  }

  private count(line: string): void {
    const [verb, taskId, labelId, revision] = line.split(' ');
    if (verb === 'submitted' || verb === 'edited') {
      this.printed[verb] += 1;
      const known = this.printed.labels.get(labelId!);
      if (!known || known.revision < Number(revision))
        this.printed.labels.set(labelId!, { taskId: taskId!, revision: Number(revision) });
    } else if (verb === 'skipped') {
      this.printed.skipped += 1;
      this.printed.skips.push(taskId!);
    } else if (verb === 'signed') this.printed.signIns += 1;
    else if (verb === 'sync') {
      if (taskId === 'ok') this.printed.syncsOk += 1;
      else {
        this.printed.syncsFailed += 1;
        if (!/Cannot reach the server|did not answer in time/.test(line))
          this.printed.otherSyncErrors.push(line);
      }
    }
  }

  /** waits until the process printed its ready line; false if it did not within `ms` */
  async waitReady(ms = 60_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.ready.then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL, and wait until it is gone */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.expectExit = true;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
  }

  /** SIGTERM (the server shuts down cleanly), SIGKILL after 20 s */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.expectExit = true;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
    this.child = null;
  }

  /** starts it and waits for its ready line; a server that could not bind its port is tried again */
  async startReady(): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      this.start();
      if (await this.waitReady()) return;
      this.stalls += 1;
      await this.kill();
      await sleep(300);
    }
    throw new Error(`${this.name} did not start (see its log)`);
  }

  closeLog(): Promise<void> {
    return new Promise((resolve) => this.log.end(resolve));
  }
}

// ---------------------------------------------------------------------------------------------
// The comparison: workstation databases against the server database.

interface LocalLabel {
  id: string;
  task_id: string;
  revision: number;
  body: string;
}

interface WorkstationResult {
  name: string;
  username: string;
  labels: LocalLabel[];
  /** labels with a revision above 1 */
  edited: number;
  skips: string[];
  outbox: Record<string, number>;
  quarantined: { type: string; task_id: string; reason: string | null; message: string | null }[];
  final: SyncStatus;
}

function readWorkstation(dataDir: string) {
  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  try {
    const labels = db.prepare('SELECT id, task_id, revision, body FROM labels').all() as LocalLabel[];
    const skips = (
      db.prepare(`SELECT task_id FROM outbox WHERE type = 'task.skip' ORDER BY seq`).all() as {
        task_id: string;
      }[]
    ).map((r) => r.task_id);
    const outbox = Object.fromEntries(
      (
        db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as {
          state: string;
          n: number;
        }[]
      ).map((r) => [r.state, r.n]),
    );
    const quarantined = db
      .prepare(`SELECT type, task_id, reason, message FROM outbox WHERE state = 'quarantined' ORDER BY seq`)
      .all() as WorkstationResult['quarantined'];
    return { labels, skips, outbox, quarantined };
  } finally {
    db.close();
  }
}

/** Opens the workstation in this process and syncs until nothing is queued (bounded). */
async function finalSync(dataDir: string, serverUrl: string, user: (typeof USERS)[number]) {
  const services = openSoakServices(dataDir);
  try {
    if (!services.session.active())
      await services.handlers['auth.signIn']({ serverUrl, username: user.username, password: user.password });
    let status = await services.sync.syncNow();
    for (let attempt = 1; attempt < 30 && (status.queued > 0 || status.state !== 'online'); attempt++) {
      await sleep(500);
      status = await services.sync.syncNow();
    }
    // one more cycle: outcomes of the last push that only a pull carries
    return await services.sync.syncNow();
  } finally {
    services.close();
  }
}

const rankOf = (body: string) => JSON.stringify((JSON.parse(body) as { ranks: unknown }).ranks);

/** multiset difference: how many of each item `a` has beyond `b`, flattened */
function beyond(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-soak-'));
  say(
    `soak: seed ${SEED}, db ${DIALECT}, up to ${KILLS} kills, at most ${MINUTES} min; temp dir ${tmp}` +
      `\n           replay: npm run soak -- --seed ${SEED} --kills ${KILLS} --db ${DIALECT} --minutes ${MINUTES}`,
  );
  const tasks = buildTasks(opts.data);
  const target = await makeTarget(tmp);
  let passed = false;
  const procs: Managed[] = [];
  const deadline = started + MINUTES * 60_000;
  const watchdog = setTimeout(() => {
    say(
      `time bound of ${MINUTES} min reached before the soak finished: FAIL (kept: ${tmp}, ${target.describe})`,
    );
    for (const p of procs) p.child?.kill('SIGKILL');
    process.exit(1);
  }, deadline - Date.now());
  watchdog.unref();
  try {
    await seedServer(target, tasks);
    const port = await freePort();
    const serverUrl = `http://127.0.0.1:${port}`;
    say(
      `seeded ${target.describe}: project "${PROJECT}" (batch 50, a quarter of the tasks rated by both users) with ${tasks.length} ranking tasks, users ${USERS.map((u) => u.username).join(', ')}; server port ${port}`,
    );

    const server = new Managed(
      'server',
      () => ['server/main.ts', '--db', target.url, '--port', String(port)],
      /Server listening on/,
      path.join(tmp, 'server.log'),
    );
    const workstations = USERS.map(
      (user, i) =>
        new Managed(
          `workstation ${user.name} (${user.username})`,
          (start) => [
            'scripts/soak-workstation.ts',
            '--data-dir',
            path.join(tmp, `ws-${user.name}`),
            '--server',
            serverUrl,
            '--user',
            user.username,
            '--password',
            user.password,
            '--seed',
            String((SEED * 31 + (i + 1) * 1_000_003 + start) >>> 0),
            '--pace',
            opts.pace,
          ],
          /^ready$/,
          path.join(tmp, `ws-${user.name}.log`),
        ),
    );
    procs.push(server, ...workstations);
    await server.startReady();
    for (const ws of workstations) await ws.startReady();

    // the kill loop: leave time for the final phase (a quarter of the bound, at most 3 min)
    const loopEnd = deadline - Math.min(180_000, (MINUTES * 60_000) / 4);
    let kills = 0;
    while (kills < KILLS && Date.now() < loopEnd) {
      await sleep(100 + random() * 1400);
      const roll = random();
      const victim = roll < 0.5 ? server : roll < 0.75 ? workstations[0]! : workstations[1]!;
      await victim.kill();
      victim.kills += 1;
      kills += 1;
      await victim.startReady();
      if (kills % 10 === 0) {
        const [a, b] = workstations as [Managed, Managed];
        say(
          `kills ${kills}/${KILLS} (server ${server.kills}, A ${a.kills}, B ${b.kills}); printed so far: ` +
            `submitted ${a.printed.submitted + b.printed.submitted}, edited ${a.printed.edited + b.printed.edited}, ` +
            `skipped ${a.printed.skipped + b.printed.skipped}`,
        );
      }
    }
    if (kills < KILLS) say(`time is up for the kill loop after ${kills} kills`);

    // final phase: stop the workstations, start the server cleanly, sync each workstation to the end
    for (const ws of workstations) await ws.kill();
    await server.stop();
    await server.startReady();
    say('final phase: server restarted cleanly; syncing each workstation in-process until nothing is queued');
    const results: WorkstationResult[] = [];
    for (const [i, user] of USERS.entries()) {
      const dataDir = path.join(tmp, `ws-${user.name}`);
      const final = await finalSync(dataDir, serverUrl, user);
      const local = readWorkstation(dataDir);
      results.push({
        name: user.name,
        username: user.username,
        ...local,
        edited: local.labels.filter((l) => l.revision > 1).length,
        final,
      });
      say(
        `workstation ${user.name}: sync ${final.state}, queued ${final.queued}, quarantined ${final.quarantined}` +
          (final.lastError ? `, last error: ${final.lastError}` : '') +
          ` (printed by its ${workstations[i]!.starts} runs: submitted ${workstations[i]!.printed.submitted}, edited ${workstations[i]!.printed.edited}, skipped ${workstations[i]!.printed.skipped})`,
      );
    }
    await server.stop();

    // the server's side, read once it is stopped
    const sdb = await openDatabase(target.url);
    const serverSide = new Map<string, { labels: LocalLabel[]; skips: string[] }>();
    let coverage = '';
    try {
      const open = await sdb.db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .whereRef('occupancy', '<', 'ratings_required')
        .executeTakeFirstOrThrow();
      const shared = await sdb.db
        .selectFrom('labels')
        .select('task_id')
        .groupBy('task_id')
        .having((eb) => eb.fn.count('user_id').distinct(), '>', 1)
        .execute();
      coverage = `tasks still open on the server: ${Number(open.n)} of ${tasks.length}; tasks labeled by both reviewers: ${shared.length}`;
      for (const user of USERS) {
        const { id } = await sdb.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', user.username)
          .executeTakeFirstOrThrow();
        const labels = await sdb.db
          .selectFrom('labels')
          .select(['id', 'task_id', 'revision', 'body'])
          .where('user_id', '=', id)
          .execute();
        const skips = await sdb.db
          .selectFrom('task_events')
          .select('task_id')
          .where('user_id', '=', id)
          .where('type', '=', 'skip')
          .execute();
        serverSide.set(user.username, { labels, skips: skips.map((s) => s.task_id) });
      }
    } finally {
      await sdb.close();
    }

    // compare
    const allLocalIds = new Set(results.flatMap((r) => r.labels.map((l) => l.id)));
    const problems: string[] = [];
    const rows: Record<string, number[]> = {};
    const row = (name: string, ...cells: number[]) =>
      (rows[name] = [...cells, cells.reduce((a, b) => a + b, 0)]);
    const per = results.map((r, i) => {
      const srv = serverSide.get(r.username)!;
      const byId = new Map(srv.labels.map((l) => [l.id, l]));
      const lost: string[] = [];
      const mismatched: string[] = [];
      for (const l of r.labels) {
        const s = byId.get(l.id);
        if (!s) lost.push(`label ${l.id} (task ${l.task_id}, revision ${l.revision}) is not on the server`);
        else if (s.revision < l.revision)
          lost.push(
            `label ${l.id} (task ${l.task_id}): server has revision ${s.revision}, workstation ${l.revision}`,
          );
        else if (s.revision === l.revision && rankOf(s.body) !== rankOf(l.body))
          mismatched.push(`label ${l.id} (task ${l.task_id}) revision ${l.revision}: ranks differ`);
        else if (s.revision > l.revision)
          mismatched.push(
            `label ${l.id} (task ${l.task_id}): server revision ${s.revision} above the workstation's ${l.revision}`,
          );
      }
      const perTask = new Map<string, number>();
      for (const s of srv.labels) perTask.set(s.task_id, (perTask.get(s.task_id) ?? 0) + 1);
      const duplicated = [
        ...[...perTask]
          .filter(([, n]) => n > 1)
          .map(([task, n]) => `task ${task} has ${n} labels of ${r.username}`),
        ...srv.labels
          .filter((s) => !allLocalIds.has(s.id))
          .map((s) => `server label ${s.id} (task ${s.task_id}) is on no workstation`),
      ];
      const duplicateCount =
        [...perTask.values()].reduce((a, n) => a + Math.max(0, n - 1), 0) +
        srv.labels.filter((s) => !allLocalIds.has(s.id)).length;
      const skipsLost = beyond(r.skips, srv.skips);
      const skipsDuplicated = beyond(srv.skips, r.skips);
      // what the child printed as done must be in its database (a kill never undoes a durable action)
      const local = new Map(r.labels.map((l) => [l.id, l.revision]));
      const printedMissing = [
        ...[...workstations[i]!.printed.labels]
          .filter(([id, p]) => (local.get(id) ?? 0) < p.revision)
          .map(
            ([id, p]) =>
              `printed label ${id} (task ${p.taskId}) revision ${p.revision} is not in the local db`,
          ),
        ...beyond(workstations[i]!.printed.skips, r.skips).map(
          (t) => `printed skip of ${t} is not in the local db`,
        ),
      ];
      problems.push(
        ...lost.map((p) => `${r.name} lost: ${p}`),
        ...mismatched.map((p) => `${r.name} mismatched: ${p}`),
        ...duplicated.map((p) => `${r.name} duplicated: ${p}`),
        ...skipsLost.map((t) => `${r.name} skip lost: task ${t}`),
        ...skipsDuplicated.map((t) => `${r.name} skip duplicated: task ${t}`),
        ...printedMissing.map((p) => `${r.name} ${p}`),
        ...r.quarantined.map(
          (q) => `${r.name} quarantined ${q.type} ${q.task_id}: ${q.reason}: ${q.message}`,
        ),
      );
      return {
        submitted: r.labels.length,
        edited: r.edited,
        stored: srv.labels.length,
        lost: lost.length,
        mismatched: mismatched.length,
        duplicated: duplicateCount,
        skips: r.skips.length,
        skipsStored: srv.skips.length,
        skipsLost: skipsLost.length,
        skipsDuplicated: skipsDuplicated.length,
        queued: (r.outbox.queued ?? 0) + (r.outbox.sent ?? 0),
        quarantined: r.outbox.quarantined ?? 0,
        printedMissing: printedMissing.length,
        kills: workstations[i]!.kills,
        unexpected: workstations[i]!.unexpected.length,
      };
    });
    const col = (k: keyof (typeof per)[number]) => per.map((p) => p[k]);
    row('labels submitted (local)', ...col('submitted'));
    row('  of which edited (rev > 1)', ...col('edited'));
    row('labels stored (server)', ...col('stored'));
    row('labels lost', ...col('lost'));
    row('labels duplicated', ...col('duplicated'));
    row('labels mismatched', ...col('mismatched'));
    row('skips submitted (local)', ...col('skips'));
    row('skips stored (server)', ...col('skipsStored'));
    row('skips lost', ...col('skipsLost'));
    row('skips duplicated', ...col('skipsDuplicated'));
    row('outbox left queued', ...col('queued'));
    row('outbox quarantined', ...col('quarantined'));
    row('printed, missing locally', ...col('printedMissing'));
    row('SIGKILLs of the workstation', ...col('kills'));
    row('unexpected exits', ...col('unexpected'));

    const width = 30;
    const header = ['', ...results.map((r) => `${r.name} (${r.username})`), 'total'];
    const lines = [
      header.map((h, i) => (i === 0 ? h.padEnd(width) : h.padStart(12))).join(''),
      ...Object.entries(rows).map(
        ([name, cells]) => name.padEnd(width) + cells.map((c) => String(c).padStart(12)).join(''),
      ),
    ];
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log('');
    console.log(
      `soak summary (seed ${SEED}, db ${DIALECT}, ${kills} kills: server ${server.kills}, ` +
        `workstations ${workstations.map((w) => w.kills).join(' + ')}; ${seconds} s; ${tasks.length} tasks)`,
    );
    for (const line of lines) console.log(line);
    console.log(
      `server: ${server.kills} SIGKILLs, ${server.unexpected.length} unexpected exits, ${server.stalls} slow starts; ` +
        `sign-ins by the workstations: ${workstations.map((w) => w.printed.signIns).join(' + ')}; ` +
        `sync cycles online ${workstations.map((w) => w.printed.syncsOk).join(' + ')}, ` +
        `failed (server down or killed mid-request) ${workstations.map((w) => w.printed.syncsFailed).join(' + ')}`,
    );
    console.log(coverage);
    const otherErrors = workstations.flatMap((w) => w.printed.otherSyncErrors.map((e) => `${w.name}: ${e}`));
    if (otherErrors.length) {
      console.log(
        `sync cycles that failed with the server up (${otherErrors.length}; not counted as failures):`,
      );
      for (const e of otherErrors.slice(0, 10)) console.log(`  ${e}`);
    }
    for (const p of procs) for (const u of p.unexpected) problems.push(u);
    const total = (k: keyof (typeof per)[number]) => per.reduce((a, p) => a + p[k], 0);
    const failed =
      total('lost') +
        total('duplicated') +
        total('mismatched') +
        total('skipsLost') +
        total('skipsDuplicated') +
        total('queued') +
        total('quarantined') +
        total('printedMissing') >
        0 || procs.some((p) => p.unexpected.length > 0);
    if (problems.length) {
      console.log(`\nproblems (${problems.length}${problems.length > 40 ? ', first 40 shown' : ''}):`);
      for (const p of problems.slice(0, 40)) console.log(`  ${p}`);
    }
    passed = !failed;
    console.log(
      passed
        ? `\nPASS: lost 0, duplicated 0, nothing left queued or quarantined (seed ${SEED})`
        : `\nFAIL (seed ${SEED}): see the problems above; logs and databases kept in ${tmp}`,
    );
    return passed ? 0 : 1;
  } catch (error) {
    console.log(
      `\nFAIL (seed ${SEED}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  } finally {
    clearTimeout(watchdog);
    for (const p of procs) await p.kill();
    await Promise.all(procs.map((p) => p.closeLog()));
    if (passed && !opts.keep) {
      fs.rmSync(tmp, { recursive: true, force: true });
      await target.drop();
    } else {
      console.log(`kept: ${tmp}${DIALECT === 'postgres' ? ` and ${target.describe}` : ''}`);
    }
  }
}

process.exitCode = await main();
