/**
 * JSON Lines straight into Buffers, with a per-label memo: the rows of one label repeat the
 * same prompt and response texts (a 4-way ranking gives 6 rows, each with 2 of the 4
 * answers), so each long string is escaped and UTF-8 encoded once and then copied, instead
 * of being stringified, concatenated and encoded again for every row. The bytes are exactly
 * JSON.stringify's (same key order, undefined properties left out).
 */
export type EncodeMemo = Map<string, Buffer>;

const MEMO_MIN_LENGTH = 64;
/** short text is gathered in a string and written to the buffer in one call */
const TEXT_FLUSH = 4096;

/** A growing output buffer that is handed out whole (`take`) and started afresh. */
export class JsonlChunk {
  private buffer: Buffer;
  private length = 0;
  private pending = '';

  constructor(private readonly capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** bytes so far (text not yet flushed counted by its length) */
  get size(): number {
    return this.length + this.pending.length;
  }

  text(text: string): void {
    this.pending += text;
    if (this.pending.length >= TEXT_FLUSH) this.flushText();
  }

  bytes(bytes: Buffer): void {
    this.flushText();
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  take(): Buffer {
    this.flushText();
    const out = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(this.capacity);
    this.length = 0;
    return out;
  }

  private flushText(): void {
    if (this.pending === '') return;
    this.reserve(Buffer.byteLength(this.pending));
    this.length += this.buffer.write(this.pending, this.length);
    this.pending = '';
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

const keys = new Map<string, string>();
function encodeKey(key: string): string {
  let encoded = keys.get(key);
  if (encoded === undefined) keys.set(key, (encoded = JSON.stringify(key)));
  return encoded;
}

/** Appends `JSON.stringify(value)` to `out`, reusing the memo's encodings of long strings. */
export function encodeJsonInto(value: unknown, memo: EncodeMemo, out: JsonlChunk): void {
  if (typeof value === 'string') {
    if (value.length < MEMO_MIN_LENGTH) return out.text(JSON.stringify(value));
    let encoded = memo.get(value);
    if (encoded === undefined) memo.set(value, (encoded = Buffer.from(JSON.stringify(value))));
    return out.bytes(encoded);
  }
  if (typeof value !== 'object' || value === null) return out.text(JSON.stringify(value) ?? 'null');
  if (Array.isArray(value)) {
    out.text('[');
    for (let i = 0; i < value.length; i++) {
      if (i) out.text(',');
      const item: unknown = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') out.text('null');
      else encodeJsonInto(item, memo, out);
    }
    return out.text(']');
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return out.text(JSON.stringify(value));
  out.text('{');
  let first = true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    out.text((first ? '' : ',') + encodeKey(key) + ':');
    encodeJsonInto(item, memo, out);
    first = false;
  }
  out.text('}');
}
