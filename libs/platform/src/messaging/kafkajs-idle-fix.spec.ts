import { createRequire } from 'node:module';
import { installKafkajsIdleFix } from './kafkajs-idle-fix.js';

interface QueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
}

describe('kafkajs request-queue idle fix', () => {
  const { prototype } = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as {
    prototype: { scheduleCheckPendingRequests(this: QueueState): void };
  };
  const schedule = (state: QueueState) => {
    prototype.scheduleCheckPendingRequests.call(state);
    const armed = state.throttleCheckTimeoutId !== null;
    if (state.throttleCheckTimeoutId) clearTimeout(state.throttleCheckTimeoutId);
    return armed;
  };

  it('is installed once (importing it patched kafkajs already)', () => {
    expect(installKafkajsIdleFix()).toBe(false);
  });

  it('arms no timer for an empty, unthrottled queue', () => {
    expect(schedule({ pending: [], throttledUntil: -1, throttleCheckTimeoutId: null })).toBe(false);
  });

  it('still arms one when requests wait or the broker throttles', () => {
    expect(schedule({ pending: [{}], throttledUntil: -1, throttleCheckTimeoutId: null })).toBe(true);
    expect(schedule({ pending: [], throttledUntil: Date.now() + 1_000, throttleCheckTimeoutId: null })).toBe(true);
  });
});
