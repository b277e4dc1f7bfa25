// Builds dist/ when it is missing or older than the sources, so `npm run web` and
// `npm run bench` work straight after `npm install`.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const newest = (dir) => {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};
const stamp = path.join(root, 'dist/web/web.mjs');
const srcTime = Math.max(
  ...['shared', 'electron', 'renderer', 'resources'].map((d) => newest(path.join(root, d))),
);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < srcTime) {
  const res = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], {
    stdio: ['ignore', 2, 2], // build output to stderr: keeps stdout clean for `bench -- --json`
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
