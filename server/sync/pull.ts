import type { Change, PullRequest, PullResponse } from '../../shared/sync';
import type { AppContext, Caller } from '../context';
import { getEpoch } from '../db/connect';
import { HttpError } from '../errors';
import { ProjectAccess } from '../auth/project-access';
import { settleIfExpired } from '../training/settle';

/** a position in the change feed: after row `seq`, whose random tag was `tag` ('' before row 1) */
type Cursor = { seq: number; tag: string };

function parseCursor(cursor: string): Cursor {
  const match = /^(\d{1,15})(?:\.([0-9a-f]{1,32}))?$/.exec(cursor);
  if (!match)
    throw new HttpError(400, 'invalid-request', `invalid request body: cursor: "${cursor}" is not a cursor`, [
      { path: 'cursor', message: 'not a cursor this server issued' },
    ]);
  return { seq: Number(match[1]), tag: match[2] ?? '' };
}

const formatCursor = (c: Cursor) => (c.seq === 0 ? '0' : `${c.seq}.${c.tag}`);

/**
 * Does the feed still hold the row the cursor names? Not after a restore from a backup: the row is
 * gone, or its seq was reused by a newer change with another tag. The client then starts over
 * (reset) instead of skipping changes it never saw. Cursors without a tag (older clients) start over too.
 */
async function cursorHolds(ctx: AppContext, cursor: Cursor): Promise<boolean> {
  if (cursor.seq === 0) return true;
  if (!cursor.tag) return false;
  const row = await ctx.sdb.db
    .selectFrom('changes')
    .select('tag')
    .where('seq', '=', cursor.seq)
    .executeTakeFirst();
  return row?.tag === cursor.tag;
}

/**
 * Changes about a project the caller may no longer see are left out of their feed (docs/server.md,
 * "Projects and pods"): an assignment written before the project left their pod (or they left its
 * pod) is never delivered, nor is another pod's shadowing project announced to them.
 */
class FeedAccess {
  private constructor(private readonly hidden: ReadonlySet<string>) {}

  static async load(ctx: AppContext, caller: Caller, changes: readonly Change[]): Promise<FeedAccess> {
    const ids = new Set(changes.flatMap((c) => projectOf(c) ?? []));
    if (ids.size === 0 || caller.role === 'admin') return new FeedAccess(new Set());
    const access = await ProjectAccess.load(ctx.sdb.db, caller);
    const rows = await ctx.sdb.db
      .selectFrom('projects')
      .select(['id', 'pod_scoped'])
      .where('id', 'in', [...ids])
      .execute();
    return new FeedAccess(new Set(rows.filter((p) => !access.allows(p)).map((p) => p.id)));
  }

  allows(change: Change): boolean {
    const project = projectOf(change);
    return project === null || !this.hidden.has(project);
  }
}

function projectOf(change: Change): string | null {
  if (change.type === 'assignment') return change.projectId;
  if (change.type === 'training' && change.doc.kind === 'shadow-project') return change.doc.id;
  return null;
}

/**
 * POST /v1/sync/pull: the caller's changes and broadcast changes after the cursor, in order.
 * A client on another epoch, or whose cursor names a change this server no longer holds (it was
 * restored from a backup), gets reset:true and the log from the start.
 */
export async function pullChanges(ctx: AppContext, caller: Caller, req: PullRequest): Promise<PullResponse> {
  if (req.deviceId !== caller.deviceId)
    throw new HttpError(
      403,
      'device-mismatch',
      `deviceId ${req.deviceId} is not the device this session signed in on`,
    );
  // an exam whose time ran out is graded now, so its result is in this very pull
  await settleIfExpired(ctx, caller.userId);
  const db = ctx.sdb.db;
  const epoch = await getEpoch(db);
  const staleEpoch = req.epoch !== null ? req.epoch !== epoch : req.cursor !== null;
  const cursor = staleEpoch || req.cursor === null ? null : parseCursor(req.cursor);
  const reset = staleEpoch || (cursor !== null && !(await cursorHolds(ctx, cursor)));
  const after: Cursor = reset || cursor === null ? { seq: 0, tag: '' } : cursor;
  const rows = await db
    .selectFrom('changes')
    .select(['seq', 'tag', 'payload'])
    .where('seq', '>', after.seq)
    .where((eb) => eb.or([eb('user_id', '=', caller.userId), eb('user_id', 'is', null)]))
    .orderBy('seq')
    .limit(req.limit + 1)
    .execute();
  const hasMore = rows.length > req.limit;
  const page = hasMore ? rows.slice(0, req.limit) : rows;
  const changes = page.map((r) => JSON.parse(r.payload) as Change);
  const access = await FeedAccess.load(ctx, caller, changes);
  const device = await db
    .selectFrom('devices')
    .select(['last_mutation_id', 'history_digest'])
    .where('id', '=', req.deviceId)
    .executeTakeFirst();
  return {
    epoch,
    reset,
    cursor: formatCursor(page.length ? page[page.length - 1]! : after),
    hasMore,
    lastMutationId: device?.last_mutation_id ?? 0,
    history: { id: device?.last_mutation_id ?? 0, digest: device?.history_digest ?? '' },
    changes: changes.filter((c) => access.allows(c)),
  };
}
