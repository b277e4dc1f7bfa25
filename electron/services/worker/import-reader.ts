// The import reader: a short-lived thread that reads one task import (a 200 MB request body or a
// file), checks it against the contract and validates every line, then hands the valid tasks to
// the services thread a batch at a time. Parsing and validating 100,000 tasks is seconds of CPU
// that the thread answering the screen's calls never spends.
import fs from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import type { Handlers } from '../../../shared/contract';
import { type KnownRefs, jsonlLines } from '../../../shared/import/parse';
import type { ImportResult } from '../../../shared/queue';
import { type DispatchResult, createDispatch } from '../dispatch';
import { utf8Lines, validateLines } from '../import';
import { type SentError, sendError } from './protocol';

/** tasks handed over per message: about 750 kB, under a millisecond to receive */
const BATCH = 500;

export type ReaderSource = { kind: 'body'; body: Uint8Array } | { kind: 'file'; path: string };

export type FromReader =
  /** the body is not JSON or not the contract's input: the reply, as dispatch words it */
  | { type: 'refused'; result: DispatchResult & { ok: false } }
  | { type: 'unreadable'; error: SentError }
  | { type: 'invalid'; result: ImportResult & { ok: false } }
  | { type: 'valid'; fileName: string; count: number }
  | { type: 'batch'; tasks: string[] | null };

export type ToReader = { type: 'next' };

export async function runImportReader(
  port: MessagePort,
  source: ReaderSource,
  refs: KnownRefs,
  fileName: string,
): Promise<void> {
  const post = (message: FromReader) => port.postMessage(message);
  let lines: Iterable<{ number: number; line: string }>;
  if (source.kind === 'file') {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(source.path);
    } catch (error) {
      post({ type: 'unreadable', error: sendError(error) });
      return;
    }
    lines = utf8Lines(bytes);
  } else {
    const read = await readBody(source.body);
    if (!read.ok) {
      post({ type: 'refused', result: read.result });
      return;
    }
    fileName = read.fileName;
    lines = jsonlLines(read.text);
  }
  const valid = await validateLines(lines, refs);
  if (!valid.ok) {
    post({ type: 'invalid', result: valid });
    return;
  }
  const { tasks } = valid;
  post({ type: 'valid', fileName, count: tasks.length });
  let at = 0;
  port.on('message', (message: ToReader) => {
    if (message.type !== 'next') return;
    const batch = at < tasks.length ? tasks.slice(at, at + BATCH) : null;
    at += BATCH;
    post({ type: 'batch', tasks: batch });
  });
}

/** A tasks.import body checked with the same dispatch as every call, so its refusals read the same. */
async function readBody(
  body: Uint8Array,
): Promise<
  { ok: true; fileName: string; text: string } | { ok: false; result: DispatchResult & { ok: false } }
> {
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    return { ok: false, result: notJson(error) };
  }
  // the contract's check only: the handler hands the checked input back
  const check = createDispatch({ 'tasks.import': (valid: unknown) => valid } as unknown as Handlers);
  const result = await check('tasks.import', input);
  if (!result.ok) return { ok: false, result };
  const { fileName, text } = result.result as { fileName: string; text: string };
  return { ok: true, fileName, text };
}

/** the reply to a body that is not JSON (the server's words for the same case) */
export function notJson(error: unknown): DispatchResult & { ok: false } {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    status: 400,
    error: { code: 'invalid-input', message: `The body is not valid JSON (${message}).` },
  };
}
