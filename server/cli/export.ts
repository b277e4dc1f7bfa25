import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { audit, OPERATOR } from '../audit/audit';
import type { Database } from '../db/schema';
import type { ExportCounts, ExportFormat } from '../export/export';
import { countLabels, EXPORT_FORMATS, exportProject } from '../export/export';
import { OutputClosedError, writeOutput } from '../export/write';
import type { Print } from './admin';
import type { Parsed } from './args';
import { optional, positionals, required } from './args';
import type { ProgressTarget } from './progress';
import { progressBar } from './progress';
import { CliError, UsageError } from './usage';

export interface ExportIo {
  stdout: Writable & { isTTY?: boolean };
  printError: Print;
  progress: ProgressTarget;
}

/** `export`: the rows on stdout or in --out; a summary (and on a terminal, a bar) on stderr. */
export async function exportCommand(
  db: Kysely<Database>,
  parsed: Parsed,
  io: ExportIo,
): Promise<ExportCounts | null> {
  positionals(parsed, []);
  const projectId = required(parsed, 'project');
  const format = required(parsed, 'format');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: "${format}" is not one of ${EXPORT_FORMATS.join(', ')}`, parsed.command);
  }
  const options = {
    format: format as ExportFormat,
    messages: parsed.values.messages === true,
    margin: parsed.values.margin === true,
  };
  if (format !== 'trl' && (options.messages || options.margin)) {
    throw new UsageError(`--messages and --margin apply to --format trl only`, parsed.command);
  }
  const project = await db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
  if (!project) throw new CliError(`--project: no project "${projectId}"`);
  const out = optional(parsed, 'out') ?? null;
  if (out !== null && !fs.existsSync(path.dirname(path.resolve(out)))) {
    throw new CliError(`--out: folder ${path.dirname(path.resolve(out))} does not exist`);
  }

  // a bar only on a terminal that is not also receiving the rows
  const showBar = io.progress.isTTY === true && (out !== null || !io.stdout.isTTY);
  const bar = progressBar(
    io.progress,
    `exporting ${projectId}`,
    showBar ? await countLabels(db, projectId) : 0,
    'labels',
  );
  let counts: ExportCounts;
  try {
    counts = await writeOutput(out, io.stdout, (write) =>
      exportProject(db, projectId, options, write, (c) => bar.update(c.labels)),
    );
  } catch (error) {
    if (error instanceof OutputClosedError) return null; // e.g. `| head`: the reader has what it wanted
    throw error;
  } finally {
    bar.finish();
  }
  // who took which data out: an export is audited like every operator action (docs/lead-workspace.md)
  await audit(db, {
    actor: OPERATOR,
    action: 'export.project',
    targetType: 'project',
    targetId: projectId,
    after: { format, messages: options.messages, margin: options.margin, out, ...counts },
    at: new Date(),
  });
  io.printError(`exported ${counts.rows} row(s) from ${counts.labels} label(s)${out ? ` to ${out}` : ''}`);
  return counts;
}
