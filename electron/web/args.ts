import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface WebArgs {
  dataDir: string;
  port: number;
  importFile: string | null;
  /** central server URL (wins over RLHF_WORKSTATION_SERVER and <dataDir>/../config.json) */
  serverUrl: string | null;
}

export const USAGE = 'Usage: npm run web -- [--data-dir DIR] [--port N] [--import FILE] [--server URL]';

/**
 * Same folder the Electron app uses (app.getPath('userData') + '/data', userData being
 * <appData>/<productName>), so browser mode is a true fallback: the same queue and drafts.
 */
export function defaultDataDir(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  home: string,
) {
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? path.join(home, '.config'));
  return path.join(appData, 'RLHF Reviewer Workstation', 'data');
}

export class UsageError extends Error {}

export function parseWebArgs(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): WebArgs {
  if (argv.some((a) => a === '--host' || a.startsWith('--host='))) {
    throw new UsageError('--host is not supported: browser mode only ever listens on 127.0.0.1.');
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        import: { type: 'string' },
        server: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${values.port}".`);
  }
  return {
    dataDir: path.resolve(values['data-dir'] ?? defaultDataDir(env, platform, os.homedir())),
    port,
    importFile: values.import ?? null,
    serverUrl: values.server ?? null,
  };
}
