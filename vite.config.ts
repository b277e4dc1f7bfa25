import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

export default defineConfig({
  root: path.resolve(import.meta.dirname, 'renderer'),
  // relative asset URLs so the same build loads from file:// (Electron) and http (browser mode)
  base: './',
  plugins: [react()],
  // lowlight ships its own highlight.js copy; one copy (package.json's) for its core and the
  // grammars renderer/src/markdown/grammars.ts loads on demand
  resolve: { dedupe: ['highlight.js'] },
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    // no inline <script> or modulepreload polyfill: the CSP forbids inline scripts
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // one local bundle loaded from disk or loopback: size matters less than one round trip
    chunkSizeWarningLimit: 2000,
  },
});
