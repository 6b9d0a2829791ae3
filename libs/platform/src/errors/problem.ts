import { DomainError, ErrorCatalog, type ErrorCode, type FieldError, problemTypeUri } from './error-codes.js';

/** RFC 9457 problem details, with the stable `code` as an extension member. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemFor(code: ErrorCode, detail: string, requestId?: string, errors?: FieldError[]): ProblemDetails {
  const entry = ErrorCatalog[code];
  return {
    type: problemTypeUri(code),
    title: entry.title,
    status: entry.status,
    detail,
    code,
    ...(requestId ? { requestId } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}

/** Carries a complete problem, e.g. one a service answered and the gateway passes on. */
export class ProblemError extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
    this.name = 'ProblemError';
  }
}

/** Framework and Fastify errors that carry a client-side status, by status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

/** Client-safe texts for errors the framework raises before our code runs. */
const FRAMEWORK_DETAIL: Partial<Record<ErrorCode, string>> = {
  MALFORMED_REQUEST: 'The request could not be parsed.',
  ROUTE_NOT_FOUND: 'No route matches this method and path.',
  PAYLOAD_TOO_LARGE: 'The request body exceeds the allowed size.',
  UNSUPPORTED_MEDIA_TYPE: 'Send the body as application/json.',
};

/**
 * Maps anything thrown to a problem. Only DomainError messages reach the
 * client verbatim; everything else gets a generic text so that no stack, SQL
 * or host name leaks.
 */
export function toProblem(error: unknown, requestId?: string): ProblemDetails {
  if (error instanceof DomainError) {
    return problemFor(error.code, error.message, requestId, error.fieldErrors);
  }
  if (error instanceof ProblemError) {
    return { ...error.problem, ...(requestId ? { requestId } : {}) };
  }
  const status = statusOf(error);
  const code = status !== undefined ? CODE_BY_STATUS[status] : undefined;
  if (code) {
    return problemFor(code, FRAMEWORK_DETAIL[code] ?? ErrorCatalog[code].title, requestId);
  }
  return problemFor('INTERNAL', 'An unexpected error occurred.', requestId);
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { getStatus?: () => number; statusCode?: unknown; status?: unknown };
  if (typeof candidate.getStatus === 'function') return candidate.getStatus();
  if (typeof candidate.statusCode === 'number') return candidate.statusCode;
  if (typeof candidate.status === 'number') return candidate.status;
  return undefined;
}
