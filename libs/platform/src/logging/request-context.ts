import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
  /** Raw `Authorization` header of the caller, forwarded by the gateway. */
  authorization?: string;
  /** Id of the caller once the auth guard has verified their token (read-your-own-writes, database/replica-reads.ts). */
  callerId?: string;
  /** The caller's `X-Warble-Canary` choice, honoured by the ServiceClient's canary split (http/canary-split.ts). */
  canary?: 'always' | 'never';
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with a request context visible to everything it calls. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The verified caller of the request being served, if any. */
export function currentCallerId(): string | undefined {
  return storage.getStore()?.callerId;
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's request id when it is short and harmless, otherwise makes one. */
export function acceptRequestId(candidate: unknown): string {
  return typeof candidate === 'string' && SANE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}
