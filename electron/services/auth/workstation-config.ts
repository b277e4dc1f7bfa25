import fs from 'node:fs';
import path from 'node:path';
import { formatIssues } from '../../../shared/contract';
import { ServerUrl, WorkstationConfig } from '../../../shared/session';
import { ConfigError } from '../errors';

export const SERVER_URL_ENV = 'RLHF_WORKSTATION_SERVER';
export const CONFIG_FILE = 'config.json';

/** `<dataDir>/../config.json`: next to the data folder, where IT can place it before first start. */
export const configFileFor = (dataDir: string) => path.join(path.dirname(path.resolve(dataDir)), CONFIG_FILE);

/**
 * Reads the IT-provided settings: the config file, then the env var, then an explicit
 * override (browser mode's --server), later ones winning. A bad file is a startup error
 * naming the file and the field.
 */
export function readWorkstationConfig(
  dataDir: string,
  env: Record<string, string | undefined> = {},
  serverUrlOverride?: string,
): WorkstationConfig {
  const file = configFileFor(dataDir);
  let raw: unknown = {};
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(file, [{ path: '(json)', message: (error as Error).message }]);
    }
  }
  const parsed = WorkstationConfig.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, formatIssues(parsed.error));
  const config = parsed.data;
  for (const [source, value] of [
    [SERVER_URL_ENV, env[SERVER_URL_ENV]],
    ['--server', serverUrlOverride],
  ] as const) {
    if (value === undefined || value === '') continue;
    const url = ServerUrl.safeParse(value);
    if (!url.success)
      throw new ConfigError(source, [{ path: 'serverUrl', message: url.error.issues[0]!.message }]);
    config.serverUrl = url.data;
  }
  return config;
}
