import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { CheckPolicy } from '../../shared/check-policy';
import { formatIssues } from '../../shared/contract';
import { Guideline } from '../../shared/guideline';
import { RationaleTemplate } from '../../shared/rationale';
import { Taxonomy } from '../../shared/taxonomy';
import { ConfigError } from './errors';
import type { Settings } from './settings';
import type { Store } from './store';

/** Tasks without `tags` / `rationale` / `guideline` use this id. */
export const DEFAULT_ID = 'default';

type DocKind = 'taxonomy' | 'rationale' | 'guideline';
const SOURCES: { kind: DocKind; folder: string; schema: z.ZodType<{ id: string }> }[] = [
  { kind: 'taxonomy', folder: 'taxonomy', schema: Taxonomy },
  { kind: 'rationale', folder: 'rationale', schema: RationaleTemplate },
  { kind: 'guideline', folder: 'guidelines', schema: Guideline },
];

/** Taxonomies, rationale templates, guidelines and the submit check policy, held in memory. */
export interface Config {
  readonly taxonomies: ReadonlyMap<string, Taxonomy>;
  readonly templates: ReadonlyMap<string, RationaleTemplate>;
  readonly guidelines: ReadonlyMap<string, Guideline>;
  readonly checkPolicy: CheckPolicy;
  /** the task's taxonomy, or the default one */
  taxonomy(id: string | undefined): Taxonomy;
  template(id: string | undefined): RationaleTemplate;
  /** the task's guideline, else the 'default' one, else null */
  guideline(id: string | undefined): Guideline | null;
  /** a document the server sent (already stored by the caller's transaction) */
  put(update: ConfigDocUpdate): void;
}

export type ConfigDocUpdate =
  | { kind: 'taxonomy'; doc: Taxonomy }
  | { kind: 'rationale'; doc: RationaleTemplate }
  | { kind: 'guideline'; doc: Guideline };

/** The settings key marking a document as the server's (the pull sets it; bundled files then yield). */
export const serverDocKey = (kind: DocKind, id: string) => `config.server:${kind}:${id}`;

/**
 * Loads the bundled resource files (a bad one is a startup error naming the file and
 * field), stores them in the database, and returns every configuration document known.
 */
export function loadConfig(store: Store, settings: Settings, resourcesDir: string): Config {
  const files = SOURCES.flatMap((source) => readResourceFolder(resourcesDir, source));
  const upsert = store.stmt(
    `INSERT INTO config_docs (kind, id, version, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, body = excluded.body`,
  );
  store.durable(() => {
    for (const { kind, doc } of files) {
      // a newer version the server sent (a published guideline) stays: the server decides
      if (settings.get(serverDocKey(kind, doc.id)) !== undefined) continue;
      const version = 'version' in doc && typeof doc.version === 'string' ? doc.version : null;
      upsert.run(kind, doc.id, version, JSON.stringify(doc));
    }
  });

  const rows = store.stmt('SELECT kind, id, body FROM config_docs ORDER BY kind, id').all() as {
    kind: DocKind;
    id: string;
    body: string;
  }[];
  const taxonomies = new Map<string, Taxonomy>();
  const templates = new Map<string, RationaleTemplate>();
  const guidelines = new Map<string, Guideline>();
  for (const row of rows) {
    const body: unknown = JSON.parse(row.body);
    if (row.kind === 'taxonomy') taxonomies.set(row.id, Taxonomy.parse(body));
    else if (row.kind === 'rationale') templates.set(row.id, RationaleTemplate.parse(body));
    else guidelines.set(row.id, Guideline.parse(body));
  }

  const defaultTaxonomy = taxonomies.get(DEFAULT_ID);
  const defaultTemplate = templates.get(DEFAULT_ID);
  if (!defaultTaxonomy) {
    throw new ConfigError(path.join(resourcesDir, 'taxonomy'), [
      { path: 'id', message: `no taxonomy with id "${DEFAULT_ID}"` },
    ]);
  }
  if (!defaultTemplate) {
    throw new ConfigError(path.join(resourcesDir, 'rationale'), [
      { path: 'id', message: `no rationale template with id "${DEFAULT_ID}"` },
    ]);
  }

  return {
    taxonomies,
    templates,
    guidelines,
    checkPolicy: readCheckPolicy(settings),
    taxonomy: (id) =>
      (id !== undefined ? taxonomies.get(id) : undefined) ?? taxonomies.get(DEFAULT_ID) ?? defaultTaxonomy,
    template: (id) =>
      (id !== undefined ? templates.get(id) : undefined) ?? templates.get(DEFAULT_ID) ?? defaultTemplate,
    guideline: (id) =>
      (id !== undefined ? guidelines.get(id) : undefined) ?? guidelines.get(DEFAULT_ID) ?? null,
    put(update) {
      if (update.kind === 'taxonomy') taxonomies.set(update.doc.id, update.doc);
      else if (update.kind === 'rationale') templates.set(update.doc.id, update.doc);
      else guidelines.set(update.doc.id, update.doc);
    },
  };
}

function readResourceFolder(
  resourcesDir: string,
  source: (typeof SOURCES)[number],
): { kind: DocKind; file: string; doc: { id: string } }[] {
  const folder = path.join(resourcesDir, source.folder);
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((name) => name.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const seen = new Map<string, string>();
  return names.sort().map((name) => {
    const file = path.join(folder, name);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(file, [{ path: '(json)', message: (error as Error).message }]);
    }
    const parsed = source.schema.safeParse(raw);
    if (!parsed.success) throw new ConfigError(file, formatIssues(parsed.error));
    const doc = parsed.data;
    const other = seen.get(doc.id);
    if (other)
      throw new ConfigError(file, [{ path: 'id', message: `"${doc.id}" is already defined in ${other}` }]);
    seen.set(doc.id, file);
    return { kind: source.kind, file, doc };
  });
}

/** Shared defaults, overridable with a `checkPolicy` JSON setting (a bad one is a startup error). */
function readCheckPolicy(settings: Settings): CheckPolicy {
  const raw = settings.get('checkPolicy');
  if (raw === undefined) return CheckPolicy.parse({});
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError('settings.checkPolicy', [{ path: '(json)', message: (error as Error).message }]);
  }
  const parsed = CheckPolicy.safeParse(value);
  if (!parsed.success) throw new ConfigError('settings.checkPolicy', formatIssues(parsed.error));
  return parsed.data;
}
