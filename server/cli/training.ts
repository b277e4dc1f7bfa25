import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ImportIssue } from '../../shared/queue';
import { Id } from '../../shared/task';
import { Taxonomy } from '../../shared/taxonomy';
import { formatItemIssue, parseCourseFile, parseItemFile } from '../../shared/training/items-file';
import type { ItemRefs } from '../../shared/training/items-file';
import type { Database } from '../db/schema';
import { bundled } from '../sync/label-config';
import {
  createExam,
  ExamAlreadyRetired,
  grantCertificate,
  importCourse,
  listCertificates,
  retireExam,
  revokeCertificates,
  type ExamInput,
} from '../training/admin';
import { stratumOf } from '../training/serve';
import type { Print } from './admin';
import type { Parsed } from './args';
import { checked, numberOption, optional, positionals, required } from './args';
import { knownRefs } from './import';
import { CliError, UsageError } from './usage';

type Db = Kysely<Database>;
export type TrainingIo = { print: Print; printError: Print; now?: () => Date };

/** Tag ids an item's key may name: every taxonomy the server knows (published, else bundled). */
export async function knownTagIds(db: Db): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const taxonomy of bundled().taxonomy.values()) for (const tag of taxonomy.tags) ids.add(tag.id);
  const rows = await db.selectFrom('config_docs').select('body').where('kind', '=', 'taxonomy').execute();
  for (const row of rows) {
    const taxonomy = Taxonomy.safeParse(JSON.parse(row.body)).data;
    for (const tag of taxonomy?.tags ?? []) ids.add(tag.id);
  }
  return ids;
}

/** What an item file may refer to: known tag ids, and known taxonomies, templates and guidelines. */
export async function itemRefs(db: Db): Promise<ItemRefs> {
  return { tagIds: await knownTagIds(db), refs: await knownRefs(db) };
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Lists a file's issues as FILE:LINE: PATH: MESSAGE and refuses it as a whole. */
export function refuseFile(file: string, errors: ImportIssue[], truncated: boolean, io: TrainingIo): never {
  for (const issue of errors) io.printError(formatItemIssue(file, issue));
  const more = truncated ? ` (only the first ${errors.length} are listed)` : '';
  throw new CliError(`${file}: nothing imported, ${errors.length} error(s)${more}`);
}

/** `course import FILE --course ID`: a new version of the course, broadcast to every workstation. */
export async function courseImport(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [file] = positionals(parsed, ['file']);
  const courseId = checked(Id, required(parsed, 'course'), '--course', parsed.command);
  const result = parseCourseFile(readText(file!), { courseId, ...(await itemRefs(db)) });
  if (!result.ok) refuseFile(file!, result.errors, result.truncated, io);
  const course = result.value;
  const version = await importCourse(db, course, (io.now ?? (() => new Date()))());
  const items = course.modules.reduce((n, m) => n + m.items.length, 0);
  io.print(
    `imported course ${course.id} (${course.title}) version ${version}: ` +
      `${course.modules.length} module(s), ${items} item(s)`,
  );
}

/** a number option that must be given */
function requiredNumber(parsed: Parsed, name: string, range: Parameters<typeof numberOption>[2]): number {
  required(parsed, name);
  return numberOption(parsed, name, range)!;
}

const Title = z.string().min(1, 'must not be empty').max(300, 'must be at most 300 characters');
const StratifyPath = z
  .string()
  .regex(/^[\w-]+(\.[\w-]+)*$/, 'must be a dotted field path such as meta.topic');

/**
 * `exam create ID --skill S --bank FILE --draw N --pass P --attempts N --cooldown-hours H
 * --valid-days D [...]`: the options are checked first, then the bank (FILE:LINE: PATH: MESSAGE),
 * then that the draw fits; any error stores nothing.
 */
export async function examCreate(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [rawId] = positionals(parsed, ['id']);
  const id = checked(Id, rawId, 'ID', parsed.command);
  const skill = checked(Id, required(parsed, 'skill'), '--skill', parsed.command);
  const file = required(parsed, 'bank');
  const whole = { integer: true, min: 1 };
  const exam: ExamInput = {
    id,
    title: checked(Title, optional(parsed, 'title') ?? id, '--title', parsed.command),
    skill,
    guideline_id: checked(Id, optional(parsed, 'guideline') ?? 'default', '--guideline', parsed.command),
    draw: requiredNumber(parsed, 'draw', { ...whole, max: 500 }),
    pass_mark: requiredNumber(parsed, 'pass', { integer: false, min: 0, max: 1 }),
    max_attempts: requiredNumber(parsed, 'attempts', { ...whole, max: 100 }),
    cooldown_hours: requiredNumber(parsed, 'cooldown-hours', { integer: false, min: 0, max: 24 * 365 }),
    time_limit_min: numberOption(parsed, 'time-limit-min', { ...whole, max: 24 * 60 }) ?? null,
    valid_days: requiredNumber(parsed, 'valid-days', { ...whole, max: 3650 }),
    grace_days: numberOption(parsed, 'grace-days', { integer: true, min: 0, max: 3650 }) ?? 14,
    stratify: (() => {
      const path = optional(parsed, 'stratify');
      return path === undefined ? null : checked(StratifyPath, path, '--stratify', parsed.command);
    })(),
    promote: parsed.values.promote === true ? 1 : 0,
  };
  if (await db.selectFrom('exams').select('id').where('id', '=', id).executeTakeFirst())
    throw new CliError(`exam "${id}" already exists`);
  if (!(await knownRefs(db)).guidelines.has(exam.guideline_id))
    throw new CliError(
      `--guideline: no guideline "${exam.guideline_id}" (publish it first, or name a bundled one)`,
    );
  const result = parseItemFile(readText(file), { keys: 'required', ...(await itemRefs(db)) });
  if (!result.ok) refuseFile(file, result.errors, result.truncated, io);
  const bank = result.value;
  if (exam.draw > bank.length)
    throw new CliError(
      `--draw: ${exam.draw} items per attempt, but the bank ${file} holds only ${bank.length}`,
    );
  if (exam.stratify !== null && bank.every((item) => stratumOf(item, exam.stratify!) === null))
    throw new CliError(`--stratify: no item of ${file} has a value at "${exam.stratify}"`);
  await createExam(db, exam, bank, (io.now ?? (() => new Date()))());
  io.print(
    `created exam ${id} (${exam.title}) for skill ${skill}: ${exam.draw} of ${bank.length} items ` +
      `per attempt, pass mark ${exam.pass_mark}, ${exam.max_attempts} attempt(s), ` +
      `certificates valid ${exam.valid_days} days` +
      (exam.promote ? '; trainees who pass become reviewers' : ''),
  );
}

/** `exam retire ID`: the exam takes no new attempts; its certificates stay. */
export async function examRetire(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [rawId] = positionals(parsed, ['id']);
  const id = checked(Id, rawId, 'ID', parsed.command);
  try {
    if (!(await retireExam(db, id, (io.now ?? (() => new Date()))()))) throw new CliError(`no exam "${id}"`);
  } catch (error) {
    if (error instanceof ExamAlreadyRetired) throw new CliError(error.message);
    throw error;
  }
  io.print(`retired exam ${id}: it takes no new attempts; started attempts and certificates stay`);
}

async function userIdOf(db: Db, username: string, what: string): Promise<string> {
  const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (!user) throw new CliError(`${what}: no user "${username}"`);
  return user.id;
}

const COLUMNS = ['USER', 'SKILL', 'STATUS', 'EXAM', 'GUIDELINE', 'ISSUED', 'EXPIRES', 'DUE', 'REVOKED'];

/** `cert list [--user USERNAME]`: one aligned line per certificate, with its status now. */
export async function certList(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  positionals(parsed, []);
  const username = optional(parsed, 'user');
  const userId = username === undefined ? undefined : await userIdOf(db, username, '--user');
  const certificates = await listCertificates(db, { userId }, (io.now ?? (() => new Date()))());
  if (certificates.length === 0) {
    io.print(username === undefined ? 'no certificates' : `no certificates for ${username}`);
    return;
  }
  const rows = [
    COLUMNS,
    ...certificates.map((c) => [
      c.username,
      c.skill,
      c.status,
      c.examId,
      c.guidelineVersion ? `${c.guidelineId} ${c.guidelineVersion}` : c.guidelineId,
      c.issuedAt,
      c.expiresAt,
      c.dueAt ?? '-',
      c.revokedAt ?? '-',
    ]),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows)
    io.print(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

/** `cert revoke USERNAME --skill S`: production projects requiring S refuse the user's next lease. */
export async function certRevoke(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [username] = positionals(parsed, ['username']);
  const skill = checked(Id, required(parsed, 'skill'), '--skill', parsed.command);
  const userId = await userIdOf(db, username!, 'USERNAME');
  const revoked = await revokeCertificates(db, userId, skill, (io.now ?? (() => new Date()))());
  if (revoked === 0) throw new CliError(`${username} holds no unrevoked ${skill} certificate`);
  io.print(
    `revoked ${revoked} ${skill} certificate(s) of ${username}: ` +
      'projects requiring it refuse their next lease',
  );
}

/** `cert grant USERNAME --skill S`: a certificate without an exam (reviewers certified before). */
export async function certGrant(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [username] = positionals(parsed, ['username']);
  const skill = checked(Id, required(parsed, 'skill'), '--skill', parsed.command);
  const userId = await userIdOf(db, username!, 'USERNAME');
  const granted = await grantCertificate(db, userId, skill, (io.now ?? (() => new Date()))());
  if (!granted)
    throw new CliError(`no exam certifies ${skill}: create one first (exam create … --skill ${skill})`);
  io.print(`granted ${username} a ${skill} certificate, valid until ${granted.expiresAt}`);
}

/** `--requires-cert SKILL[,SKILL]` of `project create`: the skills, each a valid id. */
export function requiredCerts(parsed: Parsed): string[] {
  const text = optional(parsed, 'requires-cert');
  if (text === undefined) return [];
  const skills = text.split(',').map((s) => s.trim());
  if (skills.some((s) => s === ''))
    throw new UsageError('--requires-cert: a comma-separated list of skills, none empty', parsed.command);
  return [...new Set(skills.map((s) => checked(Id, s, '--requires-cert', parsed.command)))];
}
