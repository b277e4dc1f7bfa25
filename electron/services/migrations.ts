import type Database from 'better-sqlite3';

/**
 * Versioned schema migrations, tracked with `PRAGMA user_version`. Append only:
 * never edit a released migration; add the next version instead.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'queue, drafts, labels, settings, config documents',
    up(db) {
      db.exec(`
        CREATE TABLE tasks (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('ranking', 'pairwise')),
          body TEXT NOT NULL,
          prompt_preview TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'draft', 'submitted', 'escalated', 'skipped')),
          reason TEXT,
          note TEXT,
          updated_at TEXT NOT NULL,
          imported_at TEXT NOT NULL
        );
        CREATE INDEX tasks_by_state ON tasks (state, seq);

        -- Per-state counts kept by triggers, so summaries and queue positions
        -- never count a 100k-row table on the hot path.
        CREATE TABLE task_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO task_counts (state, n)
          VALUES ('pending', 0), ('draft', 0), ('submitted', 0), ('escalated', 0), ('skipped', 0);
        CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks BEGIN
          UPDATE task_counts SET n = n + 1 WHERE state = NEW.state;
        END;
        CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks BEGIN
          UPDATE task_counts SET n = n - 1 WHERE state = OLD.state;
        END;
        CREATE TRIGGER tasks_count_state AFTER UPDATE OF state ON tasks WHEN OLD.state <> NEW.state BEGIN
          UPDATE task_counts SET n = n - 1 WHERE state = OLD.state;
          UPDATE task_counts SET n = n + 1 WHERE state = NEW.state;
        END;

        CREATE TABLE drafts (
          task_id TEXT PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
          work TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE labels (
          id TEXT PRIMARY KEY,
          task_id TEXT NOT NULL UNIQUE REFERENCES tasks (id),
          body TEXT NOT NULL,
          -- the reviewer's WorkState as submitted, so re-editing restores it exactly
          work TEXT,
          revision INTEGER NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          synced_at TEXT
        );
        CREATE INDEX labels_unsynced ON labels (updated_at) WHERE synced_at IS NULL;

        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

        CREATE TABLE config_docs (
          kind TEXT NOT NULL CHECK (kind IN ('taxonomy', 'rationale', 'guideline')),
          id TEXT NOT NULL,
          version TEXT,
          body TEXT NOT NULL,
          PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
      `);
    },
  },
];

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the file's user_version, each in its own transaction. */
export function migrate(
  db: Database.Database,
  list: readonly Migration[] = migrations,
): { from: number; to: number } {
  const latest = list[list.length - 1]?.version ?? 0;
  const from = schemaVersion(db);
  if (from > latest) throw new Error(`schema version ${from} is newer than this build (${latest})`);
  for (const migration of list) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      // user_version lives in the file header page, so it commits atomically with the schema change
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: latest };
}
