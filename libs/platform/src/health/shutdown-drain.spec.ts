import { ShutdownDrain } from './shutdown-drain.js';

describe('ShutdownDrain', () => {
  it('reports draining from the moment shutdown begins and holds the shutdown for the drain time', async () => {
    const drain = new ShutdownDrain({ SHUTDOWN_DRAIN_MS: 200 });
    expect(drain.draining).toBe(false);
    const started = Date.now();
    const held = drain.beforeApplicationShutdown();
    expect(drain.draining).toBe(true);
    await held;
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('does not hold the shutdown when the drain time is 0', async () => {
    const drain = new ShutdownDrain({ SHUTDOWN_DRAIN_MS: 0 });
    const started = Date.now();
    await drain.beforeApplicationShutdown();
    expect(drain.draining).toBe(true);
    expect(Date.now() - started).toBeLessThan(50);
  });
});
