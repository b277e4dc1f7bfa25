import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import type { BrowserHost } from './host';

/** Calls the browser-mode contract directly, as the renderer does (to read back what the UI stored). */
export async function callApi<C extends Channel>(
  host: BrowserHost,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const res = await fetch(`${host.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result?: unknown; error?: unknown };
  if (!body.ok) throw new Error(`${channel} failed: ${JSON.stringify(body.error)}`);
  return body.result as ChannelOutput<C>;
}
