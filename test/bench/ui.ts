// UI benchmarks: real Chromium against browser mode with the real services.
//   ui.firstTask.ms        page load -> first task rendered and interactive
//   ui.submitToNext.p95Ms  Ctrl+Enter -> next task rendered, interactive and painted (4 × ~400-word responses)
//   ui.heapGrowth.ratio    JS heap after 500 tasks / after 50 (after forced GC)
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHost, stopHost } from '../e2e/host';
import { rankingTasksJsonl } from '../fixtures/markdown';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { rankAll } from './keyboard';
import { median, p95 } from './stats';

const TASKS = 520;

declare global {
  interface Window {
    __benchSubmitAt?: number;
    __benchNextAt?: number;
  }
}

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
      requestAnimationFrame(() => setTimeout(() => { window.__benchNextAt = performance.now(); }, 0));
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

export async function benchUi({ log }: { log: (line: string) => void }) {
  const work = mkdtempSync(path.join(tmpdir(), 'rw-bench-ui-'));
  const file = path.join(work, 'tasks.jsonl');
  writeFileSync(file, rankingTasksJsonl(TASKS));
  const host = await startHost({ importFile: file, dataDir: path.join(work, 'data') });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(host.url);
    await page.getByTestId('start-button').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="task-screen"][data-ready="true"]').waitFor();
    const firstTaskMs = await page.evaluate(() => performance.now());

    const submitToNext: number[] = [];
    let heapAt50 = 0;
    let heapAt500 = 0;
    for (let i = 1; i <= 500; i++) {
      await rankAll(page, 4);
      await armSubmitTimer(page);
      await page.keyboard.press('Control+Enter');
      await page.waitForFunction(() => window.__benchNextAt !== undefined, undefined, { timeout: 10_000 });
      const ms = await page.evaluate(() => window.__benchNextAt! - window.__benchSubmitAt!);
      if (i > 5) submitToNext.push(ms); // first few include JIT warm-up
      if (i === 50) heapAt50 = await heapUsed(page);
      if (i === 500) heapAt500 = await heapUsed(page);
      if (i % 100 === 0) log(`  ${i} tasks submitted`);
    }
    return {
      'ui.firstTask.ms': firstTaskMs,
      'ui.submitToNext.p95Ms': p95(submitToNext),
      'ui.submitToNext.medianMs': median(submitToNext),
      'ui.heapGrowth.ratio': heapAt500 / heapAt50,
    };
  } finally {
    await browser.close();
    await stopHost(host);
    rmSync(work, { recursive: true, force: true });
  }
}
