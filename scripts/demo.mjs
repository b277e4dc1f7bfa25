// `npm run demo` (after the build): starts the central server on embedded SQLite with the
// demo project (QA-feedback data) and demo users, then opens the workstation pointed at it:
// Electron when its binary is installed, else browser mode. Data lives in .tmp/ (git-ignored):
// .tmp/demo-server (server database, seeded once) and .tmp/demo-workstation (local queue).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_USERS, seedDemoServer, startDemoServer } from './demo-server.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// relative to the repo root (the children's cwd), so printed paths stay short
const dataDir = path.join('.tmp', 'demo-workstation');

/**
 * The Electron binary's path, or null. Deliberately not `require('electron')`: when the
 * binary is missing that call tries to download it, and these machines must not.
 */
export function electronBinary(env = process.env, pkgDir = path.join(root, 'node_modules', 'electron')) {
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  let binary = null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH)
    binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  else if (relative) binary = path.join(pkgDir, 'dist', relative);
  return binary && existsSync(binary) ? binary : null;
}

/**
 * better-sqlite3 is native: `npm install` builds it for Node, and Electron needs it built
 * for Electron's ABI (`npx electron-builder install-app-deps`, which downloads headers, so
 * it is never part of install). Ask the binary itself, running as Node, whether it loads.
 */
export function electronCanLoadSqlite(binary) {
  const probe = "new (require('better-sqlite3'))(':memory:').close()";
  const result = spawnSync(binary, ['-e', probe], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return result.status === 0;
}

function run(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  // Ctrl+C reaches the child directly (same process group); only a SIGTERM aimed at us is forwarded
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

const isMain =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const db = seedDemoServer(root, path.join(root, '.tmp', 'demo-server'));
  const { url, child: server } = await startDemoServer(root, db);
  process.on('exit', () => server.kill('SIGTERM'));
  console.log(`Demo server: ${url} (embedded SQLite, .tmp/demo-server/server.db). Sign in with:`);
  for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(8)} ${u.username} / ${u.password}`);

  const binary = electronBinary();
  const usable = binary !== null && electronCanLoadSqlite(binary);
  if (binary && usable) {
    run(binary, [root, ...process.argv.slice(2)], {
      RLHF_WORKSTATION_DATA_DIR: dataDir,
      RLHF_WORKSTATION_SERVER: url,
    });
  } else {
    console.log(
      binary
        ? 'Electron is installed but better-sqlite3 is not built for it (run `npx electron-builder install-app-deps`); starting browser mode instead.'
        : 'Electron binary not available here; starting browser mode instead.',
    );
    run(process.execPath, [
      path.join(root, 'dist', 'web', 'web.mjs'),
      '--data-dir',
      dataDir,
      '--server',
      url,
      ...process.argv.slice(2),
    ]);
  }
}
