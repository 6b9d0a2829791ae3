/**
 * Snowflake ids: 41 bits of milliseconds since EPOCH, 10 bits of worker id and
 * a 12-bit sequence. Time-ordered, so `id < cursor` pagination needs no OFFSET.
 */
export const SNOWFLAKE_EPOCH_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z

const WORKER_BITS = 10n;
const SEQUENCE_BITS = 12n;
const MAX_SEQUENCE = (1n << SEQUENCE_BITS) - 1n;
const MAX_WORKER = (1 << Number(WORKER_BITS)) - 1;

export class SnowflakeGenerator {
  private lastMs = -1;
  private sequence = 0n;

  constructor(
    private readonly workerId: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(workerId) || workerId < 0 || workerId > MAX_WORKER) {
      throw new RangeError(`workerId must be an integer in 0..${MAX_WORKER}`);
    }
  }

  /** Returns the next id as a decimal string (the JSON and event form). */
  next(): string {
    return this.nextBigInt().toString();
  }

  nextBigInt(): bigint {
    let ms = Math.max(this.now(), this.lastMs); // a clock step back never reorders ids
    if (ms === this.lastMs) {
      this.sequence = (this.sequence + 1n) & MAX_SEQUENCE;
      if (this.sequence === 0n) {
        // 4096 ids in one millisecond: borrow the next millisecond.
        ms = this.lastMs + 1;
      }
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    return (BigInt(ms - SNOWFLAKE_EPOCH_MS) << (WORKER_BITS + SEQUENCE_BITS)) | (BigInt(this.workerId) << SEQUENCE_BITS) | this.sequence;
  }
}

/** The smallest id that could have been made at `date`: a cursor for time windows. */
export function snowflakeAt(date: Date): string {
  return (BigInt(date.getTime() - SNOWFLAKE_EPOCH_MS) << (WORKER_BITS + SEQUENCE_BITS)).toString();
}

export function snowflakeTime(id: string): Date {
  return new Date(Number(BigInt(id) >> (WORKER_BITS + SEQUENCE_BITS)) + SNOWFLAKE_EPOCH_MS);
}

const ID_PATTERN = /^[1-9][0-9]{0,18}$/;
const MAX_ID = (1n << 63n) - 1n;

/** True for a decimal string that fits a Postgres bigint and could be a Snowflake id. */
export function isSnowflakeId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value) && BigInt(value) <= MAX_ID;
}
