import 'server-only';
import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * Where the server may send requests on a user's behalf (webhooks today; deployment backends
 * and alert channels next). An admin who can set a URL must not get a probe of the internal
 * network or the cloud's metadata service:
 *
 * - always refused: link-local (169.254/16, where AWS, GCP and Azure serve metadata; fe80::/10),
 *   other metadata endpoints (fd00:ec2::254, 100.100.100.200, metadata.google.internal …),
 *   multicast, broadcast and reserved ranges;
 * - refused unless private networks are allowed: loopback (127/8, ::1), RFC 1918, carrier-grade
 *   NAT (100.64/10), unique-local IPv6 (fc00::/7), 0.0.0.0/8, ::.
 *
 * Names (`localhost` included) are judged by the addresses they resolve to. The WHATWG URL
 * parser already turns 127.1, 2130706433, 0x7f.1 and 0 into dotted quads; IPv6 forms that embed
 * an IPv4 address (::ffff:127.0.0.1, 64:ff9b::a00:1, ::127.0.0.1) are judged by that address,
 * and a trailing dot (metadata.google.internal.) is ignored.
 */

export type AddressClass = 'public' | 'private' | 'forbidden';

export interface AddressVerdict {
  class: AddressClass;
  /** What the address is, for messages: "loopback", "link-local / cloud metadata" … */
  kind: string;
}

/** Checked in order: the metadata ranges inside fc00::/7 must win over "private network". */
const RANGES: Array<{ class: Exclude<AddressClass, 'public'>; kind: string; subnets: Array<[string, number]> }> = [
  {
    class: 'forbidden',
    kind: 'link-local / cloud metadata',
    subnets: [
      ['169.254.0.0', 16],
      ['fe80::', 10],
      ['fd00:ec2::254', 128],
      ['100.100.100.200', 32],
    ],
  },
  { class: 'forbidden', kind: 'multicast, broadcast or reserved', subnets: [['224.0.0.0', 4], ['240.0.0.0', 4], ['ff00::', 8]] },
  { class: 'private', kind: 'loopback', subnets: [['127.0.0.0', 8], ['::1', 128]] },
  { class: 'private', kind: 'unspecified', subnets: [['0.0.0.0', 8], ['::', 128]] },
  {
    class: 'private',
    kind: 'private network',
    subnets: [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['100.64.0.0', 10],
      ['198.18.0.0', 15],
      ['fc00::', 7],
    ],
  },
];
const RANGE_LISTS = RANGES.map((range) => {
  const list = new BlockList();
  for (const [network, prefix] of range.subnets) list.addSubnet(network, prefix, isIPv4(network) ? 'ipv4' : 'ipv6');
  return { ...range, list };
});

/** Names that reach metadata services without any DNS trick. */
const FORBIDDEN_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/** Judges one IP address (v4 or v6, as text). Anything that is not an IP address is forbidden. */
export function classifyAddress(address: string): AddressVerdict {
  const ip = embeddedIPv4(address) ?? address;
  const type = isIPv4(ip) ? 'ipv4' : isIP(ip) === 6 ? 'ipv6' : null;
  if (!type) return { class: 'forbidden', kind: 'not an IP address' };
  const range = RANGE_LISTS.find(({ list }) => list.check(ip, type));
  if (range) return { class: range.class, kind: range.kind };
  return { class: 'public', kind: 'public' };
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or IPv4-compatible (::/96) IPv6 address. */
function embeddedIPv4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const groups = expandIPv6(address);
  const high = groups.slice(0, 6).map((group) => group.toString(16)).join(':');
  // ::/96 minus :: and ::1, which are IPv6 addresses of their own.
  const embeds = high === '0:0:0:0:0:ffff' || high === '64:ff9b:0:0:0:0' || (high === '0:0:0:0:0:0' && (groups[6] !== 0 || groups[7]! > 1));
  if (!embeds) return null;
  const [a, b] = [groups[6]!, groups[7]!];
  return [a >> 8, a & 0xff, b >> 8, b & 0xff].join('.');
}

function expandIPv6(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}

export interface OutboundPolicy {
  /** Loopback and private ranges are reachable (embedded/demo installs, tests). */
  allowPrivateNetworks: boolean;
}

/** Why an address may not be contacted, or null when it may. */
export function refusalFor(verdict: AddressVerdict, policy: OutboundPolicy): string | null {
  if (verdict.class === 'forbidden') return `it is a ${verdict.kind} address, which is never allowed`;
  if (verdict.class === 'private' && !policy.allowPrivateNetworks) {
    return `it is a ${verdict.kind} address; set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow internal addresses`;
  }
  return null;
}

/** The host part as the policy compares it: lower case, no IPv6 brackets, no trailing dot. */
export function normalizedHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
}

/**
 * What can be decided from the URL alone (before any DNS lookup): scheme, credentials,
 * literal addresses and metadata service names. Returns a message for the user, or null.
 * Names (localhost included) are judged by the addresses they resolve to: `checkOutboundUrl`
 * when a URL is saved, and again at every connection (outbound-request.ts).
 */
export function outboundUrlProblem(raw: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter an http:// or https:// URL.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Enter an http:// or https:// URL.';
  if (url.username || url.password) {
    return 'Remove the user name and password from the URL; deliveries are authenticated by their signature.';
  }
  const host = normalizedHost(url);
  if (FORBIDDEN_NAMES.has(host)) return `${host} is a cloud metadata service, which is never allowed.`;
  const refusal = isIP(host) ? refusalFor(classifyAddress(host), policy) : null;
  return refusal ? `${host} is not allowed: ${refusal}.` : null;
}

/** The URL with any password replaced, for lists, logs and error messages. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (!url.password) return raw;
    url.password = '***';
    return url.toString();
  } catch {
    return raw;
  }
}

/**
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS: on by default in embedded mode (DATABASE_URL unset when
 * ModelDeck starts; `modeldeck start` passes the default on to the server), off otherwise.
 */
export function outboundPolicy(): OutboundPolicy {
  const raw = process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS?.trim().toLowerCase();
  if (raw === undefined || raw === '') return { allowPrivateNetworks: !process.env.DATABASE_URL };
  if (['true', '1', 'yes', 'on'].includes(raw)) return { allowPrivateNetworks: true };
  if (['false', '0', 'no', 'off'].includes(raw)) return { allowPrivateNetworks: false };
  throw new Error(`WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false, got "${process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS}".`);
}
