import fs from 'node:fs';
import readline from 'node:readline';

/** A malformed CSV record: the line it starts on and what is wrong. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CsvRecord {
  /** the line the record starts on (1 = the first line) */
  line: number;
  fields: string[];
}

/**
 * Reads a CSV file record by record (RFC 4180: comma-separated, fields may be quoted, a quote
 * inside a quoted field is doubled, a quoted field may hold commas and line breaks), one line in
 * memory at a time. CRLF or LF line ends; a UTF-8 byte order mark is dropped. A record with a
 * syntax error is yielded as a CsvError (reading goes on at the next line), so every bad line
 * can be reported.
 */
export async function* readCsv(file: string): AsyncGenerator<CsvRecord | CsvError> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let lineNumber = 0;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let closed = false;
  let start = 0;
  const reset = () => {
    fields = [];
    field = '';
    quoted = false;
    closed = false;
  };
  for await (const raw of lines) {
    lineNumber++;
    const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!quoted) {
      start = lineNumber;
      if (fields.length === 0 && text === '') continue;
    } else field += '\n';
    let error: string | null = null;
    for (let i = 0; i < text.length && error === null; i++) {
      const char = text[i]!;
      if (quoted) {
        if (char !== '"') field += char;
        else if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          closed = true;
        }
      } else if (char === ',') {
        fields.push(field);
        field = '';
        closed = false;
      } else if (char === '"') {
        if (field === '' && !closed) quoted = true;
        else
          error = `field ${fields.length + 1}: a quote inside an unquoted field (quote the field and double the quote)`;
      } else if (closed) {
        error = `field ${fields.length + 1}: text after a closing quote`;
      } else field += char;
    }
    if (error !== null) {
      reset();
      yield new CsvError(start, error);
      continue;
    }
    if (quoted) continue;
    fields.push(field);
    yield { line: start, fields };
    reset();
  }
  if (quoted) yield new CsvError(start, `field ${fields.length + 1}: a quoted field is not closed`);
}
