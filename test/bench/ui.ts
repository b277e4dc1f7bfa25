// UI benchmarks: real Chromium against browser mode with the real services. Every task has four
// responses of its own (distinct texts, test/fixtures/markdown.ts): no cache hits real data would miss.
//   ui.firstTask.ms             page load -> first task rendered and interactive
//   ui.bundle.firstPathKb       JavaScript loaded (decoded) by then
//   ui.submitToNext.p95Ms       Ctrl+Enter -> next task rendered, interactive and painted (4 × ~400 words)
//   ui.submitToNext.<phase>     where that time goes, from in-page marks (see PHASES)
//   ui.submitToNext.long.p95Ms  the same with 4 × ~2,000-word responses with tables and code
//   ui.heapGrowth.ratio         JS heap after 500 tasks / after 50 (after forced GC)
import { chromium, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHost, stopHost } from '../e2e/host';
import { rankingTasksJsonl } from '../fixtures/markdown';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { rankAll } from './keyboard';
import { median, p95 } from './stats';

const TASKS = 520;

const LONG_TASKS = 60;

declare global {
  interface Window {
    __benchSubmitAt?: number;
    __benchNextAt?: number;
    /** label.submit: request sent, reply in, reply parsed (set through the app's trace hook) */
    __benchSentAt?: number;
    __benchReplyAt?: number;
    __benchParsedAt?: number;
    /** the next task in the DOM, and the frame that paints it */
    __benchDomAt?: number;
    __benchFrameAt?: number;
  }
}

/**
 * The phases of one submit -> next task, each from one in-page mark to the next:
 * keydown -> request sent (handler, checks) -> reply headers (the host: validation, SQLite, fsync,
 * HTTP) -> reply parsed -> next task in the DOM (React render and commit) -> the frame's rAF (the
 * wait for the frame) -> after the frame (style, layout, paint).
 */
const PHASES = ['handler', 'roundTrip', 'parse', 'render', 'toFrame', 'frame'] as const;
type Phase = (typeof PHASES)[number];

/** label.submit's request and reply leave marks through the app's trace hook (renderer/src/api.ts). */
export const FETCH_MARKS = `(() => {
  window.__rwApiTrace = (channel, phase, at) => {
    if (channel !== 'label.submit') return;
    if (phase === 'sent') window.__benchSentAt = at;
    else if (phase === 'reply') window.__benchReplyAt = at;
    else window.__benchParsedAt = at;
  };
})()`;

/** Arms an in-page timer: Ctrl+Enter keydown -> body[data-task-id] changes and the task screen is ready -> next frame. */
async function armSubmitTimer(page: Page) {
  // a string, not a function: tsx's keepNames helpers (__name) do not exist in the page
  await page.evaluate(`(() => {
    const before = document.body.dataset.taskId;
    window.__benchSubmitAt = undefined;
    window.__benchNextAt = undefined;
    const onKey = (e) => {
      if (e.key !== 'Enter' || !e.ctrlKey) return;
      window.__benchSubmitAt = performance.now();
      window.removeEventListener('keydown', onKey, true);
    };
    window.addEventListener('keydown', onKey, true);
    const observer = new MutationObserver(() => {
      const ready = document.body.dataset.taskId !== before &&
        document.querySelector('[data-testid="task-screen"][data-ready="true"]') !== null;
      if (!ready) return;
      observer.disconnect();
      window.__benchDomAt = performance.now();
      requestAnimationFrame(() => {
        window.__benchFrameAt = performance.now();
        setTimeout(() => { window.__benchNextAt = performance.now(); }, 0);
      });
    });
    observer.observe(document.body, { attributes: true, subtree: true, childList: true });
  })()`);
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** JavaScript the page has loaded so far, decoded, in kB. */
async function scriptKb(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      performance
        .getEntriesByType('resource')
        .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js'))
        .reduce((sum, e) => sum + (e as PerformanceResourceTiming).decodedBodySize, 0) / 1024,
  );
}

export type Run = { totals: number[]; phases: Record<Phase, number[]> };

/**
 * Ranks and submits `count` tasks by keyboard, timing each submit -> next task and its phases
 * (after the first `warmup`, which include JIT warm-up).
 */
export async function submitRun(
  page: Page,
  count: number,
  onTask: (i: number) => Promise<void> = async () => undefined,
  warmup = 5,
): Promise<Run> {
  const phases = Object.fromEntries(PHASES.map((p) => [p, [] as number[]])) as Record<Phase, number[]>;
  const run: Run = { totals: [], phases };
  for (let i = 1; i <= count; i++) {
    await rankAll(page, 4);
    await armSubmitTimer(page);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => window.__benchNextAt !== undefined, undefined, { timeout: 10_000 });
    const t = await page.evaluate(() => [
      window.__benchSubmitAt!,
      window.__benchSentAt!,
      window.__benchReplyAt!,
      window.__benchParsedAt!,
      window.__benchDomAt!,
      window.__benchFrameAt!,
      window.__benchNextAt!,
    ]);
    if (i > warmup) {
      run.totals.push(t[6]! - t[0]!);
      PHASES.forEach((phase, k) => run.phases[phase].push(t[k + 1]! - t[k]!));
    }
    await onTask(i);
  }
  return run;
}

const phaseKeys = (prefix: string, run: Run) =>
  Object.fromEntries(
    PHASES.flatMap((phase) => [
      [`${prefix}.${phase}.medianMs`, median(run.phases[phase])],
      [`${prefix}.${phase}.p95Ms`, p95(run.phases[phase])],
    ]),
  );

/** Opens browser mode on `tasks` and starts the first task; returns the page and the time it took. */
export async function openFirstTask(browser: Browser, url: string) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.addInitScript(FETCH_MARKS);
  await page.goto(url);
  await page.getByTestId('start-button').waitFor();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="task-screen"][data-ready="true"]').waitFor();
  const firstTaskMs = await page.evaluate(() => performance.now());
  return { page, firstTaskMs, firstPathKb: await scriptKb(page) };
}

export async function benchUi({ log }: { log: (line: string) => void }) {
  const work = mkdtempSync(path.join(tmpdir(), 'rw-bench-ui-'));
  const file = path.join(work, 'tasks.jsonl');
  const longFile = path.join(work, 'long.jsonl');
  writeFileSync(file, rankingTasksJsonl(TASKS));
  writeFileSync(longFile, rankingTasksJsonl(LONG_TASKS, 'long', 2000));
  const host = await startHost({ importFile: file, dataDir: path.join(work, 'data') });
  const longHost = await startHost({ importFile: longFile, dataDir: path.join(work, 'long-data') });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const { page, firstTaskMs, firstPathKb } = await openFirstTask(browser, host.url);
    let heapAt50 = 0;
    let heapAt500 = 0;
    const run = await submitRun(page, 500, async (i) => {
      if (i === 50) heapAt50 = await heapUsed(page);
      if (i === 500) heapAt500 = await heapUsed(page);
      if (i % 100 === 0) log(`  ${i} tasks submitted`);
    });
    await page.close();

    log(`  ${LONG_TASKS - 1} tasks of 4 × ~2,000 words…`);
    const long = await openFirstTask(browser, longHost.url);
    const longRun = await submitRun(long.page, LONG_TASKS - 1);
    return {
      'ui.firstTask.ms': firstTaskMs,
      'ui.bundle.firstPathKb': firstPathKb,
      'ui.submitToNext.p95Ms': p95(run.totals),
      'ui.submitToNext.medianMs': median(run.totals),
      ...phaseKeys('ui.submitToNext', run),
      'ui.submitToNext.long.p95Ms': p95(longRun.totals),
      'ui.submitToNext.long.medianMs': median(longRun.totals),
      ...phaseKeys('ui.submitToNext.long', longRun),
      'ui.heapGrowth.ratio': heapAt500 / heapAt50,
    };
  } finally {
    await browser.close();
    await stopHost(host);
    await stopHost(longHost);
    rmSync(work, { recursive: true, force: true });
  }
}
