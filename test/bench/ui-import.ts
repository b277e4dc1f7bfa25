// UI benchmark while a large import runs (issue 12 §3): real Chromium against browser mode, the
// reviewer submitting task after task by keyboard while a 100,000-task file (distinct texts, about
// 1.5 kB a task) is POSTed to tasks.import the way the import screen sends it.
//   ui.submitToNext.duringImport.p95Ms     Ctrl+Enter -> next task painted, while the import runs
//   ui.submitToNext.duringImport.medianMs
//   ui.submitToNext.duringImport.samples   submits measured during the import
//   ui.submitToNext.beforeImport.p95Ms     the same page just before the import (same run, same load)
//   ui.duringImport.importMs               the import's own time (POST -> its reply)
// Standalone: `npx tsx test/bench/ui-import.ts [--tasks=N]` prints one JSON object.
import { chromium } from '@playwright/test';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost, stopHost } from '../e2e/host';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { rankingTasksJsonl, words } from '../fixtures/markdown';
import { median, p95 } from './stats';
import { openFirstTask, submitRun } from './ui';

const IMPORT_TASKS = 100_000;
/** the reviewer's own queue: more than can be submitted during the import */
const QUEUE_TASKS = 1_500;

/** `count` ranking tasks of four distinct answers, about 1.5 kB each, as the body tasks.import takes */
export function importBody(count: number): Buffer {
  const lines: string[] = [];
  for (let t = 0; t < count; t++) {
    lines.push(
      JSON.stringify({
        id: `import-${t}`,
        kind: 'ranking',
        prompt: `Question ${t}: ${words(30, t * 5 + 3_000_000)}?`,
        responses: [0, 1, 2, 3].map((i) => ({ id: `r${i + 1}`, text: words(45, t * 5 + i + 4_000_000) })),
      }),
    );
  }
  return Buffer.from(JSON.stringify({ fileName: 'big.jsonl', text: lines.join('\n') + '\n' }));
}

/** POST /api/tasks.import with the host's token, as the page does; resolves with the reply. */
function postImport(origin: string, token: string, body: Buffer): Promise<{ status: number; text: string }> {
  const url = new URL('/api/tasks.import', origin);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Content-Length': body.length,
          Origin: origin,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export async function benchUiDuringImport({
  log,
  tasks = IMPORT_TASKS,
}: {
  log: (line: string) => void;
  tasks?: number;
}) {
  const work = mkdtempSync(path.join(tmpdir(), 'rw-bench-ui-import-'));
  const file = path.join(work, 'queue.jsonl');
  writeFileSync(file, rankingTasksJsonl(QUEUE_TASKS, 'queue', 150));
  const body = importBody(tasks);
  log(`  import body: ${(body.length / 2 ** 20).toFixed(0)} MB, ${tasks} tasks`);
  const host = await startHost({ importFile: file, dataDir: path.join(work, 'data') });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const { page } = await openFirstTask(browser, host.url);
    // the same page and machine without an import, for comparison on a loaded machine
    const quiet = await submitRun(page, 40, undefined, 10);

    let done = false;
    const startedAt = performance.now();
    const imported = postImport(host.origin, host.token, body).finally(() => {
      done = true;
    });
    const totals: number[] = [];
    while (!done) {
      // a submit sent before the import's reply counts, even if it is answered after it
      const run = await submitRun(page, 1, undefined, 0);
      totals.push(...run.totals);
      if (totals.length % 50 === 0 && totals.length > 0) log(`  ${totals.length} submits during the import…`);
    }
    const reply = await imported;
    const importMs = performance.now() - startedAt;
    if (reply.status !== 200 || !reply.text.includes(`"imported":${tasks}`))
      throw new Error(`the import failed: ${reply.status} ${reply.text.slice(0, 300)}`);
    if (totals.length < 20) log(`  only ${totals.length} submits during the import: p95 is their maximum`);
    return {
      'ui.submitToNext.duringImport.p95Ms': p95(totals),
      'ui.submitToNext.duringImport.medianMs': median(totals),
      'ui.submitToNext.duringImport.samples': totals.length,
      'ui.submitToNext.beforeImport.p95Ms': p95(quiet.totals),
      'ui.submitToNext.beforeImport.medianMs': median(quiet.totals),
      'ui.duringImport.importMs': importMs,
    };
  } finally {
    await browser.close();
    await stopHost(host);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tasks = Number(
    process.argv.find((a) => a.startsWith('--tasks='))?.slice('--tasks='.length) ?? IMPORT_TASKS,
  );
  const log = (line: string) => console.error(line);
  console.log(JSON.stringify(await benchUiDuringImport({ log, tasks })));
}
