import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Kysely } from 'kysely';
import type { KnownRefs } from '../../shared/import/parse';
import { stripBom, TaskLineValidator } from '../../shared/import/parse';
import type { Database } from '../db/schema';
import type { ForeignTask, ImportResult } from '../db/task-import';
import { beginTaskImport, ForeignTaskCheck } from '../db/task-import';
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

/** The import's two reads of the file, as its progress bar names them. */
export type ImportPass = 'validating' | 'importing';

/** Test seams: they let a test act while the import runs instead of guessing when by timing. */
export interface ImportHooks {
  /** after each read from the file (up to 1 MiB) in either pass; `bytes` read so far */
  read?(pass: ImportPass, bytes: number): void;
  /** after the validation pass, before the insert pass takes the write lock */
  betweenPasses?(): void | Promise<void>;
}

export interface ImportIo {
  print: Print;
  printError: Print;
  progress: ProgressTarget;
  hooks?: ImportHooks;
}

const foreignIssue = (task: ForeignTask) => ({
  path: 'id',
  message: `task "${task.id}" already belongs to project "${task.owner}"`,
});

/**
 * Imports the file into the project in two passes at constant memory. The first validates every
 * line and checks, read-only, that no id belongs to another project: a file with any error imports
 * nothing (every error listed, line-numbered, at most 100), and no lock was taken. The second
 * re-reads the file inside one transaction, which holds SQLite's write lock from its start (the
 * server's writes wait), and inserts in chunks. It validates again as it goes, so a file that
 * changed between the passes is rolled back rather than half imported. Tasks already in the
 * project, or repeated in the file, are counted as duplicates.
 */
export async function importFile(
  db: Kysely<Database>,
  file: string,
  projectId: string,
  io: ImportIo,
): Promise<ImportOutcome> {
  const project = await db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
  if (!project) throw new CliError(`--project: no project "${projectId}"`);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }

  const refs = await knownRefs(db);
  const validatedBytes = await validatePass(db, file, size, projectId, refs, io);
  await io.hooks?.betweenPasses?.();
  const result = await insertPass(db, file, size, validatedBytes, projectId, refs, io);

  const outcome = { imported: result.inserted, duplicates: result.existing };
  io.print(
    `imported ${outcome.imported} task(s) into project ${projectId}` +
      (outcome.duplicates ? `; ${outcome.duplicates} already present or repeated, skipped` : ''),
  );
  return outcome;
}

/**
 * Pass 1, without a transaction: every line validated, every id checked against other projects.
 * Prints the errors and throws if there are any; otherwise returns the bytes read.
 */
async function validatePass(
  db: Kysely<Database>,
  file: string,
  size: number,
  projectId: string,
  refs: KnownRefs,
  io: ImportIo,
): Promise<number> {
  const validator = new TaskLineValidator(refs, sha256Hex);
  const ids = new ForeignTaskCheck(db, projectId, (task) => validator.report(task.line, foreignIssue(task)));
  let bytes = 0;
  const bar = progressBar(io.progress, `validating ${path.basename(file)}`, size);
  try {
    const onBytes = (read: number) => {
      bytes = read;
      bar.update(read);
      io.hooks?.read?.('validating', read);
    };
    for await (const { number, line } of fileLines(file, onBytes)) {
      const task = validator.accept(number, line);
      if (task) await ids.add(task.id, number);
      if (validator.truncated) break;
    }
    if (!validator.truncated) await ids.flush(); // the last chunk's ids
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: nothing imported: ${(error as Error).message}`);
  } finally {
    bar.finish();
  }

  if (validator.errors.length === 0) return bytes;
  validator.errors.sort((a, b) => a.line - b.line);
  for (const e of validator.errors) io.printError(`${file}:${e.line}: ${e.path}: ${e.message}`);
  const more = validator.truncated ? ` (only the first ${validator.errors.length} are listed)` : '';
  throw new CliError(`${file}: nothing imported, ${validator.errors.length} error(s)${more}`);
}

/**
 * Pass 2, in one transaction: re-reads the file and inserts it. Pass 1 found no error, so any error
 * now means the file (or, for an id of another project, the database) changed in between: the
 * transaction is rolled back at the first one and nothing is imported.
 */
async function insertPass(
  db: Kysely<Database>,
  file: string,
  size: number,
  validatedBytes: number,
  projectId: string,
  refs: KnownRefs,
  io: ImportIo,
): Promise<ImportResult> {
  const changed = (what: string) =>
    new CliError(`${file}: nothing imported: the file changed during the import (${what}); run it again`);
  const validator = new TaskLineValidator(refs, sha256Hex);
  let foreign: ForeignTask | null = null;
  const run = await beginTaskImport(db, projectId, (task) => (foreign ??= task));
  try {
    let bytes = 0;
    const bar = progressBar(io.progress, `importing ${path.basename(file)}`, size);
    try {
      const onBytes = (read: number) => {
        bytes = read;
        bar.update(read);
        io.hooks?.read?.('importing', read);
      };
      for await (const { number, line } of fileLines(file, onBytes)) {
        const task = validator.accept(number, line);
        if (!task) {
          const e = validator.errors[0]!;
          throw changed(`line ${e.line}: ${e.path}: ${e.message}`);
        }
        await run.add(task, number);
        if (foreign) break;
      }
      if (!foreign) await run.flush(); // the last chunk
    } finally {
      bar.finish();
    }
    if (foreign) {
      const { line, id, owner } = foreign as ForeignTask;
      throw new CliError(
        `${file}: nothing imported: line ${line}: task "${id}" already belongs to project "${owner}", ` +
          'which it did not when the file was validated (the file or the database changed); run it again',
      );
    }
    if (bytes !== validatedBytes) throw changed(`${bytes} bytes, ${validatedBytes} when validated`);
    return await run.commit();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: nothing imported: ${(error as Error).message}`);
  } finally {
    await run.rollback();
  }
}
