import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Kysely } from 'kysely';
import type { KnownRefs } from '../../shared/import/parse';
import { stripBom, TaskLineValidator } from '../../shared/import/parse';
import type { Database } from '../db/schema';
import type { ImportResult } from '../db/task-import';
import { beginTaskImport } from '../db/task-import';
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

/**
 * Non-blank lines of a file with their 1-based numbers, read in chunks (split at '\n' only, like the
 * workstation). A read error is a CliError naming the file.
 */
async function* fileLines(
  file: string,
  onBytes: (bytes: number) => void,
): AsyncGenerator<{ number: number; line: string }> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  let bytes = 0;
  const chunks = fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
  try {
    // only read errors land here: an error in the consumer closes the generator instead
    for await (const chunk of chunks) {
      bytes += chunk.length;
      onBytes(bytes);
      const parts = (rest + decoder.write(chunk)).split('\n');
      rest = parts.pop()!;
      for (const part of parts) {
        const line = ++number === 1 ? stripBom(part) : part;
        if (line.trim() !== '') yield { number, line };
      }
    }
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const last = rest + decoder.end();
  const line = ++number === 1 ? stripBom(last) : last;
  if (line.trim() !== '') yield { number, line };
}

export interface ImportOutcome {
  imported: number;
  duplicates: number;
}

/**
 * Streams the file into the project at constant memory: each line is validated and the valid
 * tasks are inserted in chunks inside one transaction. After the first bad line nothing more is
 * inserted but validation goes on (every error, line-numbered, at most 100); a file with any error,
 * a task id of another project included, is rolled back: it imports nothing. Tasks already in the
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
  const run = await beginTaskImport(db, projectId, (foreign) =>
    validator.report(foreign.line, {
      path: 'id',
      message: `task "${foreign.id}" already belongs to project "${foreign.owner}"`,
    }),
  );
  let result: ImportResult | null = null;
  try {
    const bar = progressBar(io.progress, `importing ${path.basename(file)}`, size);
    try {
      for await (const { number, line } of fileLines(file, (bytes) => bar.update(bytes))) {
        const task = validator.accept(number, line);
        if (validator.truncated) break;
        if (task) await run.add(task, number);
        if (validator.errors.length > 0) run.abandon(); // keep validating; nothing more is written
      }
      if (!validator.truncated) await run.flush(); // the last chunk's ids are checked too
      if (validator.errors.length === 0) result = await run.commit();
    } finally {
      bar.finish();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: nothing imported: ${(error as Error).message}`);
  } finally {
    await run.rollback();
  }

  if (!result) {
    validator.errors.sort((a, b) => a.line - b.line);
    for (const e of validator.errors) io.printError(`${file}:${e.line}: ${e.path}: ${e.message}`);
    const more = validator.truncated ? ` (only the first ${validator.errors.length} are listed)` : '';
    throw new CliError(`${file}: nothing imported, ${validator.errors.length} error(s)${more}`);
  }
  const outcome = { imported: result.inserted, duplicates: result.existing };
  io.print(
    `imported ${outcome.imported} task(s) into project ${projectId}` +
      (outcome.duplicates ? `; ${outcome.duplicates} already present or repeated, skipped` : ''),
  );
  return outcome;
}
