import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Role, Username } from '../../shared/identity';
import { Id } from '../../shared/task';
import {
  addUser,
  createPod,
  createProject,
  revokeUser,
  setEscalationTarget,
  setUserRole,
  setWellbeing,
} from '../db/admin';
import {
  AssignRefused,
  assignProjectIn,
  type ProjectAssignment,
  type ProjectScope,
} from '../db/project-assign';
import type { WellbeingRow } from '../db/admin';
import type { Database } from '../db/schema';
import { BREAK_MAX_MINUTES, BREAK_MIN_MINUTES, CAP_MAX, type WellbeingPatch } from '../../shared/wellbeing';
import type { Parsed } from './args';
import { checked, numberOption, optional, positionals, required } from './args';
import type { Stdin } from './stdin';
import { firstLine } from './stdin';
import { scopeWords } from './project-assign';
import { requiredCerts } from './training';
import { CliError, UsageError } from './usage';

type Db = Kysely<Database>;
export type Print = (line: string) => void;

export async function projectCreate(db: Db, parsed: Parsed, print: Print): Promise<void> {
  const [rawId] = positionals(parsed, ['id']);
  const id = checked(Id, rawId, 'ID', parsed.command);
  const name = required(parsed, 'name');
  const whole = { integer: true, min: 1, max: 100_000 };
  const project = {
    id,
    name,
    batchSize: numberOption(parsed, 'batch-size', { ...whole, max: 10_000 }),
    leaseHours: numberOption(parsed, 'lease-hours', { integer: false, min: 0.01, max: 24 * 365 }),
    ratingsPerTask: numberOption(parsed, 'ratings', { ...whole, max: 20 }),
    agreementShare: numberOption(parsed, 'agreement-share', { integer: false, min: 0, max: 1 }),
    agreementRatings: numberOption(parsed, 'agreement-ratings', { ...whole, max: 20 }),
    production: parsed.values.sandbox !== true,
    requiresCerts: requiredCerts(parsed),
    escalationTargetHours: escalationTarget(parsed),
    wellbeing: wellbeingOptions(parsed),
    // closed unless said otherwise: a new project's prompts reach nobody by omission
    podScoped: parsed.values['all-pods'] !== true,
  };
  const access = createAccess(parsed);
  if (await db.selectFrom('projects').select('id').where('id', '=', id).executeTakeFirst()) {
    throw new CliError(`project "${id}" already exists`);
  }
  const scope = await db.transaction().execute(async (trx) => {
    await createProject(trx, project);
    let last: ProjectScope = { allPods: !project.podScoped, pods: [], users: [] };
    for (const change of access)
      try {
        last = (await assignProjectIn(trx, id, change, new Date().toISOString())).scope;
      } catch (error) {
        if (error instanceof AssignRefused) throw new CliError(`${error.message}: nothing created`);
        throw error;
      }
    return last;
  });
  print(
    `created project ${id} (${name})` +
      (project.requiresCerts.length ? `; requires certificates: ${project.requiresCerts.join(', ')}` : ''),
  );
  print(`project ${id}: ${scopeWords(scope)}`);
  if (Object.keys(project.wellbeing).length)
    print(
      `project ${id}: ${wellbeingWords({ perDay: null, perSession: null, breakAfterMinutes: null, ...project.wellbeing })}`,
    );
  // not an error (the exam may come later), but until then nobody but an admin can lease here
  for (const skill of project.requiresCerts)
    if (!(await db.selectFrom('exams').select('id').where('skill', '=', skill).executeTakeFirst()))
      print(`note: no exam certifies ${skill} yet: create one with \`exam create … --skill ${skill}\``);
}

/** `--pod ID[,ID]`, `--user U[,U]`, `--all-pods`: who may see a new project (project-assign.ts) */
function createAccess(parsed: Parsed): ProjectAssignment[] {
  const list = (name: string) =>
    (optional(parsed, name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const pods = list('pod').map((p) => checked(Id, p, '--pod', parsed.command));
  const users = list('user').map((u) => checked(Username, u, '--user', parsed.command));
  if (parsed.values['all-pods'] === true && pods.length + users.length > 0)
    throw new UsageError(
      '--all-pods opens the project to every pod: give it without --pod or --user',
      parsed.command,
    );
  return [...pods.map((pod) => ({ pod })), ...users.map((user) => ({ user }))];
}

/** `--escalation-target HOURS`: how long a lead has to answer an escalation (0.25 h .. 90 days) */
const escalationTarget = (parsed: Parsed) =>
  numberOption(parsed, 'escalation-target', { integer: false, min: 0.25, max: 24 * 90 });

/**
 * `project set ID [--escalation-target HOURS] [--sensitive-per-day N|none]
 * [--sensitive-per-session N|none] [--break-after MINUTES|none]`: changes an existing project's
 * settings, each audited (`project.set`, before and after).
 */
export async function projectSet(db: Db, parsed: Parsed, print: Print): Promise<void> {
  const [rawId] = positionals(parsed, ['id']);
  const id = checked(Id, rawId, 'ID', parsed.command);
  const hours = escalationTarget(parsed);
  const wellbeing = wellbeingOptions(parsed);
  if (hours === undefined && Object.keys(wellbeing).length === 0)
    throw new UsageError(
      'nothing to set: give --escalation-target HOURS, --sensitive-per-day N, --sensitive-per-session N or --break-after MINUTES',
      parsed.command,
    );
  if (!(await db.selectFrom('projects').select('id').where('id', '=', id).executeTakeFirst()))
    throw new CliError(`no project "${id}"`);
  if (hours !== undefined) {
    await setEscalationTarget(db, id, hours);
    print(`project ${id}: escalations are overdue after ${hours} h`);
  }
  if (Object.keys(wellbeing).length === 0) return;
  const now = await setWellbeing(db, id, wellbeing);
  if (now) print(`project ${id}: ${wellbeingWords(now)}`);
}

/** a cap or a duration option: a number within bounds, or `none` (no cap, no reminder) */
function nullableNumber(
  parsed: Parsed,
  name: string,
  bounds: { integer: boolean; min: number; max: number },
): number | null | undefined {
  if (optional(parsed, name)?.trim().toLowerCase() === 'none') return null;
  return numberOption(parsed, name, bounds);
}

/** `--sensitive-per-day N`, `--sensitive-per-session N`, `--break-after MINUTES` (docs/wellbeing.md) */
function wellbeingOptions(parsed: Parsed): WellbeingPatch {
  const cap = { integer: true, min: 1, max: CAP_MAX };
  const patch: WellbeingPatch = {};
  const perDay = nullableNumber(parsed, 'sensitive-per-day', cap);
  const perSession = nullableNumber(parsed, 'sensitive-per-session', cap);
  const breakAfter = nullableNumber(parsed, 'break-after', {
    integer: false,
    min: BREAK_MIN_MINUTES,
    max: BREAK_MAX_MINUTES,
  });
  if (perDay !== undefined) patch.perDay = perDay;
  if (perSession !== undefined) patch.perSession = perSession;
  if (breakAfter !== undefined) patch.breakAfterMinutes = breakAfter;
  return patch;
}

const wellbeingWords = (w: WellbeingRow) =>
  [
    `sensitive tasks per day: ${w.perDay ?? 'no cap'}`,
    `per session: ${w.perSession ?? 'no cap'}`,
    `break reminder: ${w.breakAfterMinutes === null ? 'none' : `after ${w.breakAfterMinutes} min`}`,
  ].join('; ');

export async function podCreate(db: Db, parsed: Parsed, print: Print): Promise<void> {
  const [rawId] = positionals(parsed, ['id']);
  const id = checked(Id, rawId, 'ID', parsed.command);
  const name = required(parsed, 'name');
  const leadName = optional(parsed, 'lead');
  if (await db.selectFrom('pods').select('id').where('id', '=', id).executeTakeFirst()) {
    throw new CliError(`pod "${id}" already exists`);
  }
  await db.transaction().execute(async (trx) => {
    let leadId: string | null = null;
    if (leadName !== undefined) {
      const lead = await trx
        .selectFrom('users')
        .select(['id', 'role', 'revoked_at'])
        .where('username', '=', leadName)
        .executeTakeFirst();
      if (!lead) throw new CliError(`--lead: no user "${leadName}"`);
      if (lead.role !== 'lead') throw new CliError(`--lead: "${leadName}" has role ${lead.role}, not lead`);
      if (lead.revoked_at) throw new CliError(`--lead: "${leadName}" is revoked`);
      leadId = lead.id;
    }
    await createPod(trx, { id, name });
    if (leadId) {
      await trx.updateTable('pods').set({ lead_user_id: leadId }).where('id', '=', id).execute();
      await trx.updateTable('users').set({ pod_id: id }).where('id', '=', leadId).execute();
    }
  });
  print(`created pod ${id} (${name})${leadName ? ` led by ${leadName}` : ''}`);
}

/** Logins accept passwords of at most this many characters (shared/identity.ts). */
const MAX_PASSWORD = 1024;

/** The password of --password or --password-stdin (first line of standard input); undefined: none given. */
async function givenPassword(parsed: Parsed, stdin: Stdin | undefined): Promise<string | undefined> {
  const inline = optional(parsed, 'password');
  if (parsed.values['password-stdin'] !== true) return checkedPassword('--password', inline);
  if (inline !== undefined) {
    throw new UsageError('--password and --password-stdin: give one, not both', parsed.command);
  }
  if (!stdin || stdin.isTTY) {
    throw new UsageError(
      '--password-stdin: standard input is a terminal; pipe the password in (from a password manager or a file)',
      parsed.command,
    );
  }
  const line = await firstLine(stdin, MAX_PASSWORD);
  if (line === '') throw new CliError('--password-stdin: the first line of standard input is empty');
  return checkedPassword('--password-stdin', line);
}

function checkedPassword(option: string, password: string | undefined): string | undefined {
  if (password === undefined) return undefined;
  if (password.length < 8) throw new CliError(`${option}: must be at least 8 characters`);
  if (password.length > MAX_PASSWORD) {
    throw new CliError(`${option}: must be at most ${MAX_PASSWORD} characters`);
  }
  return password;
}

export async function userAdd(db: Db, parsed: Parsed, print: Print, stdin?: Stdin): Promise<void> {
  const [rawName] = positionals(parsed, ['username']);
  const username = checked(Username, rawName, 'USERNAME', parsed.command);
  const role = checked(Role, required(parsed, 'role'), '--role', parsed.command);
  const podId = optional(parsed, 'pod');
  const given = await givenPassword(parsed, stdin);
  if (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) {
    throw new CliError(`user "${username}" already exists`);
  }
  if (
    podId !== undefined &&
    !(await db.selectFrom('pods').select('id').where('id', '=', podId).executeTakeFirst())
  ) {
    throw new CliError(`--pod: no pod "${podId}"`);
  }
  const password = given ?? randomBytes(18).toString('base64url');
  await addUser(db, {
    username,
    role,
    podId: podId ?? null,
    password,
    displayName: optional(parsed, 'name'),
  });
  print(`added ${role} ${username}${podId ? ` to pod ${podId}` : ''}`);
  if (given === undefined) print(`password (shown once): ${password}`);
}

/** `user role USERNAME --role ROLE`: promote a certified trainee (or change any role). */
export async function userRole(db: Db, parsed: Parsed, print: Print): Promise<void> {
  const [username] = positionals(parsed, ['username']);
  const role = checked(Role, required(parsed, 'role'), '--role', parsed.command);
  const before = await setUserRole(db, username!, role);
  if (before === null) throw new CliError(`no user "${username}"`);
  print(
    before === role
      ? `${username} is already a ${role}`
      : `${username}: ${before} -> ${role} (applies at their next request)`,
  );
}

export async function userRevoke(db: Db, parsed: Parsed, print: Print): Promise<void> {
  const [username] = positionals(parsed, ['username']);
  const wipe = parsed.values.wipe === true;
  if (!(await revokeUser(db, username!, { wipe }))) throw new CliError(`no user "${username}"`);
  print(`revoked ${username}: their sessions end at their next request`);
  if (wipe)
    print(
      `wipe ordered for ${username}'s devices: each deletes their data at its next contact (see: device list)`,
    );
}
