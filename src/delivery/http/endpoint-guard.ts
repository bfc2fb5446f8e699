import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why a delivery was refused: the endpoint resolves only to non-public addresses. */
export class PrivateEndpointError extends Error {
  override readonly name = 'PrivateEndpointError';
  readonly code = 'HERALD_PRIVATE_ENDPOINT';

  constructor(host: string, address: string) {
    super(
      `endpoint ${host} resolves to ${address}, a loopback, link-local or private address;` +
        ' start Herald with --allow-private-endpoints to deliver there',
    );
  }
}

/**
 * True for an address on the public internet; false for loopback, link-local, private,
 * carrier-grade NAT, multicast, reserved and unspecified ones. An IPv6 address that carries
 * an IPv4 address (IPv4-compatible `::/96`, IPv4-mapped `::ffff:0:0/96`, NAT64
 * `64:ff9b::/96`, 6to4 `2002::/16`) is judged as the IPv4 address it carries, so `::`,
 * `::1` and `::127.0.0.1` are refused like `0.0.0.0` and `127.0.0.1`.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  const carried = parsed.kind() === 'ipv6' ? embeddedIPv4(parsed as ipaddr.IPv6) : undefined;
  return (carried ?? parsed).range() === 'unicast';
}

/** The IPv4 address an IPv6 address carries by one of the embedding schemes, if any. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const words = address.parts;
  const zeros = (from: number, to: number): boolean =>
    words.slice(from, to).every((word) => word === 0);
  if (zeros(0, 6) || (zeros(0, 5) && words[5] === 0xffff)) return ipv4Of(words[6], words[7]);
  if (words[0] === 0x64 && words[1] === 0xff9b && zeros(2, 6)) {
    return ipv4Of(words[6], words[7]);
  }
  if (words[0] === 0x2002) return ipv4Of(words[1], words[2]);
  return undefined;
}

function ipv4Of(high = 0, low = 0): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * Throws {@link PrivateEndpointError} when a URL's host is an IP literal that is not public.
 * Host names are judged after DNS resolution, by {@link publicOnlyLookup}.
 */
export function checkLiteralHost(url: URL): void {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw new PrivateEndpointError(host, host);
}

/**
 * A DNS lookup for sockets that keeps only public addresses, so that a name pointing at
 * the network Herald runs in cannot be reached; fails with {@link PrivateEndpointError}
 * when none is left.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  const all: LookupOptions & { all: true } = { ...options, all: true };
  dnsLookup(hostname, all, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '');
      return;
    }
    const allowed = addresses.filter((entry) => isPublicAddress(entry.address));
    const first = allowed[0];
    if (!first) {
      callback(new PrivateEndpointError(hostname, addresses[0]?.address ?? 'nothing'), '');
      return;
    }
    if (options.all) callback(null, allowed);
    else callback(null, first.address, first.family);
  });
};
