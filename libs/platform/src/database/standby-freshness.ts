/** A WAL position (`16/B374D848`) as a byte offset. */
export function parseLsn(lsn: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!match) throw new Error(`not a WAL position: ${lsn}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

/** Positions of the primary kept to match the standby's replay against: one per check, about two minutes' worth. */
const MAX_SAMPLES = 120;

/**
 * How old the standby's data may be, as an upper bound (docs/scaling.md,
 * "Postgres standby"). Each check first asks the primary for its WAL
 * position, noting the local time before asking: every transaction committed
 * by then is at or below that position. Then it asks the standby how far it
 * has replayed. The newest primary position at or below the replayed one
 * tells the latest moment up to which every commit is visible on the standby;
 * its data are at most `now - that moment` old. An idle primary does not make
 * the standby look behind (its position does not move), and a standby that
 * stopped replaying looks older with every passing second, checked or not.
 */
export class StandbyFreshness {
  private samples: { at: number; lsn: bigint }[] = [];
  private coveredUntil: number | undefined;

  /** The primary's WAL position, asked at local time `at` (taken before the query was sent). */
  primaryAt(at: number, lsn: bigint): void {
    this.samples.push({ at, lsn });
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
  }

  /** The standby's replayed position; returns how many WAL bytes it is behind the newest primary position. */
  replayed(lsn: bigint): bigint {
    let covered = -1;
    for (let index = this.samples.length - 1; index >= 0; index--) {
      if (this.samples[index].lsn <= lsn) {
        covered = index;
        break;
      }
    }
    if (covered >= 0) {
      const at = this.samples[covered].at;
      this.coveredUntil = this.coveredUntil === undefined ? at : Math.max(this.coveredUntil, at);
      // Older samples can never matter again: the replayed position only grows.
      this.samples = this.samples.slice(covered);
    }
    const newest = this.samples.at(-1);
    return newest && newest.lsn > lsn ? newest.lsn - lsn : 0n;
  }

  /** Milliseconds the standby's data may be behind at `now`; undefined before any check has matched. */
  staleness(now: number): number | undefined {
    return this.coveredUntil === undefined ? undefined : Math.max(0, now - this.coveredUntil);
  }

  /** Forgets everything: after a failure the standby must prove again how far it has replayed. */
  reset(): void {
    this.samples = [];
    this.coveredUntil = undefined;
  }
}
