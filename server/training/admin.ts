import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { CertificateDoc, CourseDoc } from '../../shared/training/docs';
import type { TrainingItem } from '../../shared/training/key';
import { certificateStatus, type CertificateStatus } from '../../shared/training/standing';
import { audit, OPERATOR, type AuditActor } from '../audit/audit';
import type { Database, ExamsTable } from '../db/schema';
import { certificateDoc, examDoc, recordTrainingChanges } from './docs';
import { guidelineVersions } from './guidelines';
import { stratumOf } from './serve';

/** The operator's training commands (server/cli/training.ts) and tests: one transaction each. */
type Db = Kysely<Database>;

/**
 * Stores a course and broadcasts it. Every import makes a new version (1, 2, …, numbered by the
 * server): a re-import replaces the course, and sandbox answers keep the version they were given on.
 */
export async function importCourse(
  db: Db,
  course: CourseDoc,
  now: Date,
  actor: AuditActor = OPERATOR,
): Promise<string> {
  const at = now.toISOString();
  // inside the caller's transaction (a lead's promotion), or in one of its own (the CLI)
  const run = <T>(job: (trx: Transaction<Database>) => Promise<T>) =>
    db.isTransaction ? job(db as Transaction<Database>) : db.transaction().execute(job);
  return run(async (trx) => {
    const previous = await trx
      .selectFrom('courses')
      .select('version')
      .where('id', '=', course.id)
      .executeTakeFirst();
    const version = String((previous ? Number(previous.version) || 0 : 0) + 1);
    const doc: CourseDoc = { ...course, version };
    const row = { title: doc.title, version, body: JSON.stringify(doc), updated_at: at };
    await trx
      .insertInto('courses')
      .values({ id: doc.id, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
    await recordTrainingChanges(trx, [{ userId: null, doc }], at);
    await audit(trx, {
      actor,
      action: 'course.import',
      targetType: 'course',
      targetId: doc.id,
      before: previous ? { version: previous.version } : null,
      after: { version, title: doc.title, items: doc.modules.reduce((n, m) => n + m.items.length, 0) },
      at,
    });
    return version;
  });
}

export type ExamInput = Omit<ExamsTable, 'created_at' | 'updated_at' | 'retired'>;

/**
 * Stores an exam with its bank (each item's stratum read at the exam's stratify path) and
 * broadcasts its rules, never the bank. The caller has checked the input (draw within the bank).
 */
export async function createExam(db: Db, exam: ExamInput, bank: readonly TrainingItem[], now: Date) {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const row = { ...exam, retired: 0, created_at: at, updated_at: at };
    await trx.insertInto('exams').values(row).execute();
    const items = bank.map((item, i) => ({
      exam_id: exam.id,
      item_id: item.task.id,
      position: i + 1,
      body: JSON.stringify(item),
      stratum: exam.stratify === null ? null : stratumOf(item, exam.stratify),
    }));
    for (let i = 0; i < items.length; i += 200)
      await trx
        .insertInto('exam_items')
        .values(items.slice(i, i + 200))
        .execute();
    await recordTrainingChanges(trx, [{ userId: null, doc: examDoc(row) }], at);
    await audit(trx, {
      actor: OPERATOR,
      action: 'exam.create',
      targetType: 'exam',
      targetId: exam.id,
      after: { ...examDoc(row), bank: bank.length },
      at,
    });
  });
}

/**
 * Retires an exam: no new attempts (shared/training/standing.ts says `retired`), broadcast to every
 * workstation. Started attempts stay gradable and issued certificates keep their dates. Returns
 * false for an unknown exam; throws for one already retired.
 */
export async function retireExam(db: Db, examId: string, now: Date, actor: AuditActor = OPERATOR) {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const exam = await trx.selectFrom('exams').selectAll().where('id', '=', examId).executeTakeFirst();
    if (!exam) return false;
    if (exam.retired === 1) throw new ExamAlreadyRetired(examId);
    const row = { ...exam, retired: 1, updated_at: at };
    await trx.updateTable('exams').set({ retired: 1, updated_at: at }).where('id', '=', examId).execute();
    await recordTrainingChanges(trx, [{ userId: null, doc: examDoc(row) }], at);
    await audit(trx, {
      actor,
      action: 'exam.retire',
      targetType: 'exam',
      targetId: examId,
      before: { retired: false },
      after: { retired: true },
      at,
    });
    return true;
  });
}

export class ExamAlreadyRetired extends Error {
  constructor(readonly examId: string) {
    super(`exam "${examId}" is already retired`);
  }
}

/** a certificate as `cert list` shows it: the document, whose it is, and its status now */
export type CertificateListRow = CertificateDoc & { username: string; status: CertificateStatus };

/** Certificates (one user's, or all), by user then newest first, with their status now. */
export async function listCertificates(
  db: Db,
  filter: { userId?: string },
  now: Date,
): Promise<CertificateListRow[]> {
  let query = db
    .selectFrom('certificates as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .selectAll('c')
    .select('u.username')
    .orderBy('u.username')
    .orderBy('c.issued_at', 'desc')
    .orderBy('c.id');
  if (filter.userId !== undefined) query = query.where('c.user_id', '=', filter.userId);
  return (await query.execute()).map(({ username, ...row }) => {
    const doc = certificateDoc(row);
    return { ...doc, username, status: certificateStatus(doc, now) };
  });
}

/**
 * Revokes a user's certificates for a skill (those not revoked yet) and tells the user through the
 * feed. Returns how many were revoked.
 */
export async function revokeCertificates(db: Db, userId: string, skill: string, now: Date): Promise<number> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('certificates')
      .selectAll()
      .where('user_id', '=', userId)
      .where('skill', '=', skill)
      .where('revoked_at', 'is', null)
      .execute();
    if (rows.length === 0) return 0;
    await trx
      .updateTable('certificates')
      .set({ revoked_at: at })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    await recordTrainingChanges(
      trx,
      rows.map((r) => ({ userId, doc: certificateDoc({ ...r, revoked_at: at }) })),
      at,
    );
    await audit(trx, {
      actor: OPERATOR,
      action: 'certificate.revoke',
      targetType: 'user',
      targetId: userId,
      before: rows.map(certificateDoc),
      after: rows.map((r) => certificateDoc({ ...r, revoked_at: at })),
      at,
    });
    return rows.length;
  });
}

/**
 * Grants a certificate without an exam: for reviewers certified before the workstation existed
 * (a pod's senior core). It is issued under the skill's newest exam, whose validity and guideline
 * it takes; `attempt_id` is '' (no attempt). Null when no exam certifies the skill.
 */
export async function grantCertificate(
  db: Db,
  userId: string,
  skill: string,
  now: Date,
): Promise<{ id: string; expiresAt: string } | null> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const exam = await trx
      .selectFrom('exams')
      .selectAll()
      .where('skill', '=', skill)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .executeTakeFirst();
    if (!exam) return null;
    const version = (await guidelineVersions(trx, [exam.guideline_id])).get(exam.guideline_id) ?? '';
    const row = {
      id: randomUUID(),
      user_id: userId,
      skill,
      exam_id: exam.id,
      attempt_id: '',
      guideline_id: exam.guideline_id,
      guideline_version: version,
      issued_at: at,
      expires_at: new Date(now.getTime() + exam.valid_days * 86_400_000).toISOString(),
      due_at: null,
      revoked_at: null,
    };
    await trx.insertInto('certificates').values(row).execute();
    await recordTrainingChanges(trx, [{ userId, doc: certificateDoc(row) }], at);
    await audit(trx, {
      actor: OPERATOR,
      action: 'certificate.grant',
      targetType: 'user',
      targetId: userId,
      after: certificateDoc(row),
      at,
    });
    return { id: row.id, expiresAt: row.expires_at };
  });
}
