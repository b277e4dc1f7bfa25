import type { Kysely, Transaction } from 'kysely';
import { certificateHolds } from '../../shared/training/standing';
import type { Caller } from '../context';
import type { Database } from '../db/schema';
import { certificateDoc } from './docs';

type Db = Kysely<Database> | Transaction<Database>;

/** projects.requires_certs: comma-separated skills ('' = none) */
export const requiredSkills = (requiresCerts: string): string[] =>
  requiresCerts
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Whether a caller holds the certificates projects require (docs/training.md, "Certificates").
 * Loaded once per lease call, only when a project requires any: the caller's certificates
 * (certificates_user_skill index); when one is missing, the exam for the skill, to name it.
 */
export class CertificateGate {
  private constructor(
    private readonly db: Db,
    private readonly caller: Pick<Caller, 'role'>,
    /** skills the caller holds a certificate for that still counts (valid, or due within grace) */
    private readonly held: Set<string>,
  ) {}

  static async load(
    db: Db,
    caller: Pick<Caller, 'userId' | 'role'>,
    now: Date,
    projects: readonly { requires_certs: string }[],
  ): Promise<CertificateGate> {
    const asked = projects.some((p) => requiredSkills(p.requires_certs).length > 0);
    if (caller.role === 'admin' || !asked) return new CertificateGate(db, caller, new Set());
    const rows = await db
      .selectFrom('certificates')
      .selectAll()
      .where('user_id', '=', caller.userId)
      .execute();
    const held = new Set(rows.filter((r) => certificateHolds(certificateDoc(r), now)).map((r) => r.skill));
    return new CertificateGate(db, caller, held);
  }

  /** the first skill of the project the caller lacks (admins lack none), or null */
  missing(project: { requires_certs: string }): string | null {
    if (this.caller.role === 'admin') return null;
    return requiredSkills(project.requires_certs).find((skill) => !this.held.has(skill)) ?? null;
  }

  /** The refusal's words: the exam to take (the oldest one still taking attempts), else the skill. */
  async message(skill: string): Promise<string> {
    const exam = await this.db
      .selectFrom('exams')
      .select('title')
      .where('skill', '=', skill)
      .orderBy('retired')
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirst();
    return exam
      ? `Certification required: take the ${exam.title} exam`
      : `Certification required: ${skill} (ask your lead)`;
  }
}
