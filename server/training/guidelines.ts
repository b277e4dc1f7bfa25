import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { Guideline } from '../../shared/guideline';
import type { Database } from '../db/schema';

const RESOURCES = path.resolve(import.meta.dirname, '../../resources');

/** The bundled guidelines (resources/guidelines: every workstation ships them), by id. */
let bundledDocs: Map<string, Guideline> | null = null;
function bundled(): Map<string, Guideline> {
  if (bundledDocs) return bundledDocs;
  const docs = new Map<string, Guideline>();
  const dir = path.join(RESOURCES, 'guidelines');
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    if (!file.endsWith('.json')) continue;
    try {
      const doc = Guideline.safeParse(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))).data;
      if (doc && !docs.has(doc.id)) docs.set(doc.id, doc);
    } catch {
      // unreadable JSON: not a guideline
    }
  }
  return (bundledDocs = docs);
}

/** The version of a bundled guideline, if one has that id. */
export const bundledGuidelineVersion = (id: string): string | undefined => bundled().get(id)?.version;

/** The current text of a guideline: the published one (config_docs), else the bundled one, else null. */
export async function currentGuideline(
  db: Kysely<Database> | Transaction<Database>,
  id: string,
): Promise<Guideline | null> {
  const row = await db
    .selectFrom('config_docs')
    .select('body')
    .where('kind', '=', 'guideline')
    .where('id', '=', id)
    .executeTakeFirst();
  if (row) return Guideline.parse(JSON.parse(row.body));
  return bundled().get(id) ?? null;
}

/**
 * The current version of each guideline: the published one (config_docs) wins, else the bundled
 * one; a guideline known to neither is absent from the map.
 */
export async function guidelineVersions(
  db: Kysely<Database> | Transaction<Database>,
  ids: Iterable<string>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  const versions = new Map<string, string>();
  if (wanted.length === 0) return versions;
  const rows = await db
    .selectFrom('config_docs')
    .select(['id', 'version'])
    .where('kind', '=', 'guideline')
    .where('id', 'in', wanted)
    .execute();
  for (const row of rows) versions.set(row.id, row.version);
  for (const id of wanted) {
    const local = bundled().get(id)?.version;
    if (!versions.has(id) && local !== undefined) versions.set(id, local);
  }
  return versions;
}
