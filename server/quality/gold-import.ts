import type { Kysely } from 'kysely';
import type { TrainingItem } from '../../shared/training/key';
import { chunks } from '../db/batch';
import type { Database } from '../db/schema';
import { updateQualitySettings } from './settings';

type Db = Kysely<Database>;

/** A gold file refused as a whole (nothing stored); the message names the task and field. */
export class GoldRefused extends Error {}

/**
 * Words that must not appear in a gold task's id: the id travels to the workstation with the task,
 * and one that says what it is gives the task away. Only a guard against the obvious; the operator
 * chooses ids shaped like the project's other task ids (docs/lead-workspace.md, "Silent gold").
 */
const TELLING_ID = /gold|answer.?key|sentinel|honeypot/i;

/**
 * Stores gold items in a project (docs/lead-workspace.md, "Silent gold"), in one transaction:
 * each task as a row of `tasks` like any other (body as imported, so its text and shape are the
 * project's), its key in `gold_keys` only, and the project's gold rate. A gold task's
 * `ratings_required` is 0: it is never in the open pool that regular leasing reads, and is handed
 * out only by the gold mixer, at most once to each reviewer and to any number of reviewers.
 * Refused as a whole when a task id is taken (in any project) or gives the task away.
 */
export async function importGold(
  db: Db,
  projectId: string,
  items: readonly TrainingItem[],
  rate: number,
  now: Date,
): Promise<{ inserted: number; total: number }> {
  for (const { task } of items)
    if (TELLING_ID.test(task.id))
      throw new GoldRefused(`task "${task.id}": id: must not say what the task is (it is sent to reviewers)`);
  return db.transaction().execute(async (trx) => {
    const project = await trx
      .selectFrom('projects')
      .select('id')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) throw new GoldRefused(`project "${projectId}" does not exist`);
    for (const batch of chunks(items.map((i) => i.task.id))) {
      const taken = await trx
        .selectFrom('tasks')
        .select(['id', 'project_id'])
        .where('id', 'in', batch)
        .orderBy('id')
        .executeTakeFirst();
      if (taken)
        throw new GoldRefused(
          `task "${taken.id}": id: already a task of project "${taken.project_id}" (gold tasks need new ids)`,
        );
    }
    const max = await trx
      .selectFrom('tasks')
      .select((eb) => eb.fn.max<number | null>('seq').as('m'))
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    let seq = Number(max?.m ?? 0);
    const at = now.toISOString();
    for (const batch of chunks(items)) {
      await trx
        .insertInto('tasks')
        .values(
          batch.map(({ task }) => ({
            id: task.id,
            project_id: projectId,
            seq: ++seq,
            kind: task.kind,
            body: JSON.stringify(task),
            ratings_required: 0,
            revoked_at: null,
            lease_counter: 0,
            created_at: at,
            sensitive: task.sensitive === true ? 1 : 0,
          })),
        )
        .execute();
      await trx
        .insertInto('gold_keys')
        .values(
          batch.map(({ task, key }) => ({
            task_id: task.id,
            project_id: projectId,
            key: JSON.stringify(key),
            created_at: at,
          })),
        )
        .execute();
    }
    await updateQualitySettings(trx, projectId, { gold_rate: rate }, now);
    const total = await trx
      .selectFrom('gold_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return { inserted: items.length, total: Number(total.n) };
  });
}
