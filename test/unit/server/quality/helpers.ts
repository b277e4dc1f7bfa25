import type { Change } from '../../../../shared/sync';
import type { AnswerKey } from '../../../../shared/training/key';
import { exportProject, type ExportFormat } from '../../../../server/export/export';
import { importGold } from '../../../../server/quality/gold-import';
import { makeTask, type ServerEnv, type Session } from '../helpers';

/** Pull cursors per session, so each pull returns only what is new. */
const cursors = new WeakMap<Session, string | null>();

/** Leases (`queue` work or qa) and returns the assignment changes the next pull brings, in order. */
export async function leaseNew(
  e: ServerEnv,
  s: Session,
  body: Record<string, unknown> = { projectId: 'prod' },
): Promise<{
  status: number;
  lease: { leased: number; open: number };
  assignments: Extract<Change, { type: 'assignment' }>[];
}> {
  const lease = await e.call(s, 'POST', '/v1/sync/lease', body);
  const assignments = (await pullNew(e, s)).filter(
    (c): c is Extract<Change, { type: 'assignment' }> => c.type === 'assignment',
  );
  return { status: lease.status, lease: lease.json, assignments };
}

export async function pullNew(e: ServerEnv, s: Session): Promise<Change[]> {
  const changes: Change[] = [];
  for (;;) {
    const res = await e.call(s, 'POST', '/v1/sync/pull', {
      deviceId: s.deviceId,
      cursor: cursors.get(s) ?? null,
      epoch: null,
      limit: 2000,
    });
    if (res.status !== 200) throw new Error(`pull: ${res.status} ${JSON.stringify(res.json)}`);
    cursors.set(s, res.json.cursor);
    changes.push(...(res.json.changes as Change[]));
    if (!res.json.hasMore) return changes;
  }
}

/** a pairwise key preferring `preferred`, its texts carrying `sentinel` */
export const goldKey = (preferred: 'a' | 'b', sentinel: string): AnswerKey => ({
  kind: 'pairwise',
  preferred,
  strengths: ['significantly', 'better'],
  tags: [],
  explanation: `Explanation ${sentinel}`,
  responseNotes: { a: `Note ${sentinel}` },
  guidelineSection: `Section ${sentinel}`,
});

/** gold items with ids shaped like the project's own (t101, t102, ...) */
export async function addGold(e: ServerEnv, n: number, rate: number, sentinel: string) {
  const items = Array.from({ length: n }, (_, i) => ({
    task: makeTask(`t${101 + i}`),
    key: goldKey(i % 2 ? 'b' : 'a', sentinel),
  }));
  await importGold(e.sdb.db, 'prod', items, rate, e.clock.read());
  return new Set(items.map((i) => i.task.id));
}

/** Every row a project's export writes, per format, parsed. */
export async function exportRows(e: ServerEnv, projectId: string, format: ExportFormat) {
  let text = '';
  await exportProject(e.sdb.db, projectId, { format, messages: false, margin: false }, async (c) => {
    text += typeof c === 'string' ? c : Buffer.from(c).toString();
  });
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
