/**
 * A tester's choice of track (docs/operations.md, "A canary on this
 * machine"): `X-Warble-Canary: always` sends the request to the canary
 * wherever one runs, `never` keeps it on the stable replicas; any other value
 * is ignored. The Kubernetes ingress honours the same header.
 */
export const CANARY_HEADER = 'x-warble-canary';

export type CanaryOverride = 'always' | 'never';

export function canaryOverride(header: string | string[] | undefined): CanaryOverride | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  return value === 'always' || value === 'never' ? value : undefined;
}

/**
 * Whether one request goes to the canary: as the override says, otherwise
 * with a probability of `percent` in 100, chosen per request (so the share
 * holds whatever the clients' connections are).
 */
export function routeToCanary(percent: number, override: CanaryOverride | undefined, random: () => number = Math.random): boolean {
  if (override === 'always') return true;
  if (override === 'never' || percent <= 0) return false;
  return random() * 100 < percent;
}
