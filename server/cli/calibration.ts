import type { Kysely } from 'kysely';
import { z } from 'zod';
import { Id } from '../../shared/task';
import { parseItemFile } from '../../shared/training/items-file';
import type { Database } from '../db/schema';
import { createRound, revealRound, RoundRefused, roundItems, roundMembers } from '../training/calibration';
import { audit, OPERATOR } from '../audit/audit';
import type { Parsed } from './args';
import { checked, optional, positionals, required } from './args';
import { itemRefs, readText, refuseFile, type TrainingIo } from './training';
import { CliError, UsageError } from './usage';

type Db = Kysely<Database>;

const Title = z.string().min(1, 'must not be empty').max(300, 'must be at most 300 characters');

/** `--due`: a date (due at the end of that day, UTC) or an ISO-8601 time. */
function dueAt(parsed: Parsed): string {
  const text = required(parsed, 'due');
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = Date.parse(day ? `${text}T23:59:59.999Z` : text);
  if (Number.isNaN(at))
    throw new UsageError(
      `--due: "${text}" is not a date (YYYY-MM-DD, or a time such as 2026-01-12T17:00:00Z)`,
      parsed.command,
    );
  return new Date(at).toISOString();
}

/**
 * `calibration create --pod P --from FILE --due DATE [--title T]`: publishes a round to the pod's
 * trainees and reviewers (and its lead). Items as in an item file; keys optional (without one, the
 * lead's answer is the reference at the reveal).
 */
export async function calibrationCreate(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  positionals(parsed, []);
  const podId = checked(Id, required(parsed, 'pod'), '--pod', parsed.command);
  const file = required(parsed, 'from');
  const due = dueAt(parsed);
  const title = checked(
    Title,
    optional(parsed, 'title') ?? `Calibration due ${due.slice(0, 10)}`,
    '--title',
    parsed.command,
  );
  const result = parseItemFile(readText(file), { keys: 'optional', ...(await itemRefs(db)) });
  if (!result.ok) refuseFile(file, result.errors, result.truncated, io);
  const now = (io.now ?? (() => new Date()))();
  const round = await db
    .transaction()
    .execute(async (trx) => {
      const created = await createRound(
        trx,
        { podId, title, createdBy: null, dueAt: due, items: result.value },
        now,
      );
      await audit(trx, {
        actor: OPERATOR,
        action: 'calibration.create',
        targetType: 'calibration',
        targetId: created.id,
        after: { podId, title, dueAt: due, items: result.value.length },
        at: now,
      });
      return created;
    })
    .catch((error: unknown) => {
      if (error instanceof RoundRefused) throw new CliError(error.message);
      throw error;
    });
  io.print(
    `published calibration round ${round.id} (${title}) to pod ${podId}: ` +
      `${roundItems(round).length} item(s), ${roundMembers(round).length} member(s), due ${due}`,
  );
}

/** `calibration close ROUND_ID`: reveals the round now, whoever has answered. */
export async function calibrationClose(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [raw] = positionals(parsed, ['round_id']);
  const id = checked(Id, raw, 'ROUND_ID', parsed.command);
  const row = await db
    .selectFrom('calibration_rounds')
    .select(['revealed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new CliError(`no calibration round "${id}"`);
  const now = (io.now ?? (() => new Date()))();
  const revealed = await db.transaction().execute(async (trx) => {
    const done = await revealRound(trx, id, now);
    if (done)
      await audit(trx, {
        actor: OPERATOR,
        action: 'calibration.close',
        targetType: 'calibration',
        targetId: id,
        before: { revealedAt: null },
        after: { revealedAt: now.toISOString() },
        at: now,
      });
    return done;
  });
  io.print(
    revealed
      ? `revealed calibration round ${id}: members see the pod's answers at their next sync`
      : `calibration round ${id} was already revealed at ${row.revealed_at}`,
  );
}
