// `npm run bench` prints a table; `npm run bench -- --json` prints one JSON object.
// `--record` appends the run to docs/benchmarks-history.jsonl; every run prints each key's ratio
// to the last recorded value. Targets live here so the table can say pass/fail; see docs/benchmarks.md.
import { appendRecord, lastValues, machine, ratioText, readHistory } from './history';
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
import { benchUiDuringImport } from './ui-import';

type Target = { max?: number; min?: number };
const targets: Record<string, Target> = {
  'queue.nextTask.p95Ms': { max: 2 },
  'queue.submit.p95Ms': { max: 10 },
  'queue.draftSave.p95Ms': { max: 2 },
  'queue.openStore.cold.ms': { max: 1000 },
  'ui.submitToNext.p95Ms': { max: 25 },
  'ui.submitToNext.medianMs': { max: 12 },
  'ui.submitToNext.long.p95Ms': { max: 33 },
  'ui.submitToNext.duringImport.p95Ms': { max: 33 },
  'ui.firstTask.ms': { max: 700 },
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

if (!only || only === 'ui-import') {
  log('ui-import: submit -> next task in Chromium while a 100,000-task file imports…');
  Object.assign(results, await benchUiDuringImport({ log }));
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

const rounded = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v)]));
const last = lastValues(readHistory());
if (json) {
  console.log(JSON.stringify(rounded));
} else {
  log(`\nmachine: ${machine()}`);
  for (const [key, value] of Object.entries(rounded))
    log(
      `${key.padEnd(40)} ${String(value).padStart(10)}  ${verdict(key, value).padEnd(24)} ${ratioText(value, last.get(key))}`,
    );
}
if (process.argv.includes('--record')) {
  const record = appendRecord(rounded);
  log(`recorded in docs/benchmarks-history.jsonl (${record.date}, ${record.commit})`);
}
