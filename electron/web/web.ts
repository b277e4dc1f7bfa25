// Browser mode CLI (dist/web/web.mjs): `npm run web -- [--data-dir DIR] [--port N] [--import FILE] [--server URL]`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importAndReport } from '../host/import-report';
import { describeStartupError } from '../host/startup-error';
import { fileSecretPort } from '../services/auth/secret';
import { type ServicesClient, startServicesWorker } from '../services/worker/client';
import { servicesWorkerLaunch } from '../services/worker/launch';
import { USAGE, UsageError, parseWebArgs } from './args';
import { startWebServer } from './server';

// dist/web/web.mjs (or electron/web/web.ts under tsx): the repo root is two folders up.
const root = path.resolve(import.meta.dirname, '..', '..');

async function main(): Promise<number | null> {
  let args;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 1;
  }

  // the services run on a worker thread: this one only serves the page (issue 12 §3)
  let services: ServicesClient;
  try {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    services = await startServicesWorker(
      {
        dataDir: args.dataDir,
        resourcesDir: path.join(root, 'resources'),
        host: 'browser',
        appVersion: version,
        // no OS keychain here: the token sits in the 0600 database file, not OS-encrypted (see fileSecretPort)
        secret: fileSecretPort,
        serverUrl: args.serverUrl ?? undefined,
      },
      servicesWorkerLaunch(import.meta.url),
    );
  } catch (error) {
    const text = describeStartupError(error);
    console.error(`${text.title}\n${text.detail}`);
    return 2;
  }

  if (services.undoneImport) {
    const { fileName, removed } = services.undoneImport;
    console.error(
      `The import of ${fileName} was cut short when the workstation last stopped; the ${removed} tasks ` +
        'it had written were removed. Import the file again.',
    );
  }
  if (args.importFile) {
    const report = await importAndReport((absolute) => services.importFile(absolute), args.importFile);
    for (const line of report.lines) (report.ok ? console.log : console.error)(line);
    if (!report.ok) {
      await services.close();
      return 1;
    }
  }

  let server;
  try {
    server = await startWebServer({
      services,
      staticDir: path.join(root, 'dist', 'renderer'),
      port: args.port,
    });
  } catch (error) {
    console.error(
      `Could not start the web server: ${error instanceof Error ? error.message : String(error)}`,
    );
    await services.close();
    return 1;
  }
  // handlers first, then the ready line: whoever reads that line may signal us at once
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .catch(() => undefined)
      .finally(() => services.close())
      .finally(() => process.exit(0));
  };
  // `on`, not `once`: a second Ctrl+C while closing must not kill the process mid-close
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`Data folder: ${args.dataDir}`);
  console.log(`Workstation ready: ${server.url}`);
  return null;
}

main().then(
  (code) => {
    // exitCode, not exit(): lets piped stderr lines flush before the process ends
    if (code !== null) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
