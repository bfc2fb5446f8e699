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
 * carrier-grade NAT, multicast, reserved and unspecified ones (IPv4-mapped IPv6 addresses
 * are judged as the IPv4 address they carry).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
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
