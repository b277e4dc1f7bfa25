import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { DEFAULT_QA_SHARE, type Permission } from '../../shared/qa';
import type { Database, ProjectQualityTable } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;
export type QualitySettings = Selectable<ProjectQualityTable>;

/** A fresh sampling seed: random, recorded with the project and with every run that uses it. */
export const newSeed = () => randomBytes(8).toString('hex');

/** A project's gold and QA settings, or null while neither was ever configured. */
export async function qualitySettings(db: Db, projectId: string): Promise<QualitySettings | null> {
  const row = await db
    .selectFrom('project_quality')
    .selectAll()
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Changes some of a project's quality settings, creating them with the defaults (no gold, a 10%
 * QA share, re-ratings beside the original in exports, a random seed) the first time.
 */
export async function updateQualitySettings(
  db: Db,
  projectId: string,
  change: Partial<Pick<QualitySettings, 'gold_rate' | 'qa_share' | 'qa_replaces' | 'qa_seed'>>,
  now: Date,
): Promise<QualitySettings> {
  const current = await qualitySettings(db, projectId);
  const next: QualitySettings = {
    project_id: projectId,
    gold_rate: current?.gold_rate ?? 0,
    qa_share: current?.qa_share ?? DEFAULT_QA_SHARE,
    qa_replaces: current?.qa_replaces ?? 0,
    qa_seed: current?.qa_seed ?? newSeed(),
    ...change,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('project_quality')
    .values(next)
    .onConflict((oc) =>
      oc.column('project_id').doUpdateSet({
        gold_rate: next.gold_rate,
        qa_share: next.qa_share,
        qa_replaces: next.qa_replaces,
        qa_seed: next.qa_seed,
        updated_at: next.updated_at,
      }),
    )
    .execute();
  return next;
}

export async function hasPermission(db: Db, userId: string, permission: Permission): Promise<boolean> {
  const row = await db
    .selectFrom('user_permissions')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('permission', '=', permission)
    .executeTakeFirst();
  return row !== undefined;
}

/** Grants (or, with `revoke`, withdraws) a permission; returns whether anything changed. */
export async function setPermission(
  db: Db,
  userId: string,
  permission: Permission,
  granted: boolean,
  now: Date,
): Promise<boolean> {
  const had = await hasPermission(db, userId, permission);
  if (had === granted) return false;
  if (granted)
    await db
      .insertInto('user_permissions')
      .values({ user_id: userId, permission, granted_at: now.toISOString() })
      .execute();
  else
    await db
      .deleteFrom('user_permissions')
      .where('user_id', '=', userId)
      .where('permission', '=', permission)
      .execute();
  return true;
}
