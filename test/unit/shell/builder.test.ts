import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
const configFile = path.join(repo, 'electron-builder.yml');
// electron-builder's own loader and JSON-schema validation (app-builder-lib ships with electron-builder)
const require = createRequire(path.join(repo, 'package.json'));
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(dir: string, file: string, extra: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    const config = await getConfig(repo, configFile, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('rejects an invalid variant (the validation is real)', async () => {
    const config = await getConfig(repo, configFile, null);
    const broken = { ...config, nsis: { ...(config.nsis as object), perMachine: 'maybe' } };
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/perMachine/);
  });

  it('installs per user without admin, unpacks the native module, targets all three platforms', async () => {
    const config = (await getConfig(repo, configFile, null)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: false });
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
    expect(config.directories.output).toBe('release');
    // the loader normalizes `files` to [{ filter: [...] }]
    const files = (config.files as { filter: string[] }[]).flatMap((entry) => entry.filter);
    expect(files).toEqual(expect.arrayContaining(['dist/**', 'resources/**', 'package.json']));
    const targets = (platform: string) =>
      (config[platform].target as (string | { target: string })[]).map((t) =>
        typeof t === 'string' ? t : t.target,
      );
    expect(targets('win')).toEqual(['nsis']);
    expect(targets('mac')).toEqual(['dmg']);
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
  });

  it('flips the Electron fuses that keep a writable install folder from running other code', async () => {
    const config = (await getConfig(repo, configFile, null)) as { electronFuses?: Record<string, boolean> };
    // every fuse the issue names, and no other: a fuse added later must be decided, not defaulted
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    // asar integrity needs the app packed as asar
    expect((config as { asar?: unknown }).asar).toBe(true);
  });

  it('names the app like package.json so the Electron and browser-mode data folders agree', async () => {
    const config = await getConfig(repo, configFile, null);
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { productName: string };
    expect(config.productName).toBe(pkg.productName);
  });
});
