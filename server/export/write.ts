import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes text chunks, waiting for 'drain' when the stream's buffer is full (backpressure). */
export type ChunkWriter = (chunk: string | Uint8Array) => Promise<void>;

export class OutputClosedError extends Error {
  constructor() {
    super('the output was closed by the reader');
  }
}

/** Resolves on 'drain', or when the stream fails or closes (the caller then checks why). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

function writerFor(stream: Writable): { write: ChunkWriter; failure: () => Error | null } {
  let failed: Error | null = null;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    failed = error.code === 'EPIPE' ? new OutputClosedError() : error;
  });
  const write: ChunkWriter = async (chunk) => {
    if (failed) throw failed;
    if (!stream.write(chunk)) {
      await drained(stream);
      if (failed) throw failed;
    }
  };
  return { write, failure: () => failed };
}

/**
 * Runs `produce` against a file or a stream. A file is written to a temporary sibling,
 * flushed to disk and renamed over `outFile` only when everything was written, so a
 * reader never sees half an export; on failure the temporary file is removed.
 */
export async function writeOutput<T>(
  outFile: string | null,
  stdout: Writable,
  produce: (write: ChunkWriter) => Promise<T>,
): Promise<T> {
  if (outFile === null) {
    const { write, failure } = writerFor(stdout);
    const result = await produce(write);
    if (failure()) throw failure();
    return result;
  }
  const target = path.resolve(outFile);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`,
  );
  // room for a few chunks: the disk writes one while the next is being built
  const stream = fs.createWriteStream(temp, { mode: 0o600, highWaterMark: 1 << 20 });
  try {
    await once(stream, 'open');
    const { write } = writerFor(stream);
    const result = await produce(write);
    stream.end();
    await once(stream, 'finish');
    const fd = fs.openSync(temp, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
    return result;
  } catch (error) {
    stream.destroy();
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
