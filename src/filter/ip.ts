import ipaddr from 'ipaddr.js';

/** An IP address as a number: 32 bits for IPv4, 128 bits for IPv6. */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

/** An inclusive address range of one IP version. */
export interface IpRange {
  version: 4 | 6;
  low: bigint;
  high: bigint;
}

const LOOKS_LIKE_IP = /^[\d.]+$|:/;

function toBigInt(bytes: number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/**
 * Parses a literal IPv4 (four decimal parts) or IPv6 address; null when `text` is anything
 * else (host names, zone ids and partial forms are not addresses here).
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (text.length < 2 || text.length > 45 || !LOOKS_LIKE_IP.test(text)) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { version: 4, value: toBigInt(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) {
    return { version: 6, value: toBigInt(ipaddr.IPv6.parse(text).toByteArray()) };
  }
  return null;
}

/**
 * Parses `address/bits` into the range it covers; host bits are ignored (the range starts
 * at the network address). Throws an Error whose message is the policy error to report.
 */
export function parseCidr(text: string): IpRange {
  const parts = text.split('/');
  if (parts.length !== 2) throw new Error("Malformed CIDR, one '/' required");
  const [addressText = '', bitsText = ''] = parts;
  if (!/^-?\d+$/.test(bitsText)) throw new Error('Malformed CIDR, mask bits must be an integer');
  const bits = Number(bitsText);
  if (bits < 0) throw new Error('Malformed CIDR, mask bits must not be negative');

  const address = parseIpAddress(addressText);
  if (address === null) throw new Error(`Nonstandard IP address: ${addressText}`);
  const width = address.version === 4 ? 32 : 128;
  if (bits > width) throw new Error(`IPv${address.version} mask bits must be <= ${width}`);

  const hostBits = BigInt(width - bits);
  const hostMask = (1n << hostBits) - 1n;
  const low = address.value & ~hostMask;
  return { version: address.version, low, high: low | hostMask };
}

/** Whether `address` lies in `range`. */
export function ipInRange(address: IpAddress, range: IpRange): boolean {
  return (
    address.version === range.version && address.value >= range.low && address.value <= range.high
  );
}
