import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  rendererDir: string;
  preloadPath: string;
  resourcesDir: string;
}

/** Paths relative to the built entry (dist/main/main.mjs), inside or outside app.asar. */
export function appPaths(entryUrl: string): AppPaths {
  const distDir = path.dirname(path.dirname(fileURLToPath(entryUrl)));
  return {
    rendererDir: path.join(distDir, 'renderer'),
    preloadPath: path.join(distDir, 'preload', 'preload.cjs'),
    resourcesDir: path.join(path.dirname(distDir), 'resources'),
  };
}
