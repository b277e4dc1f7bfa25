import type { Kysely } from 'kysely';
import { MAX_GOLD_RATE } from '../../shared/gold';
import { MAX_QA_SHARE, Permission } from '../../shared/qa';
import { Id } from '../../shared/task';
import { parseItemFile } from '../../shared/training/items-file';
import { audit, OPERATOR } from '../audit/audit';
import type { Database } from '../db/schema';
import { GoldRefused, importGold } from '../quality/gold-import';
import { sampleForQa } from '../quality/sample';
import { qualitySettings, setPermission, updateQualitySettings } from '../quality/settings';
import type { Parsed } from './args';
import { checked, numberOption, optional, positionals, required } from './args';
import { itemRefs, readText, refuseFile, type TrainingIo } from './training';
import { CliError } from './usage';

type Db = Kysely<Database>;
const nowOf = (io: TrainingIo) => (io.now ?? (() => new Date()))();

async function projectExists(db: Db, projectId: string): Promise<void> {
  if (!(await db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst()))
    throw new CliError(`project "${projectId}" does not exist`);
}

/**
 * `gold import FILE --project P --rate R`: the file's items (task + key, docs/training.md "Item
 * files") become the project's silent gold, mixed into leases at rate R. The rate is checked first,
 * then every line (FILE:LINE: PATH: MESSAGE, keys against their responses), then the ids; any
 * error stores nothing.
 */
export async function goldImport(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [file] = positionals(parsed, ['file']);
  const projectId = checked(Id, required(parsed, 'project'), '--project', parsed.command);
  required(parsed, 'rate');
  const rate = numberOption(parsed, 'rate', { integer: false, min: 0, max: MAX_GOLD_RATE })!;
  await projectExists(db, projectId);
  const result = parseItemFile(readText(file!), { keys: 'required', ...(await itemRefs(db)) });
  if (!result.ok) refuseFile(file!, result.errors, result.truncated, io);
  const now = nowOf(io);
  try {
    const { inserted, total } = await importGold(db, projectId, result.value, rate, now);
    await audit(db, {
      actor: OPERATOR,
      action: 'gold.import',
      targetType: 'project',
      targetId: projectId,
      after: { inserted, total, rate },
      at: now,
    });
    io.print(
      `imported ${inserted} gold task(s) into ${projectId} (${total} in all), mixed into leases at rate ${rate}`,
    );
  } catch (error) {
    if (error instanceof GoldRefused) throw new CliError(`${file}: nothing imported: ${error.message}`);
    throw error;
  }
}

/**
 * `qa configure --project P --share S [--overrides] [--seed SEED]`: the project's QA share (0..0.5),
 * whether a re-rating replaces the original in trl/openai exports (`--overrides`; raw keeps both),
 * and the sampling seed (kept when not given; a random one the first time).
 */
export async function qaConfigure(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  positionals(parsed, []);
  const projectId = checked(Id, required(parsed, 'project'), '--project', parsed.command);
  required(parsed, 'share');
  const share = numberOption(parsed, 'share', { integer: false, min: 0, max: MAX_QA_SHARE })!;
  const seed = optional(parsed, 'seed');
  if (seed !== undefined) checked(Id, seed, '--seed', parsed.command);
  await projectExists(db, projectId);
  const now = nowOf(io);
  const before = await qualitySettings(db, projectId);
  const after = await db.transaction().execute(async (trx) => {
    const next = await updateQualitySettings(
      trx,
      projectId,
      {
        qa_share: share,
        qa_replaces: parsed.values.overrides === true ? 1 : 0,
        ...(seed ? { qa_seed: seed } : {}),
      },
      now,
    );
    await audit(trx, {
      actor: OPERATOR,
      action: 'qa.configure',
      targetType: 'project',
      targetId: projectId,
      before: before ?? undefined,
      after: next,
      at: now,
    });
    return next;
  });
  io.print(
    `QA for ${projectId}: share ${after.qa_share}, seed ${after.qa_seed}, ` +
      (after.qa_replaces
        ? 're-ratings replace originals in trl/openai exports'
        : 'originals stay in exports'),
  );
}

/**
 * `qa sample --project P [--seed SEED]`: samples the project's completed labels now (stratified per
 * reviewer, docs/lead-workspace.md) with its seed or the one given, and prints the run.
 */
export async function qaSample(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  positionals(parsed, []);
  const projectId = checked(Id, required(parsed, 'project'), '--project', parsed.command);
  const seedOption = optional(parsed, 'seed');
  if (seedOption !== undefined) checked(Id, seedOption, '--seed', parsed.command);
  await projectExists(db, projectId);
  const settings = await qualitySettings(db, projectId);
  if (!settings) throw new CliError(`project "${projectId}" has no QA share: run \`qa configure\` first`);
  const now = nowOf(io);
  const run = await db.transaction().execute(async (trx) => {
    const r = await sampleForQa(trx, projectId, {
      share: settings.qa_share,
      seed: seedOption ?? settings.qa_seed,
      now,
    });
    await audit(trx, {
      actor: OPERATOR,
      action: 'qa.sample',
      targetType: 'project',
      targetId: projectId,
      after: { run: r.id, seed: r.seed, share: r.share, considered: r.considered, sampled: r.sampled },
      at: now,
    });
    return r;
  });
  const names = new Map(
    (await db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.id, u.username]),
  );
  io.print(
    `QA run ${run.id} of ${projectId}: seed ${run.seed}, share ${run.share}: ` +
      `${run.sampled} of ${run.considered} label(s) sampled`,
  );
  for (const [userId, n] of [...run.perReviewer].sort((a, b) =>
    names.get(a[0])! < names.get(b[0])! ? -1 : 1,
  ))
    io.print(`  ${names.get(userId) ?? userId}: ${n}`);
}

/** `user grant USERNAME PERMISSION [--revoke]`: e.g. `qa` lets a reviewer re-rate QA samples of any pod. */
export async function userGrant(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [username, rawPermission] = positionals(parsed, ['username', 'permission']);
  const permission = checked(Permission, rawPermission, 'PERMISSION', parsed.command);
  const user = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('username', '=', username!)
    .executeTakeFirst();
  if (!user) throw new CliError(`no user "${username}"`);
  if (user.role === 'trainee')
    throw new CliError(`"${username}" is a trainee: only reviewers, leads and admins re-rate`);
  const grant = parsed.values.revoke !== true;
  const now = nowOf(io);
  const changed = await db.transaction().execute(async (trx) => {
    const did = await setPermission(trx, user.id, permission, grant, now);
    if (did)
      await audit(trx, {
        actor: OPERATOR,
        action: grant ? 'user.grant' : 'user.ungrant',
        targetType: 'user',
        targetId: user.id,
        before: { [permission]: !grant },
        after: { [permission]: grant },
        at: now,
      });
    return did;
  });
  io.print(
    grant
      ? `${username} ${changed ? 'now has' : 'already had'} the ${permission} permission`
      : `${username} ${changed ? 'no longer has' : 'did not have'} the ${permission} permission`,
  );
}
