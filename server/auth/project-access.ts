import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Caller } from '../context';
import type { Database, ProjectsTable } from '../db/schema';
import { HttpError } from '../errors';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Who may see which project (docs/server.md, "Projects and pods"). An admin sees every project. A
 * project that is not pod-scoped (from before migration 0016, or created with --all-pods) is open to
 * every pod. A pod-scoped project is open to the members and lead of the pods assigned to it and to
 * the users named on it, whatever their pod; with none assigned, to admins only. What a caller may
 * do on a project they see is still up to their role (trainees: sandbox projects, certificates...).
 */
export class ProjectAccess {
  private constructor(
    private readonly admin: boolean,
    /** the pod-scoped projects assigned to the caller's pod or to the caller */
    private readonly assigned: ReadonlySet<string>,
  ) {}

  static async load(db: Db, caller: Pick<Caller, 'role' | 'userId' | 'podId'>): Promise<ProjectAccess> {
    if (caller.role === 'admin') return new ProjectAccess(true, new Set());
    const byUser = db.selectFrom('project_users').select('project_id').where('user_id', '=', caller.userId);
    const rows = await (
      caller.podId === null
        ? byUser
        : byUser.union(db.selectFrom('project_pods').select('project_id').where('pod_id', '=', caller.podId))
    ).execute();
    return new ProjectAccess(false, new Set(rows.map((r) => r.project_id)));
  }

  allows(project: Pick<Selectable<ProjectsTable>, 'id' | 'pod_scoped'>): boolean {
    return this.admin || Number(project.pod_scoped) === 0 || this.assigned.has(project.id);
  }
}

/**
 * The answer for a project the caller may not see: the very answer an unknown project gets (same
 * status, code and words), so nobody learns that another pod's project exists.
 */
export const unknownProject = (projectId: string) =>
  new HttpError(404, 'not-found', `project "${projectId}" does not exist`);

/** the project if the caller may see it, else null (unknown and forbidden alike) */
export async function visibleProject(
  db: Db,
  caller: Pick<Caller, 'role' | 'userId' | 'podId'>,
  projectId: string,
): Promise<Selectable<ProjectsTable> | null> {
  const project = await db.selectFrom('projects').selectAll().where('id', '=', projectId).executeTakeFirst();
  if (!project) return null;
  return (await ProjectAccess.load(db, caller)).allows(project) ? project : null;
}

/** throws the unknown-project answer unless the caller may see the project */
export async function requireVisibleProject(
  db: Db,
  caller: Pick<Caller, 'role' | 'userId' | 'podId'>,
  projectId: string,
): Promise<Selectable<ProjectsTable>> {
  const project = await visibleProject(db, caller, projectId);
  if (!project) throw unknownProject(projectId);
  return project;
}

/**
 * A condition on a project id column: the caller may see that project (the same rule as
 * ProjectAccess, for queries that list many rows, e.g. the lead's inbox).
 */
export function projectVisible(
  caller: Pick<Caller, 'role' | 'userId' | 'podId'>,
  column: string,
): RawBuilder<boolean> {
  if (caller.role === 'admin') return sql<boolean>`1 = 1`;
  const ref = sql.ref(column);
  return sql<boolean>`(${ref} in (select id from projects where pod_scoped = 0)
    or ${ref} in (select project_id from project_users where user_id = ${caller.userId})
    or ${ref} in (select project_id from project_pods where pod_id = ${caller.podId ?? ''}))`;
}
