import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Task } from '../../shared/task';
import type { ShadowProjectDoc, ShadowResult, ShadowSetDoc } from '../../shared/training/docs';
import type { ItemFeedback } from '../../shared/training/score';
import type { AppContext, Caller } from '../context';
import { chunks } from '../db/batch';
import type { Database, ShadowSetsTable } from '../db/schema';
import { HttpError } from '../errors';
import { visibleProject } from '../auth/project-access';
import { taskForCaller } from '../sync/lease';
import { recordTrainingChanges } from './docs';
import { requiredSkills } from './gate';
import { shuffled, type RandomInt } from './serve';

type Trx = Transaction<Database>;
type Db = Kysely<Database> | Trx;
export type ShadowSetRow = Selectable<ShadowSetsTable>;

/** One task of a set: as served to the trainee, and the certified label it is set beside. */
export type ShadowItem = { task: Task; labelId: string };

/** How many recent labels a draw looks through: bounded, whatever the project's size. */
export const DRAW_WINDOW = 5000;
export const DEFAULT_SET_SIZE = 10;

export class ShadowRefused extends Error {}

export const shadowItems = (row: Pick<ShadowSetRow, 'items'>): ShadowItem[] =>
  JSON.parse(row.items) as ShadowItem[];

/** the same words for a project that does not exist, is not open, or is closed: no oracle */
const notOpen = (projectId: string) =>
  new HttpError(404, 'not-found', `no project "${projectId}" open for shadowing`);

/** A set as its trainee sees it: the served tasks, and the reference beside each answer taken. */
export function shadowSetDoc(
  row: ShadowSetRow,
  title: string,
  answers: readonly { task_id: string; feedback: string; received_at: string }[],
): ShadowSetDoc {
  const items = shadowItems(row);
  const byTask = new Map(answers.map((a) => [a.task_id, a]));
  const results: ShadowResult[] = items.flatMap(({ task }) => {
    const answer = byTask.get(task.id);
    return answer
      ? [
          {
            taskId: task.id,
            feedback: JSON.parse(answer.feedback) as ItemFeedback,
            receivedAt: answer.received_at,
          },
        ]
      : [];
  });
  return {
    kind: 'shadow',
    id: row.id,
    projectId: row.project_id,
    title,
    createdAt: row.created_at,
    items: items.map((i) => i.task),
    results,
  };
}

/** Opens a project to trainees for shadowing (or changes its set size); everyone's feed hears of it. */
export async function openShadowing(
  trx: Trx,
  projectId: string,
  setSize: number,
  now: Date,
): Promise<ShadowProjectDoc> {
  const project = await trx
    .selectFrom('projects')
    .select(['id', 'name'])
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!project) throw new ShadowRefused(`no project "${projectId}"`);
  const nowIso = now.toISOString();
  await trx
    .insertInto('shadow_projects')
    .values({ project_id: projectId, set_size: setSize, opened_at: nowIso, closed_at: null })
    .onConflict((oc) =>
      oc.column('project_id').doUpdateSet({ set_size: setSize, opened_at: nowIso, closed_at: null }),
    )
    .execute();
  const doc: ShadowProjectDoc = {
    kind: 'shadow-project',
    id: project.id,
    name: project.name,
    setSize,
    open: true,
  };
  await recordTrainingChanges(trx, [{ userId: null, doc }], nowIso);
  return doc;
}

/** Closes shadowing: no new sets; sets already drawn can still be finished. */
export async function closeShadowing(trx: Trx, projectId: string, now: Date): Promise<ShadowProjectDoc> {
  const row = await trx
    .selectFrom('shadow_projects as s')
    .innerJoin('projects as p', 'p.id', 's.project_id')
    .select(['p.id', 'p.name', 's.set_size', 's.closed_at'])
    .where('s.project_id', '=', projectId)
    .executeTakeFirst();
  if (!row || row.closed_at !== null)
    throw new ShadowRefused(`project "${projectId}" is not open for shadowing`);
  const nowIso = now.toISOString();
  await trx
    .updateTable('shadow_projects')
    .set({ closed_at: nowIso })
    .where('project_id', '=', projectId)
    .execute();
  const doc: ShadowProjectDoc = {
    kind: 'shadow-project',
    id: row.id,
    name: row.name,
    setSize: row.set_size,
    open: false,
  };
  await recordTrainingChanges(trx, [{ userId: null, doc }], nowIso);
  return doc;
}

/** The set's title: the project's name (the screen's mode pill already says "Shadowing"). */
export const shadowTitle = (name: string) => name;

/**
 * Whether a certificate counted at time `t` (the label's arrival): issued by then, and neither
 * revoked, expired nor past a re-certification due date by then.
 */
function heldAt(
  cert: { issued_at: string; expires_at: string; due_at: string | null; revoked_at: string | null },
  t: string,
): boolean {
  if (cert.issued_at > t || cert.expires_at <= t) return false;
  if (cert.revoked_at !== null && cert.revoked_at <= t) return false;
  return cert.due_at === null || cert.due_at > t;
}

/**
 * Labels a trainee may shadow in a project, newest first, one per task: by someone else who is no
 * trainee and who, when the label arrived, held a certificate for every skill the project requires;
 * on a task not withdrawn and not shadowed by this trainee before. Looks through the newest
 * DRAW_WINDOW labels only, so a draw costs the same in a project of any size.
 */
export async function shadowableLabels(
  db: Db,
  project: { id: string; requires_certs: string },
  userId: string,
): Promise<{ labelId: string; taskId: string }[]> {
  const labels = await db
    .selectFrom('labels as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .innerJoin('tasks as t', 't.id', 'l.task_id')
    .select(['l.id', 'l.task_id', 'l.user_id', 'l.received_at'])
    .where('l.project_id', '=', project.id)
    .where('l.user_id', '!=', userId)
    .where('u.role', '!=', 'trainee')
    .where('t.revoked_at', 'is', null)
    .orderBy('l.received_at', 'desc')
    .orderBy('l.id')
    .limit(DRAW_WINDOW)
    .execute();
  const skills = requiredSkills(project.requires_certs);
  const certs = new Map<
    string,
    {
      skill: string;
      issued_at: string;
      expires_at: string;
      due_at: string | null;
      revoked_at: string | null;
    }[]
  >();
  if (skills.length)
    for (const batch of chunks([...new Set(labels.map((l) => l.user_id))]))
      for (const cert of await db
        .selectFrom('certificates')
        .select(['user_id', 'skill', 'issued_at', 'expires_at', 'due_at', 'revoked_at'])
        .where('user_id', 'in', batch)
        .where('skill', 'in', skills)
        .execute())
        certs.set(cert.user_id, [...(certs.get(cert.user_id) ?? []), cert]);
  const certified = (userId: string, t: string) =>
    skills.every((skill) => (certs.get(userId) ?? []).some((c) => c.skill === skill && heldAt(c, t)));
  const shadowed = new Set(
    (
      await db
        .selectFrom('shadow_sets')
        .select('items')
        .where('user_id', '=', userId)
        .where('project_id', '=', project.id)
        .execute()
    ).flatMap((row) => shadowItems(row).map((i) => i.task.id)),
  );
  const seen = new Set<string>();
  const picked: { labelId: string; taskId: string }[] = [];
  for (const l of labels) {
    if (seen.has(l.task_id) || shadowed.has(l.task_id) || !certified(l.user_id, l.received_at)) continue;
    seen.add(l.task_id);
    picked.push({ labelId: l.id, taskId: l.task_id });
  }
  return picked;
}

/** The task as a shadowing trainee gets it: no meta, the project's taxonomy and template named. */
function servedTask(body: string, project: { taxonomy_id: string | null; template_id: string | null }): Task {
  const task = taskForCaller(JSON.parse(body) as Task, { role: 'trainee' });
  return {
    ...task,
    ...(task.tags === undefined && project.taxonomy_id !== null ? { tags: project.taxonomy_id } : {}),
    ...(task.rationale === undefined && project.template_id !== null
      ? { rationale: project.template_id }
      : {}),
  };
}

/**
 * A shadowing set for the caller (POST TRAINING_PATHS.startShadow): their unfinished set of the
 * project if they have one (another device may have started it), else a new one drawn from the
 * labels certified reviewers made. Reaches the caller's devices through the feed too.
 */
export async function startShadowSet(
  ctx: AppContext,
  caller: Caller,
  projectId: string,
  random?: RandomInt,
): Promise<ShadowSetDoc> {
  return ctx.writes.run(async (trx) => {
    const nowIso = ctx.clock().toISOString();
    if (ctx.sdb.dialect === 'postgres')
      await trx.selectFrom('users').select('id').where('id', '=', caller.userId).forUpdate().execute();
    const project = await trx
      .selectFrom('shadow_projects as s')
      .innerJoin('projects as p', 'p.id', 's.project_id')
      .select([
        'p.id',
        'p.name',
        'p.requires_certs',
        'p.taxonomy_id',
        'p.template_id',
        's.set_size',
        's.closed_at',
      ])
      .where('s.project_id', '=', projectId)
      .executeTakeFirst();
    // another pod's project answers as one never opened (docs/server.md, "Projects and pods")
    if (!project || project.closed_at !== null || !(await visibleProject(trx, caller, projectId)))
      throw notOpen(projectId);
    const title = shadowTitle(project.name);
    const sets = await trx
      .selectFrom('shadow_sets')
      .selectAll()
      .where('user_id', '=', caller.userId)
      .where('project_id', '=', projectId)
      .orderBy('created_at')
      .execute();
    for (const set of sets) {
      const answers = await trx
        .selectFrom('shadow_answers')
        .select(['task_id', 'feedback', 'received_at'])
        .where('set_id', '=', set.id)
        .execute();
      if (answers.length < shadowItems(set).length) return shadowSetDoc(set, title, answers);
    }
    const candidates = await shadowableLabels(trx, project, caller.userId);
    if (!candidates.length)
      throw new HttpError(
        409,
        'nothing-to-shadow',
        "No task of this project has a certified reviewer's label you have not shadowed yet. Try again later.",
      );
    const drawn = shuffled(candidates, random).slice(0, project.set_size);
    const bodies = new Map<string, string>();
    for (const batch of chunks(drawn.map((d) => d.taskId)))
      for (const row of await trx
        .selectFrom('tasks')
        .select(['id', 'body'])
        .where('id', 'in', batch)
        .execute())
        bodies.set(row.id, row.body);
    const items: ShadowItem[] = drawn.map((d) => ({
      labelId: d.labelId,
      task: servedTask(bodies.get(d.taskId)!, project),
    }));
    const row: ShadowSetRow = {
      id: randomUUID(),
      user_id: caller.userId,
      project_id: projectId,
      created_at: nowIso,
      items: JSON.stringify(items),
    };
    await trx.insertInto('shadow_sets').values(row).execute();
    const doc = shadowSetDoc(row, title, []);
    await recordTrainingChanges(trx, [{ userId: caller.userId, doc }], nowIso);
    return doc;
  });
}
