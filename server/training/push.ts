import type { Transaction } from 'kysely';
import type { MutationOutcome, TrainingMutation } from '../../shared/sync';
import type { AppContext, Caller } from '../context';
import type { Database } from '../db/schema';

type Trx = Transaction<Database>;

/**
 * The training answers of one push group (docs/training.md): loaded together, applied in order in
 * memory, written back in `flush`, inside the push's own transaction, so an answer is taken
 * exactly once like a label. Placeholder until the training tables land: every answer is refused.
 */
export class TrainingBatch {
  constructor(
    private readonly trx: Trx,
    private readonly ctx: AppContext,
    private readonly nowIso: string,
  ) {}

  async load(_mutations: TrainingMutation[]): Promise<void> {}

  apply(m: TrainingMutation, _caller: Caller, _deviceId: string): MutationOutcome {
    return {
      mutationId: m.id,
      status: 'rejected',
      reason: 'invalid',
      message: 'this server does not take training answers yet',
      flagged: null,
    };
  }

  async flush(): Promise<void> {}
}
