import type { Writable } from 'node:stream';
import { DEFAULT_DB_PATH, openDatabase } from '../db/connect';
import type { ServerDb } from '../db/connect';
import { podCreate, projectCreate, projectSet, userAdd, userRevoke, userRole } from './admin';
import { projectAssign } from './project-assign';
import type { Parsed } from './args';
import { optional, parseCommandLine, positionals, required } from './args';
import { agreementCommand } from './agreement';
import { auditExport } from './audit';
import { backupCommand, restoreCommand } from './backup';
import { deviceList, deviceRevoke, deviceWipe } from './device';
import { exportCommand } from './export';
import { importFile } from './import';
import { metricsCommand, metricsThresholdsCommand } from './metrics';
import { calibrationClose, calibrationCreate } from './calibration';
import { shadowClose, shadowOpen } from './shadow';
import { guidelineDrafts, guidelinePublish } from './guideline';
import { goldImport, qaConfigure, qaSample, userGrant } from './quality';
import { certGrant, certList, certRevoke, courseImport, examCreate, examRetire } from './training';
import { taskWithdraw } from './withdraw';
import type { Stdin } from './stdin';
import { CliError, HELP, UsageError } from './usage';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  /** messages, errors and the progress bar (drawn only if it is a terminal) */
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  /** read only by `user add --password-stdin`; absent counts as a terminal */
  stdin?: Stdin;
}

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Runs one CLI command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const print = (line: string) => void io.stdout.write(line + '\n');
  const printError = (line: string) => void io.stderr.write(line + '\n');
  let parsed: Parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    return usage(error as UsageError, printError);
  }
  if (parsed.command === null || parsed.values.help === true) {
    const text = HELP[parsed.command ?? 'main']!;
    if (parsed.values.help === true) {
      print(text);
      return EXIT.ok;
    }
    printError(text);
    return EXIT.usage;
  }

  let server: ServerDb | null = null;
  try {
    const target = optional(parsed, 'db') ?? io.env.DATABASE_URL ?? DEFAULT_DB_PATH;
    const open = async () => (server ??= await openDatabase(target)).db;
    switch (parsed.command) {
      case 'project create':
        await projectCreate(await open(), parsed, print);
        break;
      case 'project set':
        await projectSet(await open(), parsed, print);
        break;
      case 'project assign':
        await projectAssign(await open(), parsed, print);
        break;
      case 'pod create':
        await podCreate(await open(), parsed, print);
        break;
      case 'user add':
        await userAdd(await open(), parsed, print, io.stdin);
        break;
      case 'user role':
        await userRole(await open(), parsed, print);
        break;
      case 'user revoke':
        await userRevoke(await open(), parsed, print);
        break;
      case 'device list':
        await deviceList(await open(), parsed, print);
        break;
      case 'device revoke':
        await deviceRevoke(await open(), parsed, print);
        break;
      case 'device wipe':
        await deviceWipe(await open(), parsed, print);
        break;
      case 'task withdraw':
        await taskWithdraw(await open(), parsed, print);
        break;
      case 'import': {
        const [file] = positionals(parsed, ['file']);
        const projectId = required(parsed, 'project');
        await importFile(await open(), file!, projectId, { print, printError, progress: io.stderr });
        break;
      }
      case 'export':
        await exportCommand(await open(), parsed, { stdout: io.stdout, printError, progress: io.stderr });
        break;
      case 'backup':
        // reads the database file itself: opening it (migrations, epoch) would write to a live server's
        await backupCommand(target, parsed, print);
        break;
      case 'restore':
        await restoreCommand(parsed, print);
        break;
      case 'agreement':
        // reads a ratings file only: no database
        await agreementCommand(parsed, print, printError);
        break;
      case 'course import':
        await courseImport(await open(), parsed, { print, printError });
        break;
      case 'exam create':
        await examCreate(await open(), parsed, { print, printError });
        break;
      case 'exam retire':
        await examRetire(await open(), parsed, { print, printError });
        break;
      case 'cert list':
        await certList(await open(), parsed, { print, printError });
        break;
      case 'cert grant':
        await certGrant(await open(), parsed, { print, printError });
        break;
      case 'calibration create':
        await calibrationCreate(await open(), parsed, { print, printError });
        break;
      case 'calibration close':
        await calibrationClose(await open(), parsed, { print, printError });
        break;
      case 'shadow open':
        await shadowOpen(await open(), parsed, { print, printError });
        break;
      case 'shadow close':
        await shadowClose(await open(), parsed, { print, printError });
        break;
      case 'cert revoke':
        await certRevoke(await open(), parsed, { print, printError });
        break;
      case 'audit export':
        await auditExport(await open(), parsed, { stdout: io.stdout, printError, progress: io.stderr });
        break;
      case 'gold import':
        await goldImport(await open(), parsed, { print, printError });
        break;
      case 'qa configure':
        await qaConfigure(await open(), parsed, { print, printError });
        break;
      case 'qa sample':
        await qaSample(await open(), parsed, { print, printError });
        break;
      case 'user grant':
        await userGrant(await open(), parsed, { print, printError });
        break;
      case 'guideline publish':
        await guidelinePublish(await open(), parsed, { print, printError });
        break;
      case 'guideline drafts':
        await guidelineDrafts(await open(), parsed, { print, printError });
        break;
      case 'metrics':
        await metricsCommand(await open(), parsed, print);
        break;
      case 'metrics thresholds':
        await metricsThresholdsCommand(await open(), parsed, print);
        break;
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) return usage(error, printError);
    if (error instanceof CliError) {
      printError(`error: ${error.message}`);
      return EXIT.invalid;
    }
    throw error;
  } finally {
    await (server as ServerDb | null)?.close();
  }
}

function usage(error: UsageError, printError: (line: string) => void): number {
  printError(`error: ${error.message}`);
  printError(`see: npm run server:cli -- ${error.command ? `${error.command} ` : ''}--help`);
  return EXIT.usage;
}
