import { canaryOverride, routeToCanary } from './canary-split.js';

describe('the canary split', () => {
  it('reads the override header, ignoring case and anything else', () => {
    expect(canaryOverride('always')).toBe('always');
    expect(canaryOverride(' Never ')).toBe('never');
    expect(canaryOverride(['always', 'never'])).toBe('always');
    expect(canaryOverride('sometimes')).toBeUndefined();
    expect(canaryOverride(undefined)).toBeUndefined();
  });

  it('honours the override whatever the share', () => {
    expect(routeToCanary(0, 'always', () => 0.99)).toBe(true);
    expect(routeToCanary(100, 'never', () => 0)).toBe(false);
  });

  it('sends percent in 100 of the requests to the canary', () => {
    expect(routeToCanary(10, undefined, () => 0.0999)).toBe(true);
    expect(routeToCanary(10, undefined, () => 0.1)).toBe(false);
    expect(routeToCanary(0, undefined, () => 0)).toBe(false);
    let chosen = 0;
    for (let i = 0; i < 20_000; i++) if (routeToCanary(10, undefined)) chosen++;
    // 10 % of 20,000 has a standard deviation of 0.21 points; one point either side never fails by chance.
    expect(chosen / 20_000).toBeGreaterThan(0.09);
    expect(chosen / 20_000).toBeLessThan(0.11);
  });
});
