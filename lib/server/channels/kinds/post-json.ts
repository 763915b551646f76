import 'server-only';
import { describeOutboundError, postOutbound } from '@/lib/server/net/outbound-request';
import { outboundPolicy } from '@/lib/server/net/outbound-url';

const TIMEOUT_MS = 10_000;

/** POSTs JSON under the outbound address policy; throws a readable Error unless the answer is 2xx. */
export async function postJsonOrThrow(url: string, body: string, headers: Record<string, string>): Promise<void> {
  let status: number;
  try {
    ({ status } = await postOutbound(url, {
      headers: { 'content-type': 'application/json', 'user-agent': 'ModelDeck-Alerts/1', ...headers },
      body,
      timeoutMs: TIMEOUT_MS,
      // Read at every attempt: the addresses a name resolves to are checked when connecting.
      policy: outboundPolicy(),
    }));
  } catch (caught) {
    throw new Error(describeOutboundError(caught, url));
  }
  if (status >= 300 && status < 400) throw new Error(`HTTP ${status} (redirects are not followed; configure the final URL)`);
  if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
}
