import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Kysely } from 'kysely';
import type { KnownRefs } from '../../shared/import/parse';
import { stripBom, TaskLineValidator } from '../../shared/import/parse';
import type { Task } from '../../shared/task';
import { importTasks } from '../db/admin';
import type { Database } from '../db/schema';
import type { Print } from './admin';
import type { ProgressTarget } from './progress';
import { progressBar } from './progress';
import { CliError } from './usage';

const RESOURCES = path.resolve(import.meta.dirname, '../../resources');
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Ids a task may refer to: documents published on the server, plus the bundled defaults in
 * resources/ (which every workstation ships).
 */
export async function knownRefs(db: Kysely<Database>, resourcesDir = RESOURCES): Promise<KnownRefs> {
  const refs = { taxonomies: new Map<string, true>(), templates: new Map(), guidelines: new Map() };
  const byKind = { taxonomy: refs.taxonomies, template: refs.templates, guideline: refs.guidelines };
  const folders = { taxonomy: 'taxonomy', template: 'rationale', guideline: 'guidelines' } as const;
  for (const [kind, folder] of Object.entries(folders) as [keyof typeof folders, string][]) {
    const dir = path.join(resourcesDir, folder);
    for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (!file.endsWith('.json')) continue;
      const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { id?: unknown };
      if (typeof doc.id === 'string') byKind[kind].set(doc.id, true);
    }
  }
  for (const row of await db.selectFrom('config_docs').select(['kind', 'id']).execute()) {
    byKind[row.kind]?.set(row.id, true);
  }
  return refs;
}

/** Non-blank lines of a file with their 1-based numbers, read in chunks (split at '\n' only, like the workstation). */
async function* fileLines(
  file: string,
  onBytes: (bytes: number) => void,
): AsyncGenerator<{ number: number; line: string }> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    onBytes(bytes);
    const parts = (rest + decoder.write(chunk)).split('\n');
    rest = parts.pop()!;
    for (const part of parts) {
      const line = ++number === 1 ? stripBom(part) : part;
      if (line.trim() !== '') yield { number, line };
    }
  }
  const last = rest + decoder.end();
  const line = ++number === 1 ? stripBom(last) : last;
  if (line.trim() !== '') yield { number, line };
}

/** A task id is global: one that already belongs to another project is an error on its line. */
async function checkOwnership(
  db: Kysely<Database>,
  projectId: string,
  lines: Map<string, number>,
  validator: TaskLineValidator,
): Promise<void> {
  const ids = [...lines.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const taken = await db
      .selectFrom('tasks')
      .select(['id', 'project_id'])
      .where('id', 'in', ids.slice(i, i + 500))
      .where('project_id', '<>', projectId)
      .execute();
    for (const task of taken) {
      validator.report(lines.get(task.id)!, {
        path: 'id',
        message: `task "${task.id}" already belongs to project "${task.project_id}"`,
      });
    }
  }
  validator.errors.sort((a, b) => a.line - b.line);
}

export interface ImportOutcome {
  imported: number;
  duplicates: number;
}

/**
 * Validates the whole file first (every error, line-numbered, at most 100), then imports the
 * tasks in one transaction: a file with any bad line imports nothing. Tasks already in the
 * project, or repeated in the file, are counted as duplicates.
 */
export async function importFile(
  db: Kysely<Database>,
  file: string,
  projectId: string,
  io: { print: Print; printError: Print; progress: ProgressTarget },
): Promise<ImportOutcome> {
  const project = await db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
  if (!project) throw new CliError(`--project: no project "${projectId}"`);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }

  const validator = new TaskLineValidator(await knownRefs(db), sha256Hex);
  const tasks: Task[] = [];
  /** task id -> its line, to place errors found against the database */
  const lines = new Map<string, number>();
  let repeated = 0;
  const bar = progressBar(io.progress, `validating ${path.basename(file)}`, size);
  try {
    for await (const { number, line } of fileLines(file, (bytes) => bar.update(bytes))) {
      const task = validator.accept(number, line);
      if (validator.truncated) break;
      if (!task || validator.errors.length > 0) continue; // keep validating; nothing will be written
      if (lines.has(task.id)) repeated++;
      else {
        lines.set(task.id, number);
        tasks.push(task);
      }
    }
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  } finally {
    bar.finish();
  }

  if (validator.errors.length === 0) await checkOwnership(db, projectId, lines, validator);
  if (validator.errors.length > 0) {
    for (const e of validator.errors) io.printError(`${file}:${e.line}: ${e.path}: ${e.message}`);
    const more = validator.truncated ? ` (only the first ${validator.errors.length} are listed)` : '';
    throw new CliError(`${file}: nothing imported, ${validator.errors.length} error(s)${more}`);
  }
  let result;
  try {
    result = await importTasks(db, projectId, tasks);
  } catch (error) {
    throw new CliError(`${file}: nothing imported: ${(error as Error).message}`);
  }
  const outcome = { imported: result.inserted, duplicates: result.existing + repeated };
  io.print(
    `imported ${outcome.imported} task(s) into project ${projectId}` +
      (outcome.duplicates ? `; ${outcome.duplicates} already present or repeated, skipped` : ''),
  );
  return outcome;
}
