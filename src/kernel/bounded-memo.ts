/**
 * `fn`'s answers kept per key, for at most `max` keys; past that, answers are computed and not kept. Meant for
 * costly pure lookups (building an Intl formatter, canonicalizing a locale tag) whose keys can come from clients:
 * an unbounded map would let a caller grow the process's memory by sending new keys, and a bound that evicted
 * would let the same caller churn it. `keep` can refuse keys not worth a slot (junk, or long ones).
 */
export interface BoundedMemo<K, V> {
  (key: K): V;
  /** How many answers are kept (for tests). */
  readonly size: number;
}

export function boundedMemo<K, V>(fn: (key: K) => V, opts: { max: number; keep?: (key: K, value: V) => boolean }): BoundedMemo<K, V> {
  const kept = new Map<K, V>();
  const memo = (key: K): V => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = fn(key);
    if (kept.size < opts.max && (opts.keep?.(key, value) ?? true)) kept.set(key, value);
    return value;
  };
  return Object.defineProperty(memo, 'size', { get: () => kept.size }) as BoundedMemo<K, V>;
}
