import { afterEach, expect, it } from 'vitest';
import { addUser } from '../../../server/db/admin';
import { call } from './helpers';
import { type RealServer, startRealServer } from './sync/real-server';
import { labelSome, openWorkstation, signIn } from './sync/workstation';

const ADMIN = { username: 'ada', password: 'admin horse battery staple' };

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await s.stop();
    s.remove();
  }
});

it('keeps the last dashboard the server sent: offline it is shown as such, to the same account only', async () => {
  const srv = await startRealServer({ tasks: 4 });
  servers.push(srv);
  await addUser(srv.db.db, { ...ADMIN, role: 'admin' });
  const rita = openWorkstation();
  await signIn(rita, srv.url);
  await call(rita, 'sync.now');
  await labelSome(rita, 3);
  await call(rita, 'sync.now');

  const ws = openWorkstation();
  await signIn(ws, srv.url, ADMIN);
  expect(await call(ws, 'metrics.projects')).toEqual({ projects: [{ id: 'p1', name: 'p1' }] });
  const online = await call(ws, 'metrics.dashboard', { projectId: 'p1', podId: null });
  expect(online).toMatchObject({ offline: false, reason: null, data: { view: 'team' } });
  if (online.data.view !== 'team') throw new Error('expected the team view');
  expect(online.data.report.overall.labels).toBe(3);

  // a refusal comes through in the server's words and shows nothing kept
  expect(await ws.dispatch('metrics.dashboard', { projectId: 'nope', podId: null })).toMatchObject({
    ok: false,
    error: { code: 'not-found' },
  });

  await srv.stop();
  const offline = await call(ws, 'metrics.dashboard', { projectId: 'p1', podId: null });
  expect(offline).toMatchObject({ offline: true, fetchedAt: online.fetchedAt, data: online.data });
  expect(offline.reason).toMatch(/Cannot reach the server/);
  expect(await call(ws, 'metrics.projects')).toEqual({ projects: [{ id: 'p1', name: 'p1' }] });
  // never asked for offline: nothing to show, said plainly
  expect(await ws.dispatch('metrics.dashboard', { projectId: 'p1', podId: 'pod-x' })).toMatchObject({
    ok: false,
    error: {
      code: 'unavailable',
      message: expect.stringContaining('No figures were kept on this computer yet'),
    },
  });
  // the reviewer's own workstation (another account on another data folder) keeps its own
  expect(await rita.dispatch('metrics.dashboard', { projectId: 'p1', podId: null })).toMatchObject({
    ok: false,
  });
});
