import { StringDecoder } from 'node:string_decoder';

/** Standard input as the CLI sees it: `isTTY` when a person would type into it. */
export type Stdin = AsyncIterable<Buffer | string> & { isTTY?: boolean };

/**
 * The first line of a stream without its line ending ('\n' or '\r\n'), or all of it when it has
 * none. Reading stops at the first '\n' or past `maxChars`: the caller rejects what is too long.
 */
export async function firstLine(input: AsyncIterable<Buffer | string>, maxChars: number): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let ended = true;
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.includes('\n') || text.length > maxChars) {
      ended = false;
      break; // ends the stream: the rest of the input is not read
    }
  }
  if (ended) text += decoder.end();
  const newline = text.indexOf('\n');
  return (newline >= 0 ? text.slice(0, newline) : text).replace(/\r$/, '');
}
