import { parseLsn, StandbyFreshness } from './standby-freshness.js';

describe('parseLsn', () => {
  it('reads both hex halves of a WAL position', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
  });

  it('refuses anything else', () => {
    expect(() => parseLsn('16B374D848')).toThrow('not a WAL position');
    expect(() => parseLsn('')).toThrow('not a WAL position');
  });
});

describe('StandbyFreshness', () => {
  it('knows nothing before a replayed position matched a primary position', () => {
    const freshness = new StandbyFreshness();
    expect(freshness.staleness(1_000)).toBeUndefined();
    freshness.primaryAt(1_000, 500n);
    expect(freshness.replayed(400n)).toBe(100n);
    expect(freshness.staleness(1_100)).toBeUndefined();
  });

  it('is as old as the newest primary position the standby has replayed, and ages while nothing is checked', () => {
    const freshness = new StandbyFreshness();
    freshness.primaryAt(1_000, 500n);
    freshness.primaryAt(2_000, 700n);
    freshness.primaryAt(3_000, 900n);
    // Replayed past 700 but not 900: every commit before t=2000 is visible.
    expect(freshness.replayed(800n)).toBe(100n);
    expect(freshness.staleness(3_050)).toBe(1_050);
    expect(freshness.staleness(10_000)).toBe(8_000);
  });

  it('stays current on an idle primary whose position does not move', () => {
    const freshness = new StandbyFreshness();
    for (let at = 1_000; at <= 5_000; at += 1_000) {
      freshness.primaryAt(at, 700n);
      expect(freshness.replayed(700n)).toBe(0n);
    }
    expect(freshness.staleness(5_020)).toBe(20);
  });

  it('never moves backwards when an older position is reported', () => {
    const freshness = new StandbyFreshness();
    freshness.primaryAt(1_000, 500n);
    freshness.primaryAt(2_000, 700n);
    freshness.replayed(700n);
    freshness.replayed(500n);
    expect(freshness.staleness(2_500)).toBe(500);
  });

  it('forgets everything on reset: the standby must prove its position again', () => {
    const freshness = new StandbyFreshness();
    freshness.primaryAt(1_000, 500n);
    freshness.replayed(500n);
    freshness.reset();
    expect(freshness.staleness(1_200)).toBeUndefined();
  });
});
