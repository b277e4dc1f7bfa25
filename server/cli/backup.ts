import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { markRestored, openDatabase } from '../db/connect';
import type { Print } from './admin';
import type { Parsed } from './args';
import { positionals, required } from './args';
import { CliError, UsageError } from './usage';

/**
 * `backup --out FILE` and `restore FILE --db TARGET` / `restore --mark-only [NAME] --db URL`
 * (docs/operations.md). Backups are of SQLite databases; PostgreSQL has pg_dump and pg_restore,
 * after which `restore --mark-only` does the marking.
 */

const isPostgresUrl = (target: string) => /^postgres(ql)?:\/\//i.test(target);

/** how long the restore's probe waits for another connection's lock before calling the database in use */
const PROBE_BUSY_MS = 250;

const tempName = (file: string, what: string) =>
  path.join(
    path.dirname(path.resolve(file)),
    `.${path.basename(file)}.${what}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** makes a rename in `dir` durable (best effort: some file systems cannot fsync a directory) */
function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported here: the rename still happened
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** removes a file and SQLite's companions of it, ignoring what is not there */
function removeWithCompanions(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

/**
 * Why the open SQLite file is not a server database of this app, or null if it is one: it has the
 * server_meta table and an epoch (and, with `check`, passes SQLite's quick_check).
 */
function serverDatabaseProblem(db: SQLite.Database, { check }: { check: boolean }): string | null {
  try {
    if (check) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') return `it fails SQLite's integrity check (${String(result)})`;
    }
    const meta = db
      .prepare("select name from sqlite_master where type = 'table' and name = 'server_meta'")
      .get();
    if (!meta) return "it is an SQLite database, but not this server's (no server_meta table)";
    const epoch = db.prepare("select value from server_meta where key = 'epoch'").get();
    if (!epoch) return 'it has no server epoch (server_meta has no epoch row)';
    return null;
  } catch (error) {
    return `it is not an SQLite database (${(error as Error).message})`;
  }
}

/** `backup --out FILE [--force]`: a consistent copy of the (possibly running) SQLite server database. */
export async function backupCommand(source: string, parsed: Parsed, print: Print): Promise<void> {
  positionals(parsed, []);
  const out = required(parsed, 'out');
  if (isPostgresUrl(source)) {
    throw new CliError(
      'backup copies SQLite databases; for PostgreSQL use pg_dump -Fc (see docs/operations.md)',
    );
  }
  const force = parsed.values.force === true;
  if (!force && fs.existsSync(out)) throw new CliError(`--out: ${out} exists; pass --force to replace it`);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) {
    throw new CliError(`no database at ${source}`);
  }
  if (path.resolve(out) === path.resolve(source)) throw new CliError('--out: that is the database itself');
  // Not readonly: a read-only connection to a WAL database with no server running leaves its -wal
  // and -shm behind. This connection only reads: VACUUM INTO writes the copy, never the source.
  const db = new SQLite(source, { fileMustExist: true });
  const temp = tempName(out, 'backup');
  try {
    db.pragma('busy_timeout = 5000');
    // (no quick_check of the live database: the copy is checked instead, and reading it is all it costs)
    const problem = serverDatabaseProblem(db, { check: false });
    if (problem) throw new CliError(`${source} is not a server database: ${problem}`);
    // owner-only before anything is in it (labels are confidential); VACUUM INTO fills an empty file
    fs.closeSync(fs.openSync(temp, 'wx', 0o600));
    // One read transaction: in WAL mode a snapshot of the last commit, while the server goes on
    // writing. (The online backup API would restart its copy at every write of another connection.)
    db.prepare('VACUUM INTO ?').run(temp);
    fsyncFile(temp); // VACUUM INTO does not sync its output
    const copy = new SQLite(temp, { fileMustExist: true });
    try {
      const problem = serverDatabaseProblem(copy, { check: true });
      if (problem) throw new Error(`the copy fails its check: ${problem}`);
    } finally {
      copy.close();
    }
    if (force) fs.renameSync(temp, out);
    else installNew(temp, out);
    fsyncDir(path.dirname(path.resolve(out)));
  } finally {
    db.close();
    removeWithCompanions(temp);
  }
  print(`backed up ${source} to ${out} (${fs.statSync(out).size} bytes)`);
}

/** Moves `temp` to `out` unless `out` exists (created meanwhile): never replaces it. */
function installNew(temp: string, out: string): void {
  const exists = () => new CliError(`--out: ${out} exists; pass --force to replace it`);
  try {
    // a hard link fails if `out` is there, atomically
    fs.linkSync(temp, out);
    fs.rmSync(temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw exists();
    // no hard links on this file system (some network and FUSE mounts): check, then rename
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    if (fs.existsSync(out)) throw exists();
    fs.renameSync(temp, out);
  }
}

/**
 * Whether another connection (a running server, a CLI import) has the SQLite database open.
 * In WAL mode every open connection keeps a shared lock on the database file, even while idle, and
 * a plain BEGIN EXCLUSIVE does not see it (WAL lets writers and readers coexist); a connection in
 * EXCLUSIVE locking mode must take the file's exclusive lock, which fails while anyone holds it open.
 * Chosen over a lock file the server would write: it needs no change to the server, sees any
 * process (an import too), and cannot go stale after a crash. Returns 'free', 'held', or the error
 * for a file SQLite cannot read (corrupt: whether someone has it open is then unknown).
 */
function probeInUse(file: string): 'free' | 'held' | { unreadable: string } {
  let db: SQLite.Database | null = null;
  try {
    db = new SQLite(file, { fileMustExist: true });
    db.pragma(`busy_timeout = ${PROBE_BUSY_MS}`);
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return 'free';
  } catch (error) {
    const code = String((error as { code?: unknown }).code);
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'held';
    return { unreadable: (error as Error).message };
  } finally {
    try {
      db?.close();
    } catch {
      // closing a connection that never opened the file
    }
  }
}

/** `restore FILE --db TARGET` (SQLite) or `restore --mark-only [NAME] --db FILE_OR_URL`. */
export async function restoreCommand(parsed: Parsed, print: Print): Promise<void> {
  const target = required(parsed, 'db');
  if (parsed.values['mark-only'] === true) {
    if (parsed.positionals.length > 1) {
      throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`, parsed.command);
    }
    const name = parsed.positionals[0] ?? null;
    const epoch = await markOpened(target, name);
    print(`marked ${redact(target)} as restored${name ? ` from ${name}` : ''}; new server epoch ${epoch}`);
    return;
  }
  const [file] = positionals(parsed, ['file']);
  if (isPostgresUrl(target)) {
    throw new CliError(
      'restore copies SQLite files; for PostgreSQL run pg_restore --clean --if-exists, then ' +
        'restore --mark-only --db URL (see docs/operations.md)',
    );
  }
  const removed = restoreFile(file!, target);
  const epoch = await markOpened(target, path.basename(file!));
  print(
    `restored ${target} from ${file}` +
      (removed.length ? `; removed stale ${removed.map((f) => path.basename(f)).join(', ')}` : '') +
      `; new server epoch ${epoch} (workstations see it at their next pull)`,
  );
}

/** a postgres:// URL without its password, for messages */
function redact(target: string): string {
  return isPostgresUrl(target) ? target.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@') : target;
}

/** Opens the database (migrations run: a backup may predate this version) and marks it restored. */
async function markOpened(target: string, from: string | null): Promise<string> {
  if (!isPostgresUrl(target) && !fs.existsSync(target)) throw new CliError(`no database at ${target}`);
  const server = await openDatabase(target);
  try {
    return await markRestored(server.db, from);
  } finally {
    await server.close();
  }
}

/** Copies FILE over TARGET; returns the stale companion files it removed. TARGET is untouched on any refusal. */
function restoreFile(file: string, target: string): string[] {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`no file ${file}`);
  if (fs.existsSync(target) && fs.realpathSync(file) === fs.realpathSync(target)) {
    throw new CliError(`${file} is the database itself`);
  }
  const fileWal = `${file}-wal`;
  if (fs.existsSync(fileWal) && fs.statSync(fileWal).size > 0) {
    throw new CliError(
      `${file} has a write-ahead log next to it (${path.basename(fileWal)}): a live database, not a ` +
        'backup; make one with the backup command',
    );
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true, mode: 0o700 });
  // the copy is checked where it will be renamed from (same file system: the rename is atomic)
  const temp = tempName(target, 'restore');
  try {
    fs.copyFileSync(file, temp, fs.constants.COPYFILE_EXCL);
    fs.chmodSync(temp, 0o600);
    fsyncFile(temp);
    let problem: string | null;
    const copy = new SQLite(temp, { fileMustExist: true });
    try {
      problem = serverDatabaseProblem(copy, { check: true });
    } finally {
      copy.close();
    }
    if (problem)
      throw new CliError(`${file} is not a backup of this server: ${problem}; ${target} is untouched`);

    if (fs.existsSync(target)) {
      const use = probeInUse(target);
      if (typeof use === 'object') {
        // cannot tell whether a server has it open: not replaced (and kept for investigation)
        throw new CliError(
          `${target} is not a database SQLite can read (${use.unreadable}): move it aside (keep it to ` +
            'investigate), then restore',
        );
      }
      if (use === 'held') {
        throw new CliError(
          `${target} is in use (a running server, or an import): stop the server, then restore; ${target} is untouched`,
        );
      }
    }
    // A WAL or rollback journal left beside TARGET (a crash, or a database deleted without them)
    // would be replayed onto the restored file at its first open: gone before the file is in place.
    const removed: string[] = [];
    for (const companion of [`${target}-wal`, `${target}-shm`, `${target}-journal`]) {
      if (fs.existsSync(companion)) {
        fs.rmSync(companion);
        removed.push(companion);
      }
    }
    fs.renameSync(temp, target);
    fsyncDir(path.dirname(path.resolve(target)));
    return removed;
  } finally {
    removeWithCompanions(temp);
  }
}
