import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { expect, test } from '@playwright/test';
import type { MetricsReport } from '../../shared/metrics/report';
import { runCli } from '../../server/cli/run';
import { seedHistory } from '../fixtures/metrics-history';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { seriousViolations, signInOnline } from './pages';

/**
 * The quality dashboards from seeded history: a lead reads their pod's figures (the same numbers
 * the CLI prints), drills into a reviewer, and still reads them offline; a reviewer sees only
 * their own figures beside the pod's medians. Keyboard only.
 */

const LEAD = { username: 'lara', password: 'lead battery staple horse' };
const REVIEWERS = ['rhea', 'ravi', 'rosa', 'remy'].map((username) => ({
  username,
  password: `${username} battery staple horse`,
}));
const shots = process.env.METRICS_SHOTS;

let server: CentralServer;
let host: BrowserHost | null = null;
let dir: string;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(async (db) => {
    await seedHistory(db, {
      projectId: 'helpful',
      podId: 'pod-q',
      lead: LEAD,
      reviewers: REVIEWERS,
      weeks: 8,
      perWeek: 12,
      overlap: 0.3,
      until: new Date(),
    });
  });
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-metrics-'));
  host = await startHost({ dataDir: path.join(dir, 'data'), server: server.url });
});
test.afterEach(async () => {
  if (host) await stopHost(host);
  host = null;
  rmSync(dir, { recursive: true, force: true });
  await server.remove();
});

/** `metrics --project helpful --pod pod-q` as the operator runs it, parsed. */
async function cliReport(): Promise<MetricsReport> {
  let out = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await runCli(['metrics', '--project', 'helpful', '--pod', 'pod-q', '--db', server.file], {
    stdout: sink((s) => (out += s)),
    stderr: sink(() => undefined),
    env: {},
  });
  expect(code).toBe(0);
  return JSON.parse(out) as MetricsReport;
}

const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);
const pct1 = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)}%`);
const seconds = (ms: number | null) => {
  const s = Math.round((ms ?? 0) / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
};

test("a lead reads the pod's figures, the same as the CLI's, drills into a reviewer, and reads them offline", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host!.url);
  await signInOnline(page, LEAD);
  await page.keyboard.press('m');
  const screen = page.getByTestId('metrics-screen');
  await expect(screen.getByRole('heading', { name: 'Quality', level: 1 })).toBeFocused();
  await expect(screen.getByTestId('metrics-freshness')).toContainText('Figures as of');

  const report = await cliReport();
  const overall = report.overall;
  await expect(screen.getByTestId('tile-labels')).toContainText(String(overall.labels));
  await expect(screen.getByTestId('tile-agreement')).toContainText(
    pct(overall.agreement.pairwisePercent.observed),
  );
  await expect(screen.getByTestId('tile-agreement')).toContainText(
    `α ${overall.agreement.alpha.value!.toFixed(2)}`,
  );
  await expect(screen.getByTestId('tile-escalation')).toContainText(
    `${overall.escalation.successes} of ${overall.escalation.total}`,
  );
  // four charts, each with its data table
  await expect(screen.locator('.chart canvas')).toHaveCount(4);
  await expect(screen.getByText('Data table')).toHaveCount(4);
  if (shots) await page.screenshot({ path: path.join(shots, 'metrics-overview.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // the data table behind the throughput chart: one row per week, by keyboard
  const throughput = screen.locator('figure', { hasText: 'Throughput' });
  await throughput.getByText('Data table').focus();
  await page.keyboard.press('Enter');
  await expect(throughput.locator('tbody tr')).toHaveCount(report.weeks.length);
  await expect(throughput.locator('tbody tr').last()).toContainText(String(report.weeks.at(-1)!.labels));

  // Reviewers: every reviewer of the pod, and one against the pod's medians
  await screen.getByRole('button', { name: 'Reviewers' }).focus();
  await page.keyboard.press('Enter');
  const table = screen.locator('.m-reviewer-table');
  await expect(table.locator('tbody tr')).toHaveCount(REVIEWERS.length);
  const rosa = report.reviewers.find((r) => r.username === 'rosa')!;
  await table.getByRole('button', { name: 'rosa' }).focus();
  await page.keyboard.press('Enter');
  const drill = screen.getByTestId('reviewer-drilldown');
  await expect(drill).toContainText('rosa against the pod');
  await expect(drill.locator('tr', { hasText: 'Escalated' })).toContainText(
    pct1(rosa.figures.escalation.share),
  );
  await expect(drill.locator('tr', { hasText: 'Time per task' })).toContainText(
    seconds(rosa.figures.activeTime.medianMs),
  );
  // the lead's action from the figures: a coaching note, on rosa's workstation until acknowledged
  await drill
    .getByLabel('Coaching note to rosa')
    .fill('Your agreement dipped in week 3: see the padding section.');
  await drill.getByRole('button', { name: 'Send coaching note' }).click();
  await expect(drill.getByTestId('coach-status')).toContainText('Sent to rosa');
  const action = await server.db.db
    .selectFrom('reviewer_actions')
    .select(['kind', 'body'])
    .executeTakeFirstOrThrow();
  expect(action.kind).toBe('coaching');
  expect(JSON.parse(action.body).note).toBe('Your agreement dipped in week 3: see the padding section.');
  if (shots) await page.screenshot({ path: path.join(shots, 'metrics-reviewer.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // the disagreement explorer: the lowest-agreement task's labels side by side; K sends it to calibration
  await screen.getByRole('button', { name: 'Disagreed items' }).focus();
  await page.keyboard.press('Enter');
  const worst = report.disagreedItems[0]!;
  const item = screen.getByTestId(`item-${worst.taskId}`);
  await item.getByRole('button', { name: worst.taskId }).focus();
  await page.keyboard.press('Enter');
  await expect(item.getByTestId('item-labels').locator('tbody tr')).toHaveCount(worst.labels);
  await page.keyboard.press('k');
  await expect(item.getByRole('status')).toContainText(
    `Sent: "Calibration: disagreement on ${worst.taskId}"`,
  );
  const round = await server.db.db
    .selectFrom('calibration_rounds')
    .select(['pod_id', 'items'])
    .executeTakeFirstOrThrow();
  expect(round.pod_id).toBe('pod-q');
  // served to the pod under a neutral id, as every round: the same prompt
  const task = await server.db.db
    .selectFrom('tasks')
    .select('body')
    .where('id', '=', worst.taskId)
    .executeTakeFirstOrThrow();
  expect(round.items).toContain((JSON.parse(task.body) as { prompt: string }).prompt);
  if (shots) await page.screenshot({ path: path.join(shots, 'metrics-items.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // the server goes: the dashboards still open, from the figures kept, and say so
  await server.stop();
  await page.keyboard.press('q');
  await page.keyboard.press('m');
  await expect(screen.getByTestId('metrics-freshness')).toContainText('Offline: figures kept from');
  await screen.getByRole('button', { name: 'Overview' }).click();
  await expect(screen.getByTestId('tile-labels')).toContainText(String(overall.labels));
  await server.start();
});

test("a reviewer sees their own figures beside the pod's medians and nobody else's", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host!.url);
  await signInOnline(page, REVIEWERS[1]!);
  await page.keyboard.press('m');
  const self = page.getByTestId('metrics-self');
  await expect(self).toContainText("Your figures beside your pod's medians (4 reviewers)");
  await expect(page.getByTestId('metrics-screen')).not.toContainText('rhea');
  await expect(page.getByTestId('metrics-screen')).not.toContainText('rosa');
  await expect(page.getByRole('button', { name: 'Reviewers' })).toHaveCount(0);
  if (shots) await page.screenshot({ path: path.join(shots, 'metrics-self.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});
