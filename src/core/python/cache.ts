/**
 * A bounded least-recently-used memo. Re-analysing a notebook after one cell changed asks for the
 * facts of every cell again; memoising by source text means only the edited cell is re-parsed.
 */

interface Entry<V> {
  value: V;
  /** The clock reading of the last get or set. */
  used: number;
}

/**
 * A map that forgets its least recently used entries once it holds more than `capacity`. A hit
 * only stamps the entry (re-analysis after an edit hits every cell but one, so hits must be
 * cheap); eviction sorts by stamp and drops the oldest tenth at once, so its cost is shared by
 * many inserts.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private clock = 0;

  constructor(readonly capacity: number) {}

  /** The cached value, marking it as most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    entry.used = ++this.clock;
    return entry.value;
  }

  /** Stores a value, evicting the oldest entries when over capacity. */
  set(key: K, value: V): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      entry.value = value;
      entry.used = ++this.clock;
      return;
    }
    this.entries.set(key, { value, used: ++this.clock });
    if (this.entries.size > this.capacity) this.evict();
  }

  /** The number of cached entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    const keep = this.capacity - Math.floor(this.capacity / 10);
    const byAge = [...this.entries].sort((a, b) => a[1].used - b[1].used);
    for (let i = 0; i < byAge.length - keep; i++) this.entries.delete(byAge[i]![0]);
  }
}
