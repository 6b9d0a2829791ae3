import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 (its last release) re-arms a timer in every connection's
 * request queue even when nothing waits in it; the delay it computes is then
 * negative, so the queue wakes every millisecond for the life of the
 * connection (tulios/kafkajs#1704 and #1751: the TimeoutNegativeWarning on
 * Node 24). Here that costs each idle service about 3 % of a core. Requests
 * never depend on that timer: a queued request schedules its own check, and
 * every answer checks the queue again, so the timer is skipped when the queue
 * is empty and not throttled.
 */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests: (this: RequestQueueInternals) => void;
}

const require = createRequire(import.meta.url);

export function installKafkajsIdleFix(): boolean {
  let prototype: RequestQueueInternals | undefined;
  try {
    prototype = (require('kafkajs/src/network/requestQueue/index.js') as { prototype?: RequestQueueInternals }).prototype;
  } catch {
    return false; // another kafkajs layout: leave it alone
  }
  const original = prototype?.scheduleCheckPendingRequests;
  if (!prototype || typeof original !== 'function' || (original as { idleFix?: true }).idleFix) return false;
  const patched = function (this: RequestQueueInternals): void {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    original.call(this);
  };
  Object.assign(patched, { idleFix: true });
  prototype.scheduleCheckPendingRequests = patched;
  return true;
}

installKafkajsIdleFix();
