import type { Store } from './store';

/** Small key/value settings (identity, current task, preferences, check policy overrides). */
export interface Settings {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export function createSettings(store: Store): Settings {
  const select = store.stmt('SELECT value FROM settings WHERE key = ?');
  const upsert = store.stmt(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    get: (key) => (select.get(key) as { value: string } | undefined)?.value,
    set: (key, value) => {
      upsert.run(key, value);
    },
  };
}
