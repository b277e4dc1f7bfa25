import path from 'node:path';
import { fileSecretPort, openServices } from '../electron/services/index';

/**
 * A soak workstation's services, as the browser host opens them: the session token in the 0600
 * database, no background loop (the soak drives sync), small push batches so kills land mid-sync.
 */
export const openSoakServices = (dataDir: string) =>
  openServices({
    dataDir,
    resourcesDir: path.resolve(import.meta.dirname, '../resources'),
    host: 'browser',
    appVersion: 'soak',
    secret: fileSecretPort,
    backgroundSync: false,
    env: {},
    sync: { pushBatch: 7 },
  });
