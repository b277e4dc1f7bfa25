// `npm run bench` prints a table; `npm run bench -- --json` prints one JSON object.
// Targets live here so the table can say pass/fail; see docs/benchmarks.md.
import os from 'node:os';
import { benchDashboardUi } from './dashboard-ui';
import { benchExport } from './export';
import { benchLeadInbox } from './lead-inbox';
import { benchImport } from './import';
import { benchMetrics } from './metrics';
import { benchQaSample } from './qa-sample';
import { benchQueue } from './queue';
import { benchServer } from './server';
import { benchTrainingGrade } from './training-grade';
import { benchTrainingUi } from './training-ui';
import { benchUi } from './ui';

type Target = { max?: number; min?: number };
const targets: Record<string, Target> = {
  'queue.nextTask.p95Ms': { max: 2 },
  'queue.submit.p95Ms': { max: 10 },
  'queue.draftSave.p95Ms': { max: 2 },
  'ui.submitToNext.p95Ms': { max: 50 },
  'ui.firstTask.ms': { max: 1000 },
  'ui.heapGrowth.ratio': { max: 1.2 },
  'training.feedback.p95Ms': { max: 16 },
  'training.grade10k.sqlite.ms': { max: 2000 },
  'training.grade10k.postgres.ms': { max: 2000 },
  'sync.push10k.sqlite.ms': { max: 5000 },
  'sync.push10k.postgres.ms': { max: 5000 },
  'server.ingest.labelsPerSec': { min: 5000 },
  'server.load50.p99Ms': { max: 250 },
  'server.load50.errors': { max: 0 },
  'server.load50.duplicates': { max: 0 },
  'sync.pull500.ms': { max: 500 },
  'export.trl100k.ms': { max: 10000 },
  'export.trl100k.peakRssMb': { max: 300 },
  'server.import100k.peakRssMb': { max: 300 },
  'qa.sample100k.sqlite.ms': { max: 2000 },
  'qa.sample100k.postgres.ms': { max: 2000 },
  'metrics.project1M.sqlite.ms': { max: 5000 },
  'metrics.project1M.postgres.ms': { max: 5000 },
  'metrics.project1M.peakRssMb': { max: 300 },
  'ui.dashboard.ms': { max: 500 },
  'lead.inbox.ms': { max: 300 },
};

const json = process.argv.includes('--json');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const log = (line: string) => {
  if (!json) console.log(line);
};

const results: Record<string, number> = {};
if (!only || only === 'queue') {
  log('queue: seeding 100,000 tasks and 200,000 labels…');
  Object.assign(results, await benchQueue());
}
if (!only || only === 'ui') {
  log('ui: driving Chromium against browser mode…');
  Object.assign(results, await benchUi({ log }));
}

if (!only || only === 'lead') {
  log('lead: the inbox with 500 escalations in Chromium against browser mode and the real server…');
  Object.assign(results, await benchLeadInbox({ log }));
}
if (!only || only === 'dashboard') {
  log(
    'dashboard: the pod overview (52 weeks x 8 reviewers) in Chromium against browser mode and the real server…',
  );
  Object.assign(results, await benchDashboardUi({ log }));
}
if (!only || only === 'training') {
  log('training: sandbox submit -> feedback in Chromium against browser mode and the real server…');
  Object.assign(results, await benchTrainingUi({ log }));
}
if (!only || only === 'training-grade') {
  const postgres = !process.argv.includes('--no-postgres');
  log(
    `training-grade: 10,000 exam answers pushed, 1,000 attempts graded (sqlite${postgres ? ' + postgres' : ''})…`,
  );
  Object.assign(results, await benchTrainingGrade({ postgres }));
}
if (!only || only === 'server') {
  // --no-postgres skips the PostgreSQL half; --seconds=N shortens the load test
  const postgres = !process.argv.includes('--no-postgres');
  const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 60);
  log(
    `server: push, ingest, pull and ${seconds} s of load with 50 reviewers (sqlite${postgres ? ' + postgres' : ''})…`,
  );
  Object.assign(results, await benchServer({ postgres, loadSeconds: seconds }));
}
if (!only || only === 'export') {
  log('export: 100,000 four-way rankings to TRL rows…');
  Object.assign(results, await benchExport());
}
if (!only || only === 'qa-sample') {
  const postgres = !process.argv.includes('--no-postgres');
  log(`qa-sample: a 10% QA share of 100,000 completed labels (sqlite${postgres ? ' + postgres' : ''})…`);
  Object.assign(results, await benchQaSample({ postgres }));
}
if (!only || only === 'import') {
  log('import: 100,000 tasks through the server CLI into SQLite…');
  Object.assign(results, await benchImport());
}
if (!only || only === 'metrics') {
  const postgres = !process.argv.includes('--no-postgres');
  log(`metrics: every metric of a 1,000,000-label project (sqlite${postgres ? ' + postgres' : ''})…`);
  Object.assign(results, await benchMetrics({ postgres, log }));
}

const round = (n: number) => Math.round(n * 100) / 100;
const verdict = (key: string, value: number) => {
  const t = targets[key];
  if (!t) return '';
  if (t.max !== undefined) return value <= t.max ? `ok (≤ ${t.max})` : `OVER (target ≤ ${t.max})`;
  if (t.min !== undefined) return value >= t.min ? `ok (≥ ${t.min})` : `UNDER (target ≥ ${t.min})`;
  return '';
};

if (json) {
  console.log(JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v)]))));
} else {
  log(
    `\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  for (const [key, value] of Object.entries(results))
    log(`${key.padEnd(28)} ${String(round(value)).padStart(10)}  ${verdict(key, value)}`);
}
