/**
 * Which counter a login attempt is charged to (docs/api.md, "Login throttling").
 * Once the login names an account, its id: the username and the e-mail of one
 * account, in any letter case, share one counter. An unknown login is counted
 * under its normalised text the same way, so being throttled tells nothing
 * about whether an account exists.
 */
export function accountThrottleKey(login: string, accountId: string | undefined): string {
  return accountId === undefined ? `login:${normaliseLogin(login)}` : `id:${accountId}`;
}

/** NFC, then lower case: `ALICE@Example.com` and `alice@example.com` (or a decomposed `é` and `é`) are one login. */
export function normaliseLogin(login: string): string {
  return login.normalize('NFC').toLowerCase();
}

/**
 * Length of the n-th block (n from 1) of one account within the blocks'
 * memory: the first lasts `firstSeconds`, each further one twice the one
 * before, never more than `maxSeconds`.
 */
export function blockSeconds(blockNumber: number, firstSeconds: number, maxSeconds: number): number {
  const doublings = Math.max(0, Math.floor(blockNumber) - 1);
  // 2 ** 1100 is Infinity, and Math.min keeps the cap: no overflow to guard against.
  return Math.min(maxSeconds, firstSeconds * 2 ** doublings);
}
