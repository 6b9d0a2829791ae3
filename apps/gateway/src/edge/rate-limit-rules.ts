/**
 * Which budgets a request consumes (docs/api.md, "Limits"). Pure and
 * allocation-free: each answer is one of the constant lists below.
 */
export type BudgetName = 'api-user' | 'api-ip' | 'search-user' | 'search-ip' | 'writes-user' | 'auth-ip';

const API_PREFIX = '/api/';
const AUTH_PREFIX = '/api/v1/auth/';
const SEARCH_PREFIX = '/api/v1/search/';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const AUTH_BUDGETS: readonly BudgetName[] = Object.freeze(['auth-ip']);
export const USER_READ_BUDGETS: readonly BudgetName[] = Object.freeze(['api-user']);
export const USER_WRITE_BUDGETS: readonly BudgetName[] = Object.freeze(['api-user', 'writes-user']);
export const USER_SEARCH_BUDGETS: readonly BudgetName[] = Object.freeze(['api-user', 'search-user']);
export const ANONYMOUS_BUDGETS: readonly BudgetName[] = Object.freeze(['api-ip']);
export const ANONYMOUS_SEARCH_BUDGETS: readonly BudgetName[] = Object.freeze(['api-ip', 'search-ip']);

/** Every list budgetsFor can answer, for callers that prepare something per list. */
export const BUDGET_LISTS = [AUTH_BUDGETS, USER_READ_BUDGETS, USER_WRITE_BUDGETS, USER_SEARCH_BUDGETS, ANONYMOUS_BUDGETS, ANONYMOUS_SEARCH_BUDGETS];

/**
 * The budgets of a request to the route template `route` (not the raw URL, so
 * that `//api/v1/auth/login` or `%2F` tricks do not pick another rule), or
 * undefined for routes outside the API (health, metrics, docs), which are not
 * limited. `/auth/*` is counted per client IP only: who logs in is not known
 * yet, and the users service throttles failed logins per account.
 */
export function budgetsFor(route: string | undefined, method: string, authenticated: boolean): readonly BudgetName[] | undefined {
  if (route === undefined || !route.startsWith(API_PREFIX)) return undefined;
  if (route.startsWith(AUTH_PREFIX)) return AUTH_BUDGETS;
  const search = route.startsWith(SEARCH_PREFIX);
  if (!authenticated) return search ? ANONYMOUS_SEARCH_BUDGETS : ANONYMOUS_BUDGETS;
  if (search) return USER_SEARCH_BUDGETS;
  return WRITE_METHODS.has(method) ? USER_WRITE_BUDGETS : USER_READ_BUDGETS;
}

/** Budgets counted per verified user; the others per client IP. */
export function isPerUser(name: BudgetName): boolean {
  return name.endsWith('-user');
}
