import type { Kysely, Transaction } from 'kysely';
import { nextMinorVersion, type Guideline } from '../../shared/guideline';
import { changedSections, replaceSections } from '../../shared/guideline-diff';
import {
  nextMajorVersion,
  type DraftLink,
  type DraftListQuery,
  type DraftSource,
  type GuidelineDraft,
  type GuidelineDraftRequest,
  type PublishDraftResponse,
  type PublishLevel,
} from '../../shared/guideline-draft';
import { audit } from '../audit/audit';
import type { Caller } from '../context';
import type { Selectable } from 'kysely';
import type { Database, GuidelineDraftsTable } from '../db/schema';
import { HttpError } from '../errors';
import { currentGuideline } from '../training/guidelines';
import { publishAudited } from '../training/publish-config';
import { escalationFor } from './escalations';

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

/**
 * The guideline loop (docs/lead-workspace.md, "Guideline loop"): a lead's draft of a guideline
 * change, from an escalation of their pod or a QA re-rating they classified, published by an admin
 * as the next minor or major version through the one config publish path, or rejected.
 */

/** An escalation of the pod (a lead: their own); another pod's answers as an unknown one. */
async function checkEscalation(trx: Db, caller: Caller, podId: string, id: string): Promise<void> {
  const row = await escalationFor(trx, caller, id);
  if (row.pod_id !== podId) throw new HttpError(404, 'not-found', `no escalation ${id} in your pod`);
}

/**
 * A QA re-rating the caller made (an admin: any); as a source it must be classified (a finding).
 * Someone else's answers as an unknown one.
 */
async function checkQaRating(trx: Db, caller: Caller, id: string, classified: boolean): Promise<void> {
  const row = await trx
    .selectFrom('qa_ratings')
    .select(['rater_id', 'classification'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || (caller.role !== 'admin' && row.rater_id !== caller.userId))
    throw new HttpError(404, 'not-found', `no QA re-rating ${id} of yours`);
  if (classified && row.classification === null)
    throw new HttpError(
      409,
      'not-classified',
      `QA re-rating ${id} is not classified yet: classify its discrepancies first`,
    );
}

async function checkLink(trx: Db, caller: Caller, podId: string, link: DraftLink): Promise<void> {
  if (link.kind === 'escalation') return checkEscalation(trx, caller, podId, link.id);
  if (link.kind === 'qa-rating') return checkQaRating(trx, caller, link.id, false);
  const task = await trx.selectFrom('tasks').select('id').where('id', '=', link.id).executeTakeFirst();
  if (!task) throw new HttpError(404, 'not-found', `no task "${link.id}"`);
}

/** The guideline as published now; a draft must be based on exactly this version. */
async function currentFor(trx: Db, guidelineId: string, baseVersion: string): Promise<Guideline> {
  const current = await currentGuideline(trx, guidelineId);
  if (!current) throw new HttpError(404, 'not-found', `no guideline "${guidelineId}"`);
  if (current.version !== baseVersion)
    throw new HttpError(
      409,
      'stale-version',
      `guideline "${guidelineId}" is at version ${current.version} now, the draft is based on version ${baseVersion}: draft against version ${current.version}`,
    );
  return current;
}

type DraftRow = Selectable<GuidelineDraftsTable> & { author_name: string };

function draftOf(row: DraftRow): GuidelineDraft {
  return {
    id: String(row.id),
    podId: row.pod_id,
    guidelineId: row.guideline_id,
    baseVersion: row.base_version,
    summary: row.summary,
    source: JSON.parse(row.source) as DraftSource,
    markdown: row.markdown,
    changes: JSON.parse(row.changes) as GuidelineDraft['changes'],
    links: JSON.parse(row.links) as DraftLink[],
    state: row.state,
    author: { id: row.author_id, displayName: row.author_name },
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    publishedVersion: row.published_version,
    rejectReason: row.reject_reason,
  };
}

const draftRows = (db: Db) =>
  db
    .selectFrom('guideline_drafts as d')
    .innerJoin('users as u', 'u.id', 'd.author_id')
    .selectAll('d')
    .select('u.display_name as author_name');

async function draftById(db: Db, id: string): Promise<GuidelineDraft> {
  const row = await draftRows(db).where('d.id', '=', Number(id)).executeTakeFirst();
  if (!row) throw new HttpError(404, 'not-found', `no guideline draft ${id}`);
  return draftOf(row);
}

/** POST GUIDELINE_DRAFT_PATHS.pod: a lead's (or an admin's) draft for the pod, audited. */
export async function createDraft(
  trx: Trx,
  caller: Caller,
  podId: string,
  body: GuidelineDraftRequest,
  now: Date,
): Promise<GuidelineDraft> {
  if (body.source.kind === 'escalation') await checkEscalation(trx, caller, podId, body.source.id);
  else await checkQaRating(trx, caller, body.source.id, true);
  for (const link of body.links) await checkLink(trx, caller, podId, link);
  const current = await currentFor(trx, body.guidelineId, body.baseVersion);
  const markdown = body.markdown ?? replaceSections(current.markdown, body.sections ?? []);
  const changes = changedSections({ markdown: current.markdown }, { markdown });
  if (changes.length === 0) {
    const field = body.markdown === undefined ? 'sections' : 'markdown';
    throw new HttpError(
      400,
      'invalid-request',
      `invalid request body: ${field}: changes nothing in version ${current.version}`,
      [{ path: field, message: `changes nothing in version ${current.version}` }],
    );
  }
  const nowIso = now.toISOString();
  const inserted = await trx
    .insertInto('guideline_drafts')
    .values({
      pod_id: podId,
      guideline_id: current.id,
      base_version: current.version,
      summary: body.summary,
      source: JSON.stringify(body.source),
      markdown,
      changes: JSON.stringify(changes),
      links: JSON.stringify(body.links),
      state: 'open',
      author_id: caller.userId,
      created_at: nowIso,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const draft = await draftById(trx, String(inserted.id));
  await audit(trx, {
    actor: caller,
    action: 'guideline.draft',
    targetType: 'guideline-draft',
    targetId: draft.id,
    after: {
      guidelineId: draft.guidelineId,
      baseVersion: draft.baseVersion,
      podId,
      source: draft.source,
      changes,
      links: draft.links,
    },
    at: now,
  });
  return draft;
}

/** A pod's drafts (podId), or every draft (an admin: podId undefined), newest first. */
export async function listDrafts(
  db: Db,
  podId: string | undefined,
  query: DraftListQuery,
): Promise<GuidelineDraft[]> {
  let q = draftRows(db).orderBy('d.id', 'desc').limit(query.limit);
  if (podId !== undefined) q = q.where('d.pod_id', '=', podId);
  if (query.state !== undefined) q = q.where('d.state', '=', query.state);
  const rows = await q.execute();
  return rows.map(draftOf);
}

async function openDraft(trx: Trx, id: string): Promise<GuidelineDraft> {
  const draft = await draftById(trx, id);
  if (draft.state !== 'open')
    throw new HttpError(
      409,
      'already-decided',
      draft.state === 'published'
        ? `guideline draft ${id} was already published as version ${draft.publishedVersion}`
        : `guideline draft ${id} was already rejected`,
    );
  return draft;
}

/**
 * POST GUIDELINE_DRAFT_PATHS.publish (admin): the draft's text as the guideline's next minor or
 * major version, through the one publish path (stored, broadcast, `config.publish`, a major
 * version calls certificates in); the draft is marked published (`guideline.publish`).
 */
export async function publishDraft(
  trx: Trx,
  caller: Caller,
  id: string,
  level: PublishLevel,
  now: Date,
): Promise<PublishDraftResponse> {
  const draft = await openDraft(trx, id);
  const current = await currentFor(trx, draft.guidelineId, draft.baseVersion);
  const version = level === 'major' ? nextMajorVersion(current.version) : nextMinorVersion(current.version);
  const doc: Guideline = { ...current, version, markdown: draft.markdown };
  const { certificatesDue } = await publishAudited(trx, caller, { kind: 'guideline', doc }, now, {
    draftId: draft.id,
    level,
  });
  await trx
    .updateTable('guideline_drafts')
    .set({
      state: 'published',
      decided_by: caller.userId,
      decided_at: now.toISOString(),
      published_version: version,
    })
    .where('id', '=', Number(id))
    .execute();
  await audit(trx, {
    actor: caller,
    action: 'guideline.publish',
    targetType: 'guideline-draft',
    targetId: draft.id,
    before: { state: 'open', guidelineId: draft.guidelineId, version: current.version },
    after: { state: 'published', version, level, certificatesDue },
    at: now,
  });
  return { draft: await draftById(trx, id), version, certificatesDue };
}

/** POST GUIDELINE_DRAFT_PATHS.reject (admin): closed with a reason the lead reads. */
export async function rejectDraft(
  trx: Trx,
  caller: Caller,
  id: string,
  reason: string,
  now: Date,
): Promise<GuidelineDraft> {
  await openDraft(trx, id);
  await trx
    .updateTable('guideline_drafts')
    .set({
      state: 'rejected',
      decided_by: caller.userId,
      decided_at: now.toISOString(),
      reject_reason: reason,
    })
    .where('id', '=', Number(id))
    .execute();
  await audit(trx, {
    actor: caller,
    action: 'guideline.reject',
    targetType: 'guideline-draft',
    targetId: id,
    before: { state: 'open' },
    after: { state: 'rejected', reason },
    at: now,
  });
  return draftById(trx, id);
}
