import fs from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'kysely';
import type { LabelContext } from '../../shared/label-validity';
import { RationaleTemplate } from '../../shared/rationale';
import type { Task } from '../../shared/task';
import { Taxonomy } from '../../shared/taxonomy';
import type { Database } from '../db/schema';

/** Tasks and projects that name no taxonomy or template use this id (as on the workstation). */
export const DEFAULT_DOC_ID = 'default';
const RESOURCES = path.resolve(import.meta.dirname, '../../resources');

type Docs = { taxonomy: Map<string, Taxonomy>; template: Map<string, RationaleTemplate> };
export type ProjectDocIds = { taxonomy_id: string | null; template_id: string | null };

const emptyDocs = (): Docs => ({ taxonomy: new Map(), template: new Map() });

/**
 * The bundled documents in resources/taxonomy and resources/rationale (every workstation ships
 * them, and the task import accepts their ids), read once per process through the shared schemas.
 * A file that does not parse is left out: the server then falls back as if it did not exist.
 */
let bundledDocs: Docs | null = null;
export function bundled(resourcesDir = RESOURCES): Docs {
  if (bundledDocs && resourcesDir === RESOURCES) return bundledDocs;
  const docs = emptyDocs();
  const read = <T extends { id: string }>(
    folder: string,
    parse: (raw: unknown) => T | null,
    into: Map<string, T>,
  ) => {
    const dir = path.join(resourcesDir, folder);
    for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
      if (!file.endsWith('.json')) continue;
      try {
        const doc = parse(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
        if (doc && !into.has(doc.id)) into.set(doc.id, doc);
      } catch {
        // unreadable JSON: not a document
      }
    }
  };
  read('taxonomy', (raw) => Taxonomy.safeParse(raw).data ?? null, docs.taxonomy);
  read('rationale', (raw) => RationaleTemplate.safeParse(raw).data ?? null, docs.template);
  if (resourcesDir === RESOURCES) bundledDocs = docs;
  return docs;
}

/** The ids a task's labels are checked against: the task's own, else its project's, else 'default'. */
export function docIdsOf(task: Pick<Task, 'tags' | 'rationale'>, project: ProjectDocIds) {
  return {
    taxonomy: task.tags ?? project.taxonomy_id ?? DEFAULT_DOC_ID,
    template: task.rationale ?? project.template_id ?? DEFAULT_DOC_ID,
  };
}

/**
 * The taxonomies and rationale templates one push batch needs, loaded in one query. The rule:
 * a document published on this server (config_docs) wins; else the bundled one with that id; an id
 * known to neither falls back to 'default' (published, else bundled), as the workstation does; with
 * no document at all (no resources folder and nothing published) that part of the check is skipped.
 */
export class LabelDocs {
  private published = emptyDocs();

  constructor(private readonly local: Docs = bundled()) {}

  async load(trx: Transaction<Database>, ids: { taxonomy: Iterable<string>; template: Iterable<string> }) {
    const taxonomyIds = [...new Set([...ids.taxonomy, DEFAULT_DOC_ID])];
    const templateIds = [...new Set([...ids.template, DEFAULT_DOC_ID])];
    const rows = await trx
      .selectFrom('config_docs')
      .select(['kind', 'id', 'body'])
      .where((eb) =>
        eb.or([
          eb.and([eb('kind', '=', 'taxonomy'), eb('id', 'in', taxonomyIds)]),
          eb.and([eb('kind', '=', 'template'), eb('id', 'in', templateIds)]),
        ]),
      )
      .execute();
    for (const row of rows) {
      let raw: unknown;
      try {
        raw = JSON.parse(row.body);
      } catch {
        continue; // published documents were validated; a damaged row counts as missing
      }
      if (row.kind === 'taxonomy') {
        const doc = Taxonomy.safeParse(raw).data;
        if (doc) this.published.taxonomy.set(row.id, doc);
      } else if (row.kind === 'template') {
        const doc = RationaleTemplate.safeParse(raw).data;
        if (doc) this.published.template.set(row.id, doc);
      }
    }
  }

  /** The taxonomy and template a label on `task` (in a project naming `project`'s ids) must fit. */
  contextOf(task: Task, project: ProjectDocIds): LabelContext {
    const ids = docIdsOf(task, project);
    return {
      task,
      taxonomy: pick([this.published.taxonomy, this.local.taxonomy], ids.taxonomy),
      template: pick([this.published.template, this.local.template], ids.template),
    };
  }
}

/** The document with this id from the first map holding it, else the default one, else null. */
function pick<T>(maps: Map<string, T>[], id: string): T | null {
  for (const key of [id, DEFAULT_DOC_ID])
    for (const map of maps) {
      const doc = map.get(key);
      if (doc) return doc;
    }
  return null;
}
