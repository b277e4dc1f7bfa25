// A workstation process that does nothing but sync, over and over, until it is killed.
// Used by kill9.test.ts: SIGKILL lands at random points of push, lease and pull.
import { fileSecretPort, openServices } from '../../../../electron/services/index';

const [dataDir, resourcesDir] = process.argv.slice(2) as [string, string];
const services = openServices({
  dataDir,
  resourcesDir,
  host: 'browser',
  appVersion: '0.0.0-test',
  secret: fileSecretPort,
  backgroundSync: false,
  env: {},
  sync: { pushBatch: 3 },
});
console.log('child ready');
for (;;) {
  const status = await services.sync.syncNow();
  console.log(`cycle ${status.state} queued=${status.queued}`);
}
