import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

const KEY = 'lease_key';

/** Creates the server's lease-proof key once (server_meta); a backup carries it, so a restore keeps it. */
export async function ensureLeaseKey(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('server_meta')
    .values({ key: KEY, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export type LeaseProofCheck = (
  taskId: string,
  token: number,
  userId: string,
  proof: string | undefined,
) => boolean;

/**
 * Proofs of lease: every assignment carries HMAC(server key, task, token, user). A server restored
 * from a backup forgets the leases it gave after the backup, but keeps the key: work the device
 * re-sends on such a lease proves the lease was really given to this reviewer, so it is kept
 * (flagged `lease-lost`), while a made-up token on a task never given to them is still refused
 * `not-assigned`.
 */
export class LeaseProofs {
  private key: Promise<Buffer> | null = null;

  /**
   * `db`: the connection to read the key with — inside a write, that write's transaction (SQLite
   * has one connection: a query beside an open transaction would wait for it forever).
   */
  private load(db: Kysely<Database>): Promise<Buffer> {
    this.key ??= db
      .selectFrom('server_meta')
      .select('value')
      .where('key', '=', KEY)
      .executeTakeFirstOrThrow()
      .then((row) => Buffer.from(row.value, 'base64url'))
      .catch((error: unknown) => {
        this.key = null;
        throw error;
      });
    return this.key;
  }

  /** a signer for one lease call */
  async signer(db: Kysely<Database>): Promise<(taskId: string, token: number, userId: string) => string> {
    const key = await this.load(db);
    return (taskId, token, userId) => proof(key, taskId, token, userId);
  }

  /** a checker for one push group */
  async checker(db: Kysely<Database>): Promise<LeaseProofCheck> {
    const key = await this.load(db);
    return (taskId, token, userId, given) => {
      if (!given) return false;
      const expected = Buffer.from(proof(key, taskId, token, userId));
      const actual = Buffer.from(given);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    };
  }
}

const proof = (key: Buffer, taskId: string, token: number, userId: string) =>
  createHmac('sha256', key).update(`${taskId}\n${token}\n${userId}`).digest('base64url').slice(0, 32);
