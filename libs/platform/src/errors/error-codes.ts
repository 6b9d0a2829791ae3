/**
 * Stable error codes. Services throw DomainError with one of these; the
 * problem-details filter maps the code to an HTTP status and a title, so no
 * service ever throws an HTTP exception itself.
 */
export const ErrorCatalog = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  MALFORMED_REQUEST: { status: 400, title: 'Malformed request' },
  CANNOT_FOLLOW_SELF: { status: 400, title: 'Cannot follow yourself' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid credentials' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Route not found' },
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  POST_NOT_FOUND: { status: 404, title: 'Post not found' },
  COMMENT_NOT_FOUND: { status: 404, title: 'Comment not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  USERNAME_TAKEN: { status: 409, title: 'Username already taken' },
  EMAIL_TAKEN: { status: 409, title: 'Email already registered' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  URI_TOO_LONG: { status: 414, title: 'Request URI too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL: { status: 500, title: 'Internal error' },
  UPSTREAM_UNAVAILABLE: { status: 503, title: 'Service temporarily unavailable' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timed out' },
  NOT_READY: { status: 503, title: 'Service not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ErrorCatalog;

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ErrorCatalog[code].title,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCatalog, value);
}

/** Stable URI of a problem type; documented in docs/api.md. */
export function problemTypeUri(code: ErrorCode): string {
  return `https://warble.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}
