// The demo's central server: seeds (once) a sandbox course, a certification exam, a project that
// requires its certificate (open to trainees for shadowing), a pod with a calibration round and four demo users through the operator CLI — exactly what an
// operator would run — then starts the server on embedded
// SQLite and resolves with its URL. Used by scripts/demo.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEMO_USERS = [
  { username: 'reviewer', role: 'reviewer', password: 'demo-reviewer-2026' },
  { username: 'trainee', role: 'trainee', password: 'demo-trainee-2026' },
  { username: 'lead', role: 'lead', password: 'demo-lead-2026' },
  { username: 'admin', role: 'admin', password: 'demo-admin-2026' },
];

const tsx = (root) =>
  path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');

function cli(root, db, args) {
  const res = spawnSync(tsx(root), [path.join(root, 'server/cli/main.ts'), ...args, '--db', db], {
    cwd: root,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`server:cli ${args.join(' ')} failed:\n${res.stderr || res.stdout}`);
  return res.stdout;
}

/** Seeds the demo server database once (a marker file records it). */
export function seedDemoServer(root, dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = path.join(dir, 'server.db');
  // v5: with training, shadowing, silent gold and a lead's first morning (an older demo database
  // lacks some of them: seed afresh)
  const marker = path.join(dir, 'seeded-v5');
  if (!existsSync(marker)) for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  if (existsSync(marker)) return db;
  const training = (file) => path.join(root, 'resources/demo/training', file);
  // the certification comes first: the production project requires it
  cli(root, db, ['course', 'import', training('course.jsonl'), '--course', 'qa-basics']);
  cli(root, db, [
    ...['exam', 'create', 'qa-ranking-cert', '--title', 'QA ranking certification'],
    ...['--skill', 'qa-ranking', '--bank', training('exam-bank.jsonl'), '--stratify', 'meta.topic'],
    ...['--draw', '6', '--pass', '0.6', '--attempts', '5', '--cooldown-hours', '0'],
    ...['--time-limit-min', '30', '--valid-days', '180', '--promote'],
  ]);
  // the project belongs to the demo's pod (docs/server.md, "Projects and pods")
  cli(root, db, ['pod', 'create', 'pod-1', '--name', 'Pod 1']);
  cli(root, db, [
    ...['project', 'create', 'qa-feedback', '--name', 'QA feedback (demo)', '--batch-size', '40'],
    ...['--requires-cert', 'qa-ranking', '--pod', 'pod-1'],
  ]);
  for (const u of DEMO_USERS) {
    const pod = u.role === 'admin' ? [] : ['--pod', 'pod-1'];
    cli(root, db, ['user', 'add', u.username, '--role', u.role, '--password', u.password, ...pod]);
  }
  // the pod's senior core was certified before the workstation; the trainee takes the exam
  for (const username of ['reviewer', 'lead'])
    cli(root, db, ['cert', 'grant', username, '--skill', 'qa-ranking']);
  cli(root, db, ['import', path.join(root, 'resources/demo/qa-feedback.jsonl'), '--project', 'qa-feedback']);
  // the pod's weekly calibration round, due a week after seeding
  const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  cli(root, db, [
    ...['calibration', 'create', '--pod', 'pod-1', '--from', training('calibration.jsonl')],
    ...['--due', due, '--title', 'Week 1 calibration'],
  ]);
  // silent gold mixed into the project's leases (graded on the server, never exported)
  cli(root, db, ['gold', 'import', training('gold.jsonl'), '--project', 'qa-feedback', '--rate', '0.1']);
  // trainees may shadow the project: once the reviewer's labels have synced, a set can be drawn
  cli(root, db, ['shadow', 'open', '--project', 'qa-feedback', '--set-size', '5']);
  // the reviewer's first morning (labels, three escalations) through the server's own API, then a
  // QA sample of it: the lead's inbox and QA queue have work at once
  const reviewer = DEMO_USERS.find((u) => u.username === 'reviewer');
  const activity = spawnSync(
    tsx(root),
    [path.join(root, 'scripts/demo-activity.ts'), '--db', db, '--password', reviewer.password],
    { cwd: root, encoding: 'utf8' },
  );
  if (activity.status !== 0) throw new Error(`demo activity failed:\n${activity.stderr || activity.stdout}`);
  cli(root, db, ['qa', 'configure', '--project', 'qa-feedback', '--share', '0.2']);
  cli(root, db, ['qa', 'sample', '--project', 'qa-feedback']);
  writeFileSync(marker, new Date().toISOString() + '\n');
  return db;
}

/** Starts the server on a free port; resolves with { url, child } once it listens. */
export function startDemoServer(root, db) {
  const child = spawn(tsx(root), [path.join(root, 'server/main.ts'), '--port', '0', '--db', db], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /Server listening on (https?:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        child.stdout.pipe(process.stderr);
        resolve({ url: match[1], child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.pipe(process.stderr);
    child.once('exit', (code) => reject(new Error(`demo server exited with ${code}:\n${output}`)));
  });
}
