import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { UnknownTasksError, withdrawTasks } from '../db/withdraw';
import type { Print } from './admin';
import type { Parsed } from './args';
import { optional, required } from './args';
import { CliError, UsageError } from './usage';

/** `task withdraw --project P [ID ...] [--from FILE]` */
export async function taskWithdraw(db: Kysely<Database>, parsed: Parsed, print: Print): Promise<void> {
  const projectId = required(parsed, 'project');
  const ids = parsed.positionals.slice();
  const from = optional(parsed, 'from');
  if (from !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(from, 'utf8');
    } catch (error) {
      throw new CliError(`--from: cannot read ${from}: ${(error as Error).message}`);
    }
    ids.push(
      ...text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    );
  }
  if (ids.length === 0) throw new UsageError('give at least one task id (or --from FILE)', 'task withdraw');
  const project = await db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
  if (!project) throw new CliError(`--project: no project "${projectId}"`);
  let result;
  try {
    result = await withdrawTasks(db, projectId, ids);
  } catch (error) {
    if (error instanceof UnknownTasksError) throw new CliError(error.message);
    throw error;
  }
  print(
    `withdrew ${result.withdrawn} task(s) from project ${projectId}` +
      (result.already ? `; ${result.already} already withdrawn` : '') +
      `; ${result.notified} reviewer lease(s) ended`,
  );
}
