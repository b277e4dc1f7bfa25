import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../../../electron/services/migrations';
import { DB_FILE, openStore } from '../../../../electron/services/store';
import { tempDir } from '../helpers';

describe('local migration 5 (training)', () => {
  it('keeps every outbox row, id and digest of a version-4 file, and the outbox then takes training answers', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    const old = new Database(file);
    migrate(old, migrations.slice(0, 4));
    old.exec(`
      INSERT INTO outbox (seq, device_id, mutation_id, chain, type, task_id, payload, lease_token, lease_proof,
                          created_at, state, updated_at)
      VALUES (7, 'dev-1', 3, 'digest-3', 'task.skip', 't1', '{"type":"task.skip"}', 2, 'proof',
              '2025-01-01T00:00:00.000Z', 'accepted', '2025-01-01T00:00:01.000Z');
    `);
    expect(() =>
      old.exec(`INSERT INTO outbox (type, task_id, payload, lease_token, created_at, updated_at)
                VALUES ('training.answer', 'q1', '{}', 0, 'now', 'now')`),
    ).toThrow(/CHECK constraint failed/);
    old.close();

    const store = openStore(dir);
    try {
      expect(store.db.prepare('SELECT * FROM outbox').all()).toEqual([
        expect.objectContaining({
          seq: 7,
          device_id: 'dev-1',
          mutation_id: 3,
          chain: 'digest-3',
          lease_token: 2,
          lease_proof: 'proof',
          state: 'accepted',
        }),
      ]);
      store.db
        .prepare(
          `INSERT INTO outbox (type, task_id, payload, lease_token, created_at, updated_at)
           VALUES ('training.answer', 'q1', '{}', 0, 'now', 'now')`,
        )
        .run();
      const indexes = store.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'")
        .all();
      expect(indexes.map((i) => (i as { name: string }).name).sort()).toEqual([
        'outbox_by_task',
        'outbox_unsent',
        'sqlite_autoindex_outbox_1',
      ]);
    } finally {
      store.close();
    }
  });
});

describe('local migration 6 (shadowing)', () => {
  it('keeps every training document and answer of a version-5 file and then takes shadowing ones', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    const old = new Database(file);
    migrate(old, migrations.slice(0, 5));
    old.exec(`
      INSERT INTO training_docs (kind, id, body, updated_at) VALUES ('course', 'c1', '{"kind":"course"}', 'then');
      INSERT INTO training_answers (owner_id, ref_key, kind, parent_id, task_id, prompt_preview, state, work,
                                    label, feedback, attempts, outbox_seq, updated_at)
      VALUES ('u1', 'exam:a1:q1', 'exam', 'a1', 'q1', 'Which is better?', 'submitted', '{}', '{"id":"l"}',
              null, 1, 4, 'then');
    `);
    expect(() =>
      old.exec(`INSERT INTO training_docs (kind, id, body, updated_at) VALUES ('shadow', 's1', '{}', 'now')`),
    ).toThrow(/CHECK constraint failed/);
    old.close();

    const store = openStore(dir);
    try {
      expect(store.db.prepare('SELECT * FROM training_docs').all()).toEqual([
        { kind: 'course', id: 'c1', body: '{"kind":"course"}', updated_at: 'then' },
      ]);
      expect(store.db.prepare('SELECT * FROM training_answers').all()).toEqual([
        expect.objectContaining({ ref_key: 'exam:a1:q1', kind: 'exam', label: '{"id":"l"}', outbox_seq: 4 }),
      ]);
      store.db.exec(`
        INSERT INTO training_docs (kind, id, body, updated_at) VALUES ('shadow', 's1', '{}', 'now');
        INSERT INTO training_docs (kind, id, body, updated_at) VALUES ('shadow-project', 'p1', '{}', 'now');
        INSERT INTO training_answers (owner_id, ref_key, kind, parent_id, task_id, state, updated_at)
        VALUES ('u1', 'shadow:s1:t1', 'shadow', 's1', 't1', 'draft', 'now');
      `);
      const indexes = store.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'training_answers'")
        .all();
      expect(indexes).toEqual([{ name: 'training_answers_by_parent' }]);
    } finally {
      store.close();
    }
  });
});
