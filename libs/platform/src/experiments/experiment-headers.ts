import { AnonymousId, ExperimentName } from '@app/contracts';

/*
 * How an assignment travels from the gateway to the service that owns the
 * route (docs/architecture.md, "Experiments"). The gateway builds these
 * headers itself and never forwards a client's own; a service believes them
 * only from its TRUST_PROXY addresses (peer-trust.ts).
 */

/** `search-ranking=treatment, other=control`: the caller's variant of each experiment of the route. Also sent to the client. */
export const EXPERIMENTS_HEADER = 'x-warble-experiments';
/** The hashed id of an anonymous caller, so the service records its exposure under the id the gateway hashed. */
export const ANONYMOUS_ID_HEADER = 'x-warble-anonymous-id';

const MAX_ENTRIES = 16;

/** Experiment name → variant key. */
export type Assignments = ReadonlyMap<string, string>;

export function formatAssignments(assignments: Assignments): string {
  return [...assignments].map(([name, variant]) => `${name}=${variant}`).join(', ');
}

/** Reads the header; entries that are not `name=variant` are dropped, as is everything after the first 16. */
export function parseAssignments(header: string | string[] | undefined): Map<string, string> {
  const assignments = new Map<string, string>();
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return assignments;
  for (const entry of value.split(',').slice(0, MAX_ENTRIES)) {
    const [name, variant, extra] = entry.trim().split('=');
    if (extra === undefined && ExperimentName.safeParse(name).success && ExperimentName.safeParse(variant).success) assignments.set(name, variant);
  }
  return assignments;
}

export function parseAnonymousId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && AnonymousId.safeParse(header).success ? header : undefined;
}
