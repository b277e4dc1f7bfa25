// Dashboard UI benchmark: real Chromium against browser mode, signed in to the real server as a lead.
//   ui.dashboard.ms         M pressed -> the pod overview with its four charts drawn (next frame),
//                           nothing in memory (the page reloaded first): the server computing the
//                           figures, the request, the render, the charts
//   ui.dashboard.reopen.ms  the same after Q then M: the figures last read show at once (labeled
//                           with their time) while fresh ones are asked for
//   ui.dashboard.server.ms  computeMetrics on the server (called directly, same data)
// History: 52 weeks x 8 reviewers, 25 labels per reviewer a week (10,400 labels, 30% of tasks
// rated by three), distinct task and rationale texts (test/fixtures/metrics-history.ts).
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { computeMetrics } from '../../server/metrics/compute';
import { CentralServer } from '../e2e/central-server';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { startHost, stopHost } from '../e2e/host';
import { seedHistory } from '../fixtures/metrics-history';
import { signInForBench, timeKeyTo } from './browser';
import { median } from './stats';

const LEAD = { username: 'bench-lead', password: 'bench lead password' };
const REVIEWERS = Array.from({ length: 8 }, (_, i) => ({
  username: `bench-reviewer-${i + 1}`,
  password: `bench reviewer password ${i + 1}`,
}));
const OPENS = 7;

/** M from the queue; ms from the M keydown to the charts drawn. `cold`: the page reloaded first. */
async function openDashboard(page: Page, cold: boolean): Promise<number> {
  if (cold) await page.reload();
  else await page.keyboard.press('q');
  await page.locator('main.queue-screen').waitFor();
  await page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
  return timeKeyTo(page, 'm', '.metrics-screen .chart canvas', 4);
}

export async function benchDashboardUi({ log }: { log: (line: string) => void }) {
  const server = new CentralServer();
  let labels = 0;
  await server.seed(async (db) => {
    ({ labels } = await seedHistory(db, {
      projectId: 'bench',
      podId: 'bench-pod',
      lead: LEAD,
      reviewers: REVIEWERS,
      weeks: 52,
      perWeek: 25,
      overlap: 0.3,
      until: new Date(),
    }));
  });
  log(`  ${labels} labels over 52 weeks seeded`);
  const dir = mkdtempSync(path.join(tmpdir(), 'rw-bench-dashboard-'));
  const host = await startHost({ dataDir: path.join(dir, 'data'), server: server.url });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const serverMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await computeMetrics(server.db.db, { projectId: 'bench', pod: 'bench-pod' });
      serverMs.push(performance.now() - t0);
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInForBench(page, host.url, LEAD);
    await openDashboard(page, false); // loads the dashboards' code once
    const cold: number[] = [];
    const reopen: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      cold.push(await openDashboard(page, true));
      reopen.push(await openDashboard(page, false));
    }
    return {
      'ui.dashboard.ms': median(cold),
      'ui.dashboard.reopen.ms': median(reopen),
      'ui.dashboard.server.ms': median(serverMs),
    };
  } finally {
    await browser.close();
    await stopHost(host);
    await server.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}
