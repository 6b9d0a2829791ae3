import { createHash } from 'node:crypto';
import { clientAddressKey } from '../rate-limit/client-address.js';
import type { ExperimentSubject } from './evaluator.js';

/** A client-chosen installation id (X-Client-Id): long enough to be unique, short and plain enough to log. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{16,128}$/;

/**
 * The hashed id of an anonymous caller (docs/api.md, "Experiments"): SHA-256
 * of its X-Client-Id when it sends a well-formed one, otherwise of its
 * address (IPv6 by /64) and User-Agent, cut to 128 bits as 32 hex digits.
 * Stable for as long as the client keeps its id (or its address and
 * browser), and the raw values never leave the gateway. Pseudonymous, not
 * anonymous: an address-based id can be recomputed by whoever knows the
 * address and browser.
 */
export function anonymousId(clientId: string | undefined, ip: string, userAgent: string | undefined): string {
  const source = clientId !== undefined && CLIENT_ID.test(clientId) ? `client:${clientId}` : `address:${clientAddressKey(ip)}\n${userAgent ?? ''}`;
  return createHash('sha256').update(`warble-anonymous-id\n${source}`).digest('hex').slice(0, 32);
}

/** The subject experiments hash: the signed-in user, or the anonymous id. */
export function experimentSubject(userId: string | undefined, anonymous: () => string): ExperimentSubject {
  return userId !== undefined ? { id: `user:${userId}`, loggedIn: true } : { id: `anonymous:${anonymous()}`, loggedIn: false };
}
