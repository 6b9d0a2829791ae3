/**
 * A map that keeps at most `capacity` entries, dropping the oldest insert
 * first. For process-local copies of immutable things (post contents and
 * their JSON), where an entry never needs refreshing, only forgetting.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Keeps the first value stored for a key; with capacity 0 nothing is kept. */
  set(key: K, value: V): void {
    if (this.capacity === 0 || this.entries.has(key)) return;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
