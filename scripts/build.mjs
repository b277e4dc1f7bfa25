// Builds every runnable part into dist/: the renderer (Vite) and the Node/Electron
// entry points (esbuild). The sandboxed preload must be one self-contained CommonJS
// file: a sandboxed preload cannot require anything but 'electron'.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const r = (p) => path.join(root, p);
const quiet = process.argv.includes('--quiet');

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // better-sqlite3 is native; everything in node_modules stays a normal require so
  // electron-builder can rebuild/unpack it.
  packages: 'external',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
};

await Promise.all([
  esbuild({
    ...nodeCommon,
    format: 'esm',
    entryPoints: [r('electron/main/main.ts')],
    outfile: r('dist/main/main.mjs'),
    external: ['electron'],
  }),
  esbuild({
    ...nodeCommon,
    format: 'esm',
    entryPoints: [r('electron/web/web.ts')],
    outfile: r('dist/web/web.mjs'),
  }),
  // the services worker both hosts start (electron/services/worker/entry.ts)
  esbuild({
    ...nodeCommon,
    format: 'esm',
    entryPoints: [r('electron/services/worker/entry.ts')],
    outfile: r('dist/worker/services-worker.mjs'),
  }),
  esbuild({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: false,
    logLevel: 'warning',
    external: ['electron'],
    entryPoints: [r('electron/preload/preload.ts')],
    outfile: r('dist/preload/preload.cjs'),
  }),
  viteBuild({ configFile: r('vite.config.ts'), logLevel: quiet ? 'warn' : 'info' }),
]);
if (!quiet) console.log('built dist/');
