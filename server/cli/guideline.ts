import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { nextMinorVersion, type Guideline } from '../../shared/guideline';
import { changedSections } from '../../shared/guideline-diff';
import { DraftState, nextMajorVersion } from '../../shared/guideline-draft';
import { Id } from '../../shared/task';
import { OPERATOR } from '../audit/audit';
import type { Database } from '../db/schema';
import { listDrafts } from '../quality/guideline-drafts';
import { currentGuideline } from '../training/guidelines';
import { publishAudited } from '../training/publish-config';
import type { Parsed } from './args';
import { checked, optional, positionals } from './args';
import type { TrainingIo } from './training';
import { CliError, UsageError } from './usage';

type Db = Kysely<Database>;
const MAX_CHARS = 500_000;

/** The file's text: UTF-8, not empty, not too long; every refusal as `FILE: MESSAGE`. */
function readGuidelineText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (error as Error).message}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new CliError(`${file}: not UTF-8 text (the guideline is a Markdown file)`);
  }
  if (text.includes('\0')) throw new CliError(`${file}: not text (it holds NUL bytes)`);
  if (text.trim() === '') throw new CliError(`${file}: empty: the guideline's text is required`);
  if (text.length > MAX_CHARS)
    throw new CliError(`${file}: ${text.length} characters, at most ${MAX_CHARS} are allowed`);
  return text;
}

/**
 * `guideline publish FILE --minor|--major [--id ID]`: FILE (Markdown) becomes the whole text of
 * guideline ID (default "default"), published as its next minor or major version through the one
 * config publish path: stored, broadcast to every workstation, audited as the operator
 * (`config.publish`), and on a major version its certificates fall due. The title and golden
 * examples are kept. One transaction: an error publishes nothing.
 */
export async function guidelinePublish(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  const [file] = positionals(parsed, ['file']);
  const minor = parsed.values.minor === true;
  const major = parsed.values.major === true;
  if (minor === major)
    throw new UsageError(
      minor ? 'give --minor or --major, not both' : '--minor or --major is required',
      parsed.command,
    );
  const id = checked(Id, optional(parsed, 'id') ?? 'default', '--id', parsed.command);
  const markdown = readGuidelineText(file!);
  const now = (io.now ?? (() => new Date()))();
  const result = await db.transaction().execute(async (trx) => {
    const current = await currentGuideline(trx, id);
    if (!current) throw new CliError(`--id: no guideline "${id}" (published or bundled)`);
    const changes = changedSections({ markdown: current.markdown }, { markdown });
    if (changes.length === 0)
      throw new CliError(`${file}: the same text as version ${current.version}: nothing to publish`);
    const version = major ? nextMajorVersion(current.version) : nextMinorVersion(current.version);
    const doc: Guideline = { ...current, version, markdown };
    const { certificatesDue } = await publishAudited(trx, OPERATOR, { kind: 'guideline', doc }, now, {
      level: major ? 'major' : 'minor',
      changes,
    });
    return { from: current.version, version, changes, certificatesDue };
  });
  const list = result.changes.map((c) => `${c.change} "${c.heading}"`).join(', ');
  io.print(`published guideline ${id} version ${result.version} (was ${result.from}): ${list}`);
  if (major)
    io.print(
      `${result.certificatesDue} certificate(s) fall due: their holders re-certify within the grace period`,
    );
}

/**
 * `guideline drafts [--state open|published|rejected] [--pod P]`: the leads' drafts, newest first,
 * one per line (tab-separated): id, state, pod, guideline@base version, author, created, summary.
 */
export async function guidelineDrafts(db: Db, parsed: Parsed, io: TrainingIo): Promise<void> {
  positionals(parsed, []);
  const state = optional(parsed, 'state');
  const query = {
    state: state === undefined ? undefined : checked(DraftState, state, '--state', parsed.command),
    limit: 500,
  };
  const pod = optional(parsed, 'pod');
  const drafts = await listDrafts(
    db,
    pod === undefined ? undefined : checked(Id, pod, '--pod', parsed.command),
    query,
  );
  for (const d of drafts) {
    const decided = d.state === 'published' ? ` -> ${d.publishedVersion}` : '';
    const summary = d.summary.split('\n')[0]!.slice(0, 120);
    io.print(
      [
        d.id,
        d.state + decided,
        d.podId,
        `${d.guidelineId}@${d.baseVersion}`,
        d.author.displayName,
        d.createdAt,
        summary,
      ].join('\t'),
    );
  }
  io.printError(`${drafts.length} draft(s)`);
}
