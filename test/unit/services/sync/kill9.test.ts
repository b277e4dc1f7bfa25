import { afterEach, describe, expect, it } from 'vitest';
import { call, rankingWork, resourcesDir } from '../helpers';
import { type RealServer, startRealServer } from './real-server';
import { labelAll, openWorkstation, outboxRows, runAndKill, signIn } from './workstation';

let srv: RealServer | null = null;
afterEach(async () => {
  await srv?.stop();
  srv?.remove();
  srv = null;
});

describe('kill -9 of the client mid-sync', () => {
  it('every label reaches the real server exactly once after repeated kills and a clean sync', async () => {
    srv = await startRealServer({ tasks: 90, batchSize: 90 });
    let ws = openWorkstation({ resourcesDir });
    const { dataDir } = ws;
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const labelled = await labelAll(ws);
    expect(labelled).toHaveLength(90);
    // a few edits, so revisions travel too
    for (const taskId of labelled.slice(0, 5)) {
      const bundle = await call(ws, 'task.open', { taskId });
      await call(ws, 'label.submit', { taskId, work: rankingWork([...bundle.presentedOrder].reverse()) });
    }
    ws.close();

    // kills at random points; the seeded delays are printed so a failure can be replayed
    const delays = Array.from({ length: 8 }, (_, i) => 40 + ((i * 7919 + Date.now()) % 400));
    const acceptedAfterKill: number[] = [];
    for (const delay of delays) {
      await runAndKill(dataDir, resourcesDir, delay);
      acceptedAfterKill.push(outboxRows({ dataDir }).filter((r) => r.state === 'accepted').length);
    }
    console.log(
      `kill -9 delays (ms): ${delays.join(', ')}; accepted after each kill: ${acceptedAfterKill.join(', ')}`,
    );

    ws = openWorkstation({ dataDir, resourcesDir });
    const final = await call(ws, 'sync.now');
    expect(final, `kill delays ${delays.join(',')}`).toMatchObject({
      state: 'online',
      queued: 0,
      quarantined: 0,
    });

    const onServer = await srv.labels();
    expect(onServer.map((l) => l.task_id).sort()).toEqual([...labelled].sort());
    expect(new Set(onServer.map((l) => l.id)).size).toBe(90);
    const revisions = Object.fromEntries(onServer.map((l) => [l.task_id, l.revision]));
    for (const taskId of labelled.slice(0, 5)) expect(revisions[taskId]).toBe(2);
    const rows = outboxRows(ws);
    expect(rows).toHaveLength(95);
    expect(rows.every((r) => r.state === 'accepted')).toBe(true);
    // ids the server saw: 1..95 without gaps or repeats
    expect(rows.map((r) => r.mutation_id).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 95 }, (_, i) => i + 1),
    );
  }, 120_000);
});
