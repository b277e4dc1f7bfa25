import type { Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import type { MutationOutcome, TrainingMutation } from '../../shared/sync';
import type { CalibrationItem } from '../../shared/training/key';
import type { Caller } from '../context';
import { chunks } from '../db/batch';
import type { CalibrationAnswersTable, Database } from '../db/schema';
import { revealRound, roundComplete, roundItems, roundMembers, type RoundRow } from './calibration';

type Trx = Transaction<Database>;
export type CalibrationMutation = TrainingMutation & { ref: { kind: 'calibration' } };

/** the same words for a round that does not exist and one of another pod: no existence oracle */
const NOT_YOURS = 'no such calibration round of yours';

type Round = RoundRow & { parsed: CalibrationItem[]; memberIds: string[]; lead: string | null };

/** What the training batch checks for every answer: ids agreeing, a label fitting its task. */
export type AnswerChecks = {
  idsDisagree(m: TrainingMutation): string | null;
  problems(m: TrainingMutation, task: CalibrationItem['task']): MutationOutcome | null;
  stored(label: Label, caller: Caller, deviceId: string): Label;
  rejected(m: TrainingMutation, reason: 'forbidden' | 'invalid' | 'closed', message: string): MutationOutcome;
  accepted(m: TrainingMutation): MutationOutcome;
};

/**
 * Calibration answers of one push group (calibration.ts): loaded with their rounds (locked on
 * PostgreSQL), applied in order, written in `flush`, where a round every member has now answered
 * in full is revealed, in the push's transaction.
 */
export class CalibrationBatch {
  private rounds = new Map<string, Round>();
  /** `${userId} ${taskId}` per round id: who answered what */
  private answered = new Map<string, Set<string>>();
  private rows: CalibrationAnswersTable[] = [];
  private touched = new Set<string>();

  constructor(
    private readonly trx: Trx,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly nowIso: string,
    private readonly checks: AnswerChecks,
  ) {}

  async load(mutations: CalibrationMutation[]): Promise<void> {
    const ids = [...new Set(mutations.map((m) => m.ref.roundId))].sort();
    for (const batch of chunks(ids)) {
      let query = this.trx
        .selectFrom('calibration_rounds as r')
        .innerJoin('pods as p', 'p.id', 'r.pod_id')
        .selectAll('r')
        .select('p.lead_user_id')
        .where('r.id', 'in', batch)
        .orderBy('r.id');
      if (this.dialect === 'postgres') query = query.forUpdate('r');
      for (const { lead_user_id, ...row } of await query.execute())
        this.rounds.set(row.id, {
          ...row,
          parsed: roundItems(row),
          memberIds: roundMembers(row),
          lead: lead_user_id,
        });
      for (const a of await this.trx
        .selectFrom('calibration_answers')
        .select(['round_id', 'task_id', 'user_id'])
        .where('round_id', 'in', batch)
        .execute())
        this.answeredIn(a.round_id).add(`${a.user_id} ${a.task_id}`);
    }
  }

  private answeredIn(roundId: string): Set<string> {
    let set = this.answered.get(roundId);
    if (!set) this.answered.set(roundId, (set = new Set()));
    return set;
  }

  /** the tasks of the rounds loaded (their labels are checked against their taxonomy and template) */
  tasks(): CalibrationItem['task'][] {
    return [...this.rounds.values()].flatMap((r) => r.parsed.map((i) => i.task));
  }

  apply(m: CalibrationMutation, caller: Caller, deviceId: string): MutationOutcome {
    const c = this.checks;
    const round = this.rounds.get(m.ref.roundId);
    if (!round || !(round.memberIds.includes(caller.userId) || round.lead === caller.userId))
      return c.rejected(m, 'forbidden', NOT_YOURS);
    const disagree = c.idsDisagree(m);
    if (disagree) return c.rejected(m, 'invalid', disagree);
    const item = round.parsed.find((i) => i.task.id === m.taskId);
    if (!item) return c.rejected(m, 'invalid', `ref.taskId: the round has no item "${m.taskId}"`);
    if (round.revealed_at !== null)
      return c.rejected(m, 'closed', 'the round was revealed before this answer arrived');
    const answered = this.answeredIn(round.id);
    if (answered.has(`${caller.userId} ${m.taskId}`))
      return c.rejected(m, 'closed', 'answers are locked once submitted');
    const invalid = c.problems(m, item.task);
    if (invalid) return invalid;
    answered.add(`${caller.userId} ${m.taskId}`);
    this.rows.push({
      round_id: round.id,
      task_id: m.taskId,
      user_id: caller.userId,
      label: JSON.stringify(c.stored(m.label, caller, deviceId)),
      received_at: this.nowIso,
    });
    this.touched.add(round.id);
    return c.accepted(m);
  }

  async flush(): Promise<void> {
    for (const batch of chunks(this.rows))
      await this.trx.insertInto('calibration_answers').values(batch).execute();
    for (const id of this.touched) {
      const round = this.rounds.get(id)!;
      if (round.revealed_at === null && roundComplete(round, this.answeredIn(id)))
        await revealRound(this.trx, id, new Date(this.nowIso));
    }
  }
}
