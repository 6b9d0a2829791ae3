/** What one request was assigned, and the internal headers that carry it to the service. */
export interface RouteAssignment {
  /** Each experiment of the route → the caller's variant, or undefined when the caller is not in it. */
  variants: ReadonlyMap<string, string | undefined>;
  /** X-Warble-Experiments (and the anonymous id) for the service; empty when the caller is in none. */
  headers: Record<string, string>;
  /** The value of X-Warble-Experiments, also sent to the client; undefined when the caller is in none. */
  header: string | undefined;
}
