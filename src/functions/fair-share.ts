/** What one function asks of the server-wide concurrency limit. */
export interface ConcurrencyClaim {
  /** Executions the function would use now. */
  wanted: number;
  /** Its reserved concurrency, when it has one: a cap and a guarantee. */
  reserved?: number;
}

/**
 * Splits a server-wide concurrency limit between functions as Lambda splits an account's:
 * a function with reserved concurrency gets what it wants up to its reservation; the
 * others share what no function reserves, max-min fairly (a function that wants little
 * gets it all, the rest is split evenly), so one function's flood cannot starve another.
 * Returns the executions granted to each claim, in order.
 */
export function fairShare(claims: readonly ConcurrencyClaim[], limit: number): number[] {
  const granted = claims.map((claim) =>
    claim.reserved === undefined ? 0 : Math.min(claim.wanted, claim.reserved),
  );

  let reservedTotal = 0;
  for (const claim of claims) reservedTotal += claim.reserved ?? 0;
  let unreserved = Math.max(0, limit - reservedTotal);

  const open = claims
    .map((claim, index) => ({ index, wanted: claim.wanted }))
    .filter((each, index) => claims[index]?.reserved === undefined && each.wanted > 0)
    .sort((a, b) => a.wanted - b.wanted);

  let sharing = open.length;
  for (const { index, wanted } of open) {
    const share = Math.min(unreserved, Math.ceil(unreserved / sharing));
    const given = Math.min(wanted, share);
    granted[index] = given;
    unreserved -= given;
    sharing--;
  }
  return granted;
}
