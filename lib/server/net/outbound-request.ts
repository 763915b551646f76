import 'server-only';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress, normalizedHost, outboundUrlProblem, redactUrl, refusalFor, type OutboundPolicy } from './outbound-url';

/** The destination is not allowed by the outbound address policy. */
export class OutboundRefusedError extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

/**
 * Resolves once, refuses the connection if any resolved address is not allowed, and hands the
 * checked addresses to the socket: it connects to exactly what was checked, so a second DNS
 * answer (DNS rebinding) cannot swap in an internal address.
 */
function checkedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const refusal = refusalFor(classifyAddress(address), policy);
        if (refusal) return callback(new OutboundRefusedError(`${hostname} resolves to ${address}: ${refusal}`), '', 0);
      }
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => (error ? reject(error) : resolve(addresses))),
  );
}

/**
 * The check for a URL being saved: the URL rules plus the addresses its name resolves to now.
 * A name that does not resolve (yet) is accepted; deliveries will report it.
 */
export async function checkOutboundUrl(rawUrl: string, policy: OutboundPolicy): Promise<string | null> {
  const problem = outboundUrlProblem(rawUrl, policy);
  if (problem) return problem;
  const host = normalizedHost(new URL(rawUrl));
  if (isIP(host)) return null;
  const addresses = await resolveAll(host).catch(() => []);
  for (const { address } of addresses) {
    const refusal = refusalFor(classifyAddress(address), policy);
    if (refusal) return `${host} resolves to ${address}: ${refusal}.`;
  }
  return null;
}

export interface OutboundResult {
  status: number;
}

/**
 * POSTs `body` to `rawUrl` under the outbound address policy. Resolves with the HTTP status
 * (redirects are not followed); rejects with OutboundRefusedError or the network error.
 */
export function postOutbound(
  rawUrl: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; policy: OutboundPolicy },
): Promise<OutboundResult> {
  const problem = outboundUrlProblem(rawUrl, options.policy);
  if (problem) return Promise.reject(new OutboundRefusedError(problem));
  const url = new URL(rawUrl);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
        lookup: checkedLookup(options.policy),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        // Only the status matters: the body is not read, so an endless one cannot hold the delivery.
        resolve({ status: response.statusCode ?? 0 });
        response.destroy();
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * GETs `rawUrl` under the outbound address policy and resolves with the response stream
 * once the status is 2xx (redirects are not followed); the caller reads the body.
 */
export function getOutbound(rawUrl: string, options: { timeoutMs: number; policy: OutboundPolicy }): Promise<http.IncomingMessage> {
  const problem = outboundUrlProblem(rawUrl, options.policy);
  if (problem) return Promise.reject(new OutboundRefusedError(problem));
  const url = new URL(rawUrl);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: 'GET', lookup: checkedLookup(options.policy), signal: AbortSignal.timeout(options.timeoutMs) }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(response);
      response.destroy();
      reject(new Error(`${redactUrl(rawUrl)} answered HTTP ${status}.`));
    });
    request.on('error', reject);
    request.end();
  });
}

/** A short, readable cause for a failed request (stored as a delivery's lastError). */
export function describeOutboundError(error: unknown, rawUrl: string): string {
  const host = (() => {
    try {
      const url = new URL(rawUrl);
      return `${normalizedHost(url)}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
    } catch {
      return 'the receiver';
    }
  })();
  if (error instanceof OutboundRefusedError) return `Address not allowed: ${error.message}`;
  const code = String((error as { code?: unknown })?.code ?? '');
  const name = (error as { name?: unknown })?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ABORT_ERR' || code === 'ETIMEDOUT') return `Timeout: ${host} did not answer in time.`;
  if (code === 'ECONNREFUSED') return `Connection refused by ${host}.`;
  if (code === 'ENOTFOUND') return `DNS name not found: ${host.replace(/:\d+$/, '')}.`;
  if (code === 'EAI_AGAIN') return `DNS lookup failed for ${host.replace(/:\d+$/, '')} (temporary failure; will retry).`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `Connection reset by ${host}.`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `Host unreachable: ${host}.`;
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code) || /SSL|TLS|certificate/i.test(message)) {
    return `TLS error with ${host}: ${message}`;
  }
  return `Request to ${host} failed: ${message}${code ? ` (${code})` : ''}`;
}
