import type { Kysely } from 'kysely';
import { iterateAudit, sinceIso } from '../audit/audit';
import type { Database } from '../db/schema';
import type { ChunkWriter } from '../export/write';
import { OutputClosedError, writeOutput } from '../export/write';
import type { ExportIo } from './export';
import type { Parsed } from './args';
import { optional, positionals } from './args';
import { CliError, UsageError } from './usage';

/** Entries gathered per write: memory stays bounded whatever the log's size. */
const CHUNK_BYTES = 1 << 16;

/**
 * `audit export [--since DATE] [--out FILE]`: the audit log (docs/lead-workspace.md, "Audit log") as
 * JSON Lines, oldest first, one entry per line, on stdout or in FILE; a count on stderr.
 */
export async function auditExport(
  db: Kysely<Database>,
  parsed: Parsed,
  io: ExportIo,
): Promise<number | null> {
  positionals(parsed, []);
  const rawSince = optional(parsed, 'since');
  const since = rawSince === undefined ? undefined : sinceIso(rawSince);
  if (since === null)
    throw new UsageError(
      `--since: "${rawSince}" is not a date (YYYY-MM-DD) or an ISO-8601 datetime such as 2026-01-05T09:00:00Z`,
      parsed.command,
    );
  const out = optional(parsed, 'out') ?? null;
  let count = 0;
  try {
    await writeOutput(out, io.stdout, async (write: ChunkWriter) => {
      let text = '';
      for await (const entry of iterateAudit(db, since)) {
        text += JSON.stringify(entry) + '\n';
        count++;
        if (text.length >= CHUNK_BYTES) {
          await write(Buffer.from(text));
          text = '';
        }
      }
      if (text) await write(Buffer.from(text));
    });
  } catch (error) {
    if (error instanceof OutputClosedError) return null;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(`--out: ${(error as Error).message}`);
    throw error;
  }
  io.printError(`exported ${count} audit entr${count === 1 ? 'y' : 'ies'}${out ? ` to ${out}` : ''}`);
  return count;
}
