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

/** Imports `file` (as the user named it) and reports; an unreadable file is a failed import, not a crash. */
export function importAndReport(
  importFile: (absolutePath: string) => ImportResult,
  file: string,
  cwd: string = process.cwd(),
): { ok: boolean; lines: string[] } {
  let result: ImportResult;
  try {
    result = importFile(path.resolve(cwd, file));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      lines: [`${file}: cannot read the file (${reason})`, 'Import failed; nothing was imported.'],
    };
  }
  return formatImportReport(file, result);
}
