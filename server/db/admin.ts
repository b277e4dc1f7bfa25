import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Guideline } from '../../shared/guideline';
import type { Label } from '../../shared/label';
import type { RationaleTemplate } from '../../shared/rationale';
import type { Taxonomy } from '../../shared/taxonomy';
import type { Task } from '../../shared/task';
import type { ProjectWellbeing, WellbeingPatch } from '../../shared/wellbeing';
import { audit, OPERATOR, type AuditActor } from '../audit/audit';
import { hashPassword } from '../auth/password';
import { orderWipe } from './device-wipe';
import type { ConfigKind, Database, ServerRole } from './schema';

/** Data-access helpers for the operator CLI (and tests). All take the Kysely handle of `openDatabase`. */
type Db = Kysely<Database>;
const now = () => new Date().toISOString();

// task import lives in task-import.ts; re-exported for the callers of these helpers
export { agreementSample, importTasks, ratingsRequired, type ImportResult } from './task-import';

export type ProjectInput = {
  id: string;
  name?: string;
  batchSize?: number;
  leaseHours?: number;
  ratingsPerTask?: number;
  agreementShare?: number;
  agreementRatings?: number;
  /** production work refuses trainees (default true) */
  production?: boolean;
  taxonomyId?: string | null;
  templateId?: string | null;
  guidelineId?: string | null;
  /** skills whose certificate a non-admin needs to lease here (docs/training.md) */
  requiresCerts?: readonly string[];
  /** hours a lead has to answer an escalation before it shows as overdue (default 24) */
  escalationTargetHours?: number;
  /**
   * only the pods and users assigned to it (project-assign.ts) may see it; default false: every
   * pod, as before migration 0016 (the CLI passes true unless --all-pods)
   */
  podScoped?: boolean;
  /** exposure caps and break reminder (docs/wellbeing.md); absent or null: none */
  wellbeing?: WellbeingPatch;
};

export async function createProject(db: Db, p: ProjectInput): Promise<void> {
  const row = {
    id: p.id,
    name: p.name ?? p.id,
    batch_size: p.batchSize ?? 200,
    lease_hours: p.leaseHours ?? 72,
    ratings_per_task: p.ratingsPerTask ?? 1,
    agreement_share: p.agreementShare ?? 0,
    agreement_ratings: p.agreementRatings ?? 2,
    production: p.production === false ? 0 : 1,
    taxonomy_id: p.taxonomyId ?? null,
    template_id: p.templateId ?? null,
    guideline_id: p.guidelineId ?? null,
    requires_certs: (p.requiresCerts ?? []).join(','),
    escalation_target_hours: p.escalationTargetHours ?? 24,
    pod_scoped: p.podScoped ? 1 : 0,
    sensitive_cap_per_day: p.wellbeing?.perDay ?? null,
    sensitive_cap_per_session: p.wellbeing?.perSession ?? null,
    sensitive_break_minutes: p.wellbeing?.breakAfterMinutes ?? null,
    created_at: now(),
  };
  const write = async (trx: Db) => {
    await trx.insertInto('projects').values(row).execute();
    await audit(trx, {
      actor: OPERATOR,
      action: 'project.create',
      targetType: 'project',
      targetId: p.id,
      after: row,
      at: row.created_at,
    });
  };
  await (db.isTransaction ? write(db) : db.transaction().execute(write));
}

/**
 * Changes a project's escalation response target (hours before an open escalation is overdue in
 * the lead's inbox), audited as `project.set` with before and after. False when no such project.
 */
export async function setEscalationTarget(db: Db, projectId: string, hours: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('projects')
      .select('escalation_target_hours')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!row) return false;
    await trx
      .updateTable('projects')
      .set({ escalation_target_hours: hours })
      .where('id', '=', projectId)
      .execute();
    await audit(trx, {
      actor: OPERATOR,
      action: 'project.set',
      targetType: 'project',
      targetId: projectId,
      before: { escalationTargetHours: Number(row.escalation_target_hours) },
      after: { escalationTargetHours: hours },
      at: now(),
    });
    return true;
  });
}

/** the wellbeing settings as the project row holds them (null: none) */
export type WellbeingRow = Omit<ProjectWellbeing, 'projectId'>;

/**
 * Changes a project's wellbeing settings (docs/wellbeing.md): the given ones only (null clears a
 * cap), audited as `project.set` with before and after, by the operator (CLI) or an admin (HTTP).
 * Null when no such project, else the settings now.
 */
export async function setWellbeing(
  db: Db,
  projectId: string,
  patch: WellbeingPatch,
  actor: AuditActor = OPERATOR,
): Promise<WellbeingRow | null> {
  const write = async (trx: Db) => {
    const row = await trx
      .selectFrom('projects')
      .select(['sensitive_cap_per_day', 'sensitive_cap_per_session', 'sensitive_break_minutes'])
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!row) return null;
    const before: WellbeingRow = {
      perDay: row.sensitive_cap_per_day === null ? null : Number(row.sensitive_cap_per_day),
      perSession: row.sensitive_cap_per_session === null ? null : Number(row.sensitive_cap_per_session),
      breakAfterMinutes: row.sensitive_break_minutes === null ? null : Number(row.sensitive_break_minutes),
    };
    const after: WellbeingRow = {
      perDay: patch.perDay === undefined ? before.perDay : patch.perDay,
      perSession: patch.perSession === undefined ? before.perSession : patch.perSession,
      breakAfterMinutes:
        patch.breakAfterMinutes === undefined ? before.breakAfterMinutes : patch.breakAfterMinutes,
    };
    await trx
      .updateTable('projects')
      .set({
        sensitive_cap_per_day: after.perDay,
        sensitive_cap_per_session: after.perSession,
        sensitive_break_minutes: after.breakAfterMinutes,
      })
      .where('id', '=', projectId)
      .execute();
    await audit(trx, {
      actor,
      action: 'project.set',
      targetType: 'project',
      targetId: projectId,
      before,
      after,
      at: now(),
    });
    return after;
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

export async function createPod(db: Db, p: { id: string; name?: string }): Promise<void> {
  await db
    .insertInto('pods')
    .values({ id: p.id, name: p.name ?? p.id, lead_user_id: null, created_at: now() })
    .execute();
}

export type UserInput = {
  username: string;
  password: string;
  /**
   * the password's scrypt hash (`hashPassword`), when the caller already has it: users carried over
   * from another server, or many users given the same password (tests); it must hash `password`
   */
  passwordHash?: string;
  role: ServerRole;
  podId?: string | null;
  displayName?: string;
};

/** Adds a user; a lead added with a pod becomes that pod's lead. Returns the new user id. */
export async function addUser(db: Db, u: UserInput): Promise<string> {
  const id = randomUUID();
  const password_hash = u.passwordHash ?? (await hashPassword(u.password));
  await db.transaction().execute(async (trx) => {
    if (u.podId) {
      const pod = await trx.selectFrom('pods').select('id').where('id', '=', u.podId).executeTakeFirst();
      if (!pod) throw new Error(`pod "${u.podId}" does not exist`);
    }
    await trx
      .insertInto('users')
      .values({
        id,
        username: u.username,
        display_name: u.displayName ?? u.username,
        role: u.role,
        pod_id: u.podId ?? null,
        password_hash,
        created_at: now(),
        revoked_at: null,
      })
      .execute();
    if (u.role === 'lead' && u.podId) {
      await trx.updateTable('pods').set({ lead_user_id: id }).where('id', '=', u.podId).execute();
    }
    await audit(trx, {
      actor: OPERATOR,
      action: 'user.add',
      targetType: 'user',
      targetId: id,
      after: { username: u.username, role: u.role, podId: u.podId ?? null },
      at: now(),
    });
  });
  return id;
}

/** Revokes a user and all their sessions; refused at their next request. Returns false if unknown. */
/**
 * Revokes a user and their sessions, audited. `wipe`: also orders every device of theirs wiped
 * (db/device-wipe.ts), in the same transaction.
 */
export async function revokeUser(
  db: Db,
  username: string,
  options: { wipe?: boolean } = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const at = now();
    const user = await trx
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (!user) return false;
    await trx.updateTable('users').set({ revoked_at: at }).where('id', '=', user.id).execute();
    await trx
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
    await audit(trx, {
      actor: OPERATOR,
      action: 'user.revoke',
      targetType: 'user',
      targetId: user.id,
      before: { username, revokedAt: null },
      after: { username, revokedAt: at },
      at,
    });
    if (options.wipe) {
      const devices = await trx.selectFrom('devices').select('id').where('user_id', '=', user.id).execute();
      for (const device of devices) await orderWipe(trx, device.id, at);
    }
    return true;
  });
}

/**
 * Changes a user's role (an admin promoting a certified trainee to reviewer, or a reviewer to
 * lead). The role is read at every request, so it applies at the user's next one. Returns the
 * previous role, or null when there is no such user.
 */
export async function setUserRole(db: Db, username: string, role: ServerRole): Promise<ServerRole | null> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'role'])
      .where('username', '=', username)
      .executeTakeFirst();
    if (!user) return null;
    await trx.updateTable('users').set({ role }).where('id', '=', user.id).execute();
    await audit(trx, {
      actor: OPERATOR,
      action: 'user.role',
      targetType: 'user',
      targetId: user.id,
      before: { username, role: user.role },
      after: { username, role },
      at: now(),
    });
    return user.role;
  });
}

/** Revokes a device (a lost laptop): its sessions are refused at their next request. */
export async function revokeDevice(db: Db, deviceId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const at = now();
    const res = await trx
      .updateTable('devices')
      .set({ revoked_at: at })
      .where('id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    await audit(trx, {
      actor: OPERATOR,
      action: 'device.revoke',
      targetType: 'device',
      targetId: deviceId,
      before: { revokedAt: null },
      after: { revokedAt: at },
      at,
    });
    return true;
  });
}

export type DeviceRow = {
  id: string;
  /** the user who signed in on it last */
  username: string;
  name: string;
  /** highest mutation id the server has applied for it */
  lastMutationId: number;
  createdAt: string;
  revokedAt: string | null;
  /**
   * When a session was last opened on it (its latest sign-in). Sessions record no per-request use,
   * so this is the closest cheap answer: a device that signed in long ago and never since may still
   * be syncing on that session until it expires.
   */
  lastSignIn: string | null;
  /**
   * After a restore: 0 if the server never found this device ahead of it; else the mutation id the
   * device had acknowledged before the restore (1 when only a pull revealed it). Once
   * lastMutationId reaches it, the device has re-sent everything the server had acknowledged.
   */
  recoveryThrough: number;
};

/** Every device (or one user's), newest first: for the operator deciding what to revoke. */
export async function listDevices(db: Db, filter: { username?: string } = {}): Promise<DeviceRow[]> {
  // one pass over sessions (one row per sign-in, a few thousand at most), grouped per device
  const lastSignIn = db
    .selectFrom('sessions')
    .select(['device_id', (eb) => eb.fn.max('created_at').as('at')])
    .groupBy('device_id')
    .as('s');
  let query = db
    .selectFrom('devices as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .leftJoin(lastSignIn, 's.device_id', 'd.id')
    .select([
      'd.id',
      'u.username',
      'd.name',
      'd.last_mutation_id',
      'd.created_at',
      'd.revoked_at',
      'd.recovery_through',
      's.at as last_sign_in',
    ])
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id');
  if (filter.username !== undefined) query = query.where('u.username', '=', filter.username);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    name: r.name,
    lastMutationId: Number(r.last_mutation_id),
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastSignIn: r.last_sign_in ?? null,
    recoveryThrough: Number(r.recovery_through),
  }));
}

export type UserRow = {
  id: string;
  username: string;
  displayName: string;
  role: ServerRole;
  podId: string | null;
  revokedAt: string | null;
};

export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'pod_id', 'revoked_at'])
    .orderBy('username')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    podId: r.pod_id,
    revokedAt: r.revoked_at,
  }));
}

/** Publishes a taxonomy, rationale template or guideline: stored and broadcast to every workstation. */
export async function publishConfig(
  db: Db,
  doc:
    | { kind: 'taxonomy'; doc: Taxonomy }
    | { kind: 'template'; doc: RationaleTemplate }
    | { kind: 'guideline'; doc: Guideline },
): Promise<void> {
  const kind: ConfigKind = doc.kind;
  const body = JSON.stringify(doc.doc);
  const version = 'version' in doc.doc ? doc.doc.version : '';
  const at = now();
  const change =
    doc.kind === 'taxonomy'
      ? { type: 'taxonomy', taxonomy: doc.doc }
      : doc.kind === 'template'
        ? { type: 'template', template: doc.doc }
        : { type: 'guideline', guideline: doc.doc };
  const write = async (trx: Db) => {
    await trx
      .insertInto('config_docs')
      .values({ kind, id: doc.doc.id, version, body, updated_at: at })
      .onConflict((oc) => oc.columns(['kind', 'id']).doUpdateSet({ version, body, updated_at: at }))
      .execute();
    await trx
      .insertInto('changes')
      .values({ user_id: null, type: kind, payload: JSON.stringify(change), created_at: at })
      .execute();
  };
  // inside the caller's transaction (the server's write queue), or in one of its own (the CLI)
  await (db.isTransaction ? write(db) : db.transaction().execute(write));
}

/** One exported label with its task (meta included: exports are for the operator). */
export type ExportRow = {
  label: Label;
  task: Task;
  userId: string;
  username: string;
  deviceId: string;
  flagged: string | null;
  /** a lead's ruling on an escalation (escalation_rulings.label_id) */
  ruling: boolean;
  revision: number;
  leaseToken: number;
  createdAt: string;
  receivedAt: string;
  updatedAt: string;
};

/** Every label of a project with its task (withdrawn tasks left out), in label id order, keyset-paginated: constant memory. */
export async function* iterateLabels(db: Db, projectId: string, batchSize = 1000): AsyncGenerator<ExportRow> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('labels as l')
      .innerJoin('tasks as t', 't.id', 'l.task_id')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .leftJoin('escalation_rulings as r', 'r.label_id', 'l.id')
      .select([
        'l.id',
        'r.escalation_id as rulingOf',
        'l.body as labelBody',
        't.body as taskBody',
        'l.user_id',
        'u.username',
        'l.device_id',
        'l.flagged',
        'l.revision',
        'l.lease_token',
        'l.created_at',
        'l.received_at',
        'l.updated_at',
        't.revoked_at',
      ])
      .where('l.project_id', '=', projectId)
      // gold answers are graded, never training data (docs/lead-workspace.md, "Silent gold")
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('gold_keys as g').select('g.task_id').whereRef('g.task_id', '=', 'l.task_id'),
          ),
        ),
      )
      .where('l.id', '>', after)
      .orderBy('l.id')
      .limit(batchSize)
      .execute();
    for (const r of rows) {
      // a withdrawn task's labels stay stored but are not training data (filtered here, not in SQL,
      // so a short page still means the end)
      if (r.revoked_at !== null) continue;
      yield {
        label: JSON.parse(r.labelBody) as Label,
        task: JSON.parse(r.taskBody) as Task,
        userId: r.user_id,
        username: r.username,
        deviceId: r.device_id,
        flagged: r.flagged,
        ruling: r.rulingOf !== null,
        revision: r.revision,
        leaseToken: r.lease_token,
        createdAt: r.created_at,
        receivedAt: r.received_at,
        updatedAt: r.updated_at,
      };
    }
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}
