// Pure (no 'electron' import): both hosts report a task-file import with the same lines.
import path from 'node:path';
import type { ImportResult } from '../../shared/queue';

/** `FILE:LINE: PATH: MESSAGE` lines plus one summary line, or one success line. */
export function formatImportReport(file: string, result: ImportResult): { ok: boolean; lines: string[] } {
  if (result.ok) {
    return { ok: true, lines: [`Imported ${result.imported} tasks (${result.duplicates} already present)`] };
  }
  const lines = result.errors.map((e) => `${file}:${e.line}: ${e.path}: ${e.message}`);
  const count = `${result.errors.length}${result.truncated ? '+' : ''}`;
  const more = result.truncated ? ' (only the first errors are listed)' : '';
  lines.push(`Import failed: ${count} error(s) in ${file}${more}; nothing was imported.`);
  return { ok: false, lines };
}

/**
 * Imports `file` (as the user named it) and reports; an unreadable file or a write that failed
 * is a failed import, not a crash.
 */
export async function importAndReport(
  importFile: (absolutePath: string) => Promise<ImportResult>,
  file: string,
  cwd: string = process.cwd(),
): Promise<{ ok: boolean; lines: string[] }> {
  let result: ImportResult;
  try {
    result = await importFile(path.resolve(cwd, file));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // a file system error carries a code (ENOENT, EACCES); anything else stopped the import itself
    const unreadable = typeof (error as { code?: unknown } | null)?.code === 'string';
    return {
      ok: false,
      lines: unreadable
        ? [`${file}: cannot read the file (${reason})`, 'Import failed; nothing was imported.']
        : [`${file}: ${reason}`, 'Import failed.'],
    };
  }
  return formatImportReport(file, result);
}
