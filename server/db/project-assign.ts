import type { Kysely, Transaction } from 'kysely';
import { audit, OPERATOR } from '../audit/audit';
import { ProjectAccess } from '../auth/project-access';
import { chunks } from './batch';
import { OccupancyDelta } from './occupancy';
import { recordRevokes } from './revoke-changes';
import type { Database } from './schema';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** what `project assign` changes (exactly one) */
export type ProjectAssignment =
  | { pod: string; remove?: boolean }
  | { user: string; remove?: boolean }
  /** open the project to every pod again (as before migration 0016) */
  | { allPods: true };

/** who may see the project, as the audit log records it before and after */
export type ProjectScope = { allPods: boolean; pods: string[]; users: string[] };

export class AssignRefused extends Error {}

async function scopeOf(trx: Trx, projectId: string, podScoped: number): Promise<ProjectScope> {
  const pods = await trx
    .selectFrom('project_pods')
    .select('pod_id')
    .where('project_id', '=', projectId)
    .orderBy('pod_id')
    .execute();
  const users = await trx
    .selectFrom('project_users as pu')
    .innerJoin('users as u', 'u.id', 'pu.user_id')
    .select('u.username')
    .where('pu.project_id', '=', projectId)
    .orderBy('u.username')
    .execute();
  return {
    allPods: Number(podScoped) === 0,
    pods: pods.map((p) => p.pod_id),
    users: users.map((u) => u.username),
  };
}

/**
 * Leases on the project held by users who may no longer see it are withdrawn as a withdrawn task's
 * are: released (the slot returns to the pool) and a `revoke` change (reason `revoked`) in the
 * holder's feed. Returns how many.
 */
async function withdrawLostLeases(trx: Trx, projectId: string, nowIso: string): Promise<number> {
  const project = await trx
    .selectFrom('projects')
    .select(['id', 'pod_scoped'])
    .where('id', '=', projectId)
    .executeTakeFirstOrThrow();
  const holders = await trx
    .selectFrom('leases as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select(['u.id', 'u.role', 'u.pod_id'])
    .distinct()
    .where('l.project_id', '=', projectId)
    .where('l.state', '=', 'active')
    .execute();
  const lost: string[] = [];
  for (const h of holders) {
    const access = await ProjectAccess.load(trx, { userId: h.id, role: h.role, podId: h.pod_id });
    if (!access.allows(project)) lost.push(h.id);
  }
  let withdrawn = 0;
  for (const batch of chunks(lost)) {
    const released = await trx
      .updateTable('leases')
      .set({ state: 'released' })
      .where('project_id', '=', projectId)
      .where('user_id', 'in', batch)
      .where('state', '=', 'active')
      .returning(['task_id', 'user_id'])
      .execute();
    await recordRevokes(trx, released, 'revoked', nowIso);
    const occupancy = new OccupancyDelta();
    for (const r of released) occupancy.leaseMoved(r.task_id, 'active', 'released');
    await occupancy.apply(trx);
    withdrawn += released.length;
  }
  return withdrawn;
}

/**
 * Gives a project to a pod or a named user, takes it back (`remove`), or opens it to every pod
 * (docs/server.md, "Projects and pods"). Assigning makes the project pod-scoped; removing the last
 * pod or user leaves it scoped, so it closes (admins only) and never opens to everyone by
 * accident. Leases held by whoever loses the project are withdrawn. Audited as `project.assign`
 * (before and after) in the same transaction. Unknown project, pod or user: AssignRefused, nothing
 * changed.
 */
export async function assignProject(
  db: Db,
  projectId: string,
  change: ProjectAssignment,
  nowIso = new Date().toISOString(),
): Promise<{ scope: ProjectScope; withdrawn: number }> {
  return db.transaction().execute((trx) => assignProjectIn(trx, projectId, change, nowIso));
}

/** assignProject inside the caller's transaction (`project create --pod` creates and assigns at once) */
export async function assignProjectIn(
  trx: Trx,
  projectId: string,
  change: ProjectAssignment,
  nowIso: string,
): Promise<{ scope: ProjectScope; withdrawn: number }> {
  const project = await trx
    .selectFrom('projects')
    .select(['id', 'pod_scoped'])
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!project) throw new AssignRefused(`no project "${projectId}"`);
  const before = await scopeOf(trx, projectId, project.pod_scoped);
  if ('allPods' in change) {
    await trx.updateTable('projects').set({ pod_scoped: 0 }).where('id', '=', projectId).execute();
  } else if ('pod' in change) {
    const pod = await trx.selectFrom('pods').select('id').where('id', '=', change.pod).executeTakeFirst();
    if (!pod) throw new AssignRefused(`no pod "${change.pod}"`);
    if (change.remove)
      await trx
        .deleteFrom('project_pods')
        .where('project_id', '=', projectId)
        .where('pod_id', '=', change.pod)
        .execute();
    else
      await trx
        .insertInto('project_pods')
        .values({ project_id: projectId, pod_id: change.pod, created_at: nowIso })
        .onConflict((oc) => oc.doNothing())
        .execute();
    await trx.updateTable('projects').set({ pod_scoped: 1 }).where('id', '=', projectId).execute();
  } else {
    const user = await trx
      .selectFrom('users')
      .select('id')
      .where('username', '=', change.user)
      .executeTakeFirst();
    if (!user) throw new AssignRefused(`no user "${change.user}"`);
    if (change.remove)
      await trx
        .deleteFrom('project_users')
        .where('project_id', '=', projectId)
        .where('user_id', '=', user.id)
        .execute();
    else
      await trx
        .insertInto('project_users')
        .values({ project_id: projectId, user_id: user.id, created_at: nowIso })
        .onConflict((oc) => oc.doNothing())
        .execute();
    await trx.updateTable('projects').set({ pod_scoped: 1 }).where('id', '=', projectId).execute();
  }
  const scoped = 'allPods' in change ? 0 : 1;
  const after = await scopeOf(trx, projectId, scoped);
  const withdrawn = await withdrawLostLeases(trx, projectId, nowIso);
  await audit(trx, {
    actor: OPERATOR,
    action: 'project.assign',
    targetType: 'project',
    targetId: projectId,
    before,
    after: { ...after, leasesWithdrawn: withdrawn },
    at: nowIso,
  });
  return { scope: after, withdrawn };
}
