import type { Kysely } from 'kysely';
import { Id } from '../../shared/task';
import type { Database } from '../db/schema';
import { closeShadowing, DEFAULT_SET_SIZE, openShadowing, ShadowRefused } from '../training/shadow';
import { audit, OPERATOR } from '../audit/audit';
import type { Parsed } from './args';
import { checked, numberOption, positionals, required } from './args';
import type { TrainingIo } from './training';
import { CliError } from './usage';

type Db = Kysely<Database>;

const refused = (error: unknown): never => {
  if (error instanceof ShadowRefused) throw new CliError(error.message);
  throw error;
};

/**
 * `shadow open --project P [--set-size N]`: trainees may shadow the project: label tasks certified
 * reviewers already labeled and, after submitting, see that label beside theirs. Again on an open
 * project: changes the set size.
 */
export async function shadowOpen(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  positionals(parsed, []);
  const projectId = checked(Id, required(parsed, 'project'), '--project', parsed.command);
  const setSize = numberOption(parsed, 'set-size', { integer: true, min: 1, max: 100 }) ?? DEFAULT_SET_SIZE;
  const now = (io.now ?? (() => new Date()))();
  const doc = await db
    .transaction()
    .execute(async (trx) => {
      const opened = await openShadowing(trx, projectId, setSize, now);
      await audit(trx, {
        actor: OPERATOR,
        action: 'shadow.open',
        targetType: 'project',
        targetId: projectId,
        after: { setSize },
        at: now,
      });
      return opened;
    })
    .catch(refused);
  io.print(
    `project ${doc.id} (${doc.name}) is open for shadowing: trainees draw sets of ${setSize} task(s) ` +
      'that certified reviewers labeled; their workstations show it at the next sync',
  );
}

/** `shadow close --project P`: no new sets; sets already drawn can still be finished. */
export async function shadowClose(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  positionals(parsed, []);
  const projectId = checked(Id, required(parsed, 'project'), '--project', parsed.command);
  const now = (io.now ?? (() => new Date()))();
  const doc = await db
    .transaction()
    .execute(async (trx) => {
      const closed = await closeShadowing(trx, projectId, now);
      await audit(trx, {
        actor: OPERATOR,
        action: 'shadow.close',
        targetType: 'project',
        targetId: projectId,
        after: { closedAt: now.toISOString() },
        at: now,
      });
      return closed;
    })
    .catch(refused);
  io.print(`project ${doc.id} (${doc.name}) is closed for shadowing: sets already drawn can be finished`);
}
