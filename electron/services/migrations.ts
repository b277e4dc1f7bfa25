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
  {
    version: 2,
    name: 'sync: session, outbox, leases',
    up(db) {
      db.exec(`
        -- at most one signed-in session; the token is kept as SecretPort ciphertext
        CREATE TABLE session (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          server_url TEXT NOT NULL,
          user_json TEXT NOT NULL,
          token BLOB,
          token_protection TEXT NOT NULL CHECK (token_protection IN ('os', 'file', 'memory')),
          expires_at TEXT NOT NULL,
          signed_in_at TEXT NOT NULL,
          last_contact_at TEXT NOT NULL,
          cached_session_days INTEGER NOT NULL,
          -- set when the server refused the token (401/403): sign in again
          sign_in_reason TEXT
        );

        -- Mutations for the server, written in the same transaction as the local change.
        -- mutation_id (per-device, monotonic, no gaps: the server insists) is given when a row is
        -- first sent, in seq order; a row quarantined before the server applied it gives its id back.
        -- Rows are never deleted.
        CREATE TABLE outbox (
          seq INTEGER PRIMARY KEY,
          mutation_id INTEGER UNIQUE,
          type TEXT NOT NULL CHECK (type IN ('label.submit', 'task.skip', 'task.escalate')),
          task_id TEXT NOT NULL,
          -- the mutation without id and leaseToken
          payload TEXT NOT NULL,
          lease_token INTEGER NOT NULL,
          created_at TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'accepted', 'quarantined')),
          reason TEXT,
          message TEXT,
          flagged TEXT,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX outbox_unsent ON outbox (seq) WHERE state IN ('queued', 'sent');
        CREATE INDEX outbox_by_task ON outbox (task_id, state);

        -- Tasks that came from the server hold a lease; locally imported ones do not.
        CREATE TABLE leases (
          task_id TEXT PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
          project_id TEXT NOT NULL,
          lease_token INTEGER NOT NULL,
          expires_at TEXT NOT NULL,
          -- the server withdrew the task but it was kept for the reviewer's unsent work
          withdrawn TEXT CHECK (withdrawn IN ('lease-expired', 'revoked'))
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 3,
    name: 'sync: mutation ids per device id, history digests',
    up(db) {
      // The sync device id can change (the server registers a new one for a cloned install), and
      // mutation ids are per device id: unique per (device_id, mutation_id), not globally.
      // chain: the history digest after this mutation (shared/history.ts), given with its id.
      // Rows numbered before v3 belong to the install's first device id; their digest is unknown.
      db.exec(`
        CREATE TABLE outbox_v3 (
          seq INTEGER PRIMARY KEY,
          device_id TEXT,
          mutation_id INTEGER,
          chain TEXT,
          type TEXT NOT NULL CHECK (type IN ('label.submit', 'task.skip', 'task.escalate')),
          task_id TEXT NOT NULL,
          payload TEXT NOT NULL,
          lease_token INTEGER NOT NULL,
          created_at TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'accepted', 'quarantined')),
          reason TEXT,
          message TEXT,
          flagged TEXT,
          updated_at TEXT NOT NULL,
          UNIQUE (device_id, mutation_id)
        );
        INSERT INTO outbox_v3 (seq, device_id, mutation_id, chain, type, task_id, payload, lease_token,
                               created_at, state, reason, message, flagged, updated_at)
          SELECT seq, CASE WHEN mutation_id IS NULL THEN NULL
                           ELSE (SELECT value FROM settings WHERE key = 'deviceId') END,
                 mutation_id, NULL, type, task_id, payload, lease_token, created_at, state, reason,
                 message, flagged, updated_at
          FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_v3 RENAME TO outbox;
        CREATE INDEX outbox_unsent ON outbox (seq) WHERE state IN ('queued', 'sent');
        CREATE INDEX outbox_by_task ON outbox (task_id, state);
      `);
    },
  },
  {
    version: 4,
    name: 'sync: lease proofs',
    up(db) {
      // the server's signature of each lease, sent back with the work done on it: a server restored
      // from a backup forgets leases it gave after the backup, and the proof is how it knows them
      db.exec(`
        ALTER TABLE leases ADD COLUMN lease_proof TEXT;
        ALTER TABLE outbox ADD COLUMN lease_proof TEXT;
      `);
    },
  },
  {
    version: 5,
    name: 'training: documents, answers, sandbox attempts; the outbox takes training answers',
    up(db) {
      // The outbox's type check names the mutation types, and SQLite cannot alter a check: the table
      // is rebuilt with every row, seq and id kept. Training answers hold no lease: lease_token 0.
      db.exec(`
        CREATE TABLE outbox_v5 (
          seq INTEGER PRIMARY KEY,
          device_id TEXT,
          mutation_id INTEGER,
          chain TEXT,
          type TEXT NOT NULL
            CHECK (type IN ('label.submit', 'task.skip', 'task.escalate', 'training.answer')),
          task_id TEXT NOT NULL,
          payload TEXT NOT NULL,
          lease_token INTEGER NOT NULL,
          created_at TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'accepted', 'quarantined')),
          reason TEXT,
          message TEXT,
          flagged TEXT,
          updated_at TEXT NOT NULL,
          lease_proof TEXT,
          UNIQUE (device_id, mutation_id)
        );
        INSERT INTO outbox_v5 (seq, device_id, mutation_id, chain, type, task_id, payload, lease_token,
                               created_at, state, reason, message, flagged, updated_at, lease_proof)
          SELECT seq, device_id, mutation_id, chain, type, task_id, payload, lease_token,
                 created_at, state, reason, message, flagged, updated_at, lease_proof
          FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_v5 RENAME TO outbox;
        CREATE INDEX outbox_unsent ON outbox (seq) WHERE state IN ('queued', 'sent');
        CREATE INDEX outbox_by_task ON outbox (task_id, state);

        -- Courses, exams, attempts, certificates, calibration rounds of the signed-in account, as the
        -- pull feed last sent them: server-derived, replaced by newer copies, dropped on a reset.
        CREATE TABLE training_docs (
          kind TEXT NOT NULL CHECK (kind IN ('course', 'exam', 'attempt', 'certificate', 'calibration')),
          id TEXT NOT NULL,
          body TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;

        -- The user's answer to one training item (shared/training/ref.ts, trainingRefKey). Keyed by
        -- owner too: two accounts on one computer take the same course items.
        -- parent_id: the course, attempt or round; outbox_seq: the row that carries the latest submit.
        CREATE TABLE training_answers (
          owner_id TEXT NOT NULL,
          ref_key TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('sandbox', 'exam', 'calibration')),
          parent_id TEXT NOT NULL,
          task_id TEXT NOT NULL,
          prompt_preview TEXT NOT NULL DEFAULT '',
          state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
          -- null: a sandbox item retried, nothing entered yet
          work TEXT,
          label TEXT,
          feedback TEXT,
          attempts INTEGER NOT NULL DEFAULT 0,
          outbox_seq INTEGER,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (owner_id, ref_key)
        ) WITHOUT ROWID;
        CREATE INDEX training_answers_by_parent ON training_answers (owner_id, kind, parent_id);

        -- Every sandbox try, scored on this computer (the same scoring as the server's).
        CREATE TABLE training_attempts (
          owner_id TEXT NOT NULL,
          ref_key TEXT NOT NULL,
          attempt INTEGER NOT NULL,
          score REAL NOT NULL,
          correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
          active_ms INTEGER NOT NULL,
          label TEXT NOT NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY (owner_id, ref_key, attempt)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 6,
    name: 'shadowing: training documents and answers of kind shadow',
    up(db) {
      // SQLite cannot widen a CHECK: both tables are rebuilt with the new kinds, rows kept as they are
      db.exec(`
        CREATE TABLE training_docs_v6 (
          kind TEXT NOT NULL CHECK (kind IN ('course', 'exam', 'attempt', 'certificate', 'calibration',
                                             'shadow-project', 'shadow')),
          id TEXT NOT NULL,
          body TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
        INSERT INTO training_docs_v6 (kind, id, body, updated_at)
          SELECT kind, id, body, updated_at FROM training_docs;
        DROP TABLE training_docs;
        ALTER TABLE training_docs_v6 RENAME TO training_docs;

        CREATE TABLE training_answers_v6 (
          owner_id TEXT NOT NULL,
          ref_key TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('sandbox', 'exam', 'calibration', 'shadow')),
          parent_id TEXT NOT NULL,
          task_id TEXT NOT NULL,
          prompt_preview TEXT NOT NULL DEFAULT '',
          state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
          work TEXT,
          label TEXT,
          feedback TEXT,
          attempts INTEGER NOT NULL DEFAULT 0,
          outbox_seq INTEGER,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (owner_id, ref_key)
        ) WITHOUT ROWID;
        INSERT INTO training_answers_v6 (owner_id, ref_key, kind, parent_id, task_id, prompt_preview, state,
                                         work, label, feedback, attempts, outbox_seq, updated_at)
          SELECT owner_id, ref_key, kind, parent_id, task_id, prompt_preview, state,
                 work, label, feedback, attempts, outbox_seq, updated_at
          FROM training_answers;
        DROP TABLE training_answers;
        ALTER TABLE training_answers_v6 RENAME TO training_answers;
        CREATE INDEX training_answers_by_parent ON training_answers (owner_id, kind, parent_id);
      `);
    },
  },
  {
    version: 7,
    name: 'lead workspace: rulings and coaching notices from the pull feed',
    up(db) {
      // A lead's ruling on one of the user's escalations (id: the escalation) and a lead's action on
      // the user (id: the action), as the feed last sent them. read_at: the user read it (rulings:
      // on this computer only; coaching notes: also sent to the server, ack_state says how far).
      db.exec(`
        CREATE TABLE notices (
          kind TEXT NOT NULL CHECK (kind IN ('ruling', 'coaching')),
          id TEXT NOT NULL,
          task_id TEXT,
          body TEXT NOT NULL,
          received_at TEXT NOT NULL,
          read_at TEXT,
          ack_state TEXT CHECK (ack_state IN ('pending', 'sent')),
          PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
        CREATE INDEX notices_unread ON notices (read_at, received_at);
      `);
    },
  },
  {
    version: 8,
    name: 'quality dashboards: the last figures the server sent, per account',
    up(db) {
      db.exec(`
        CREATE TABLE metric_snapshots (
          owner_id TEXT NOT NULL,
          key TEXT NOT NULL,
          body TEXT NOT NULL,
          fetched_at TEXT NOT NULL,
          PRIMARY KEY (owner_id, key)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 9,
    name: 'blind QA re-rating: which leased tasks are QA work',
    up(db) {
      // QA tasks arrive as ordinary assignments; this marker keeps them out of the production queue
      // (docs/lead-workspace.md, "On the workstation"). owner_id: the account that leased them.
      db.exec(`
        CREATE TABLE qa_tasks (
          task_id TEXT PRIMARY KEY,
          owner_id TEXT NOT NULL,
          project_id TEXT NOT NULL,
          leased_at TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 10,
    name: 'guideline loop: "Guidelines updated" notices from the pull feed',
    up(db) {
      // One row per guideline with a newer version than this computer had (docs/lead-workspace.md,
      // "Guideline loop"): the version, what changed since from_version (JSON), and base_doc, the
      // text it was compared with, so a second version arriving before the first is read merges
      // into one notice measured from the version the reviewer last knew.
      db.exec(`
        CREATE TABLE guideline_notices (
          guideline_id TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          version TEXT NOT NULL,
          from_version TEXT,
          changes TEXT NOT NULL,
          base_doc TEXT,
          received_at TEXT NOT NULL,
          read_at TEXT
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 11,
    name: 'wellbeing: sensitive tasks counted per day and per session',
    up(db) {
      // The exposure caps (docs/wellbeing.md) count sensitive tasks labelled since a time: the
      // task's flag as a column (set on insert, here backfilled from the bodies) and the labels by
      // first-submission time, so the count reads the day's few labels, never the whole queue.
      db.exec(`
        ALTER TABLE tasks ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;
        UPDATE tasks SET sensitive = 1 WHERE json_extract(body, '$.sensitive') = 1;
        CREATE INDEX labels_by_created ON labels (created_at);
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
