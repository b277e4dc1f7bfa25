// Pure (no 'electron' import): browser mode prints the same words that the Electron dialog shows.
import { ConfigError, StoreOpenError } from '../services/errors';

export interface StartupErrorText {
  title: string;
  detail: string;
}

const TITLES: Record<StoreOpenError['kind'], string> = {
  corrupt: 'The workstation database is damaged',
  'newer-version': 'This database was written by a newer version of the workstation',
  locked: 'The workstation database is in use',
  permission: 'The workstation database cannot be opened',
  'key-unavailable': "The workstation database's key could not be read",
  'wrong-key': 'The workstation database does not open with this key',
};

/** Plain words for a failed start: what happened, where the data is, what to do. Never a stack. */
export function describeStartupError(error: unknown): StartupErrorText {
  if (error instanceof StoreOpenError) {
    // services already word the message for people; make sure the two facts that matter are there
    const lines = [error.message];
    if (error.keptAt && !error.message.includes(error.keptAt)) {
      lines.push(`The damaged file was kept at: ${error.keptAt}`);
    }
    if (error.kind === 'newer-version' && !/update/i.test(error.message)) {
      lines.push('Update the workstation app to the latest version to open it. Your data was not changed.');
    }
    return { title: TITLES[error.kind], detail: lines.join('\n') };
  }
  if (error instanceof ConfigError && /config\.json$|^--server$|^RLHF_WORKSTATION_SERVER$/.test(error.file)) {
    return {
      title: 'The workstation settings are invalid',
      detail: `${error.message}\nFix the setting (or ask IT to), then start the workstation again.`,
    };
  }
  if (error instanceof ConfigError) {
    return {
      title: 'A bundled resource file is invalid',
      detail: `${error.message}\nReinstall the workstation.`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { title: 'The workstation could not start', detail: message };
}
