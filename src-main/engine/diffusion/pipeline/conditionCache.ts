/**
 * Memoises conditioning images for the frames of the current windows: every step asks for the
 * same frames again, and drawing a pose is most of our per-call overhead. Bounded (oldest out).
 */
export function conditionCache<T>(
  make: (frame: number) => T,
  capacity: number,
): (frame: number) => T {
  const cache = new Map<number, T>();
  return (frame) => {
    const hit = cache.get(frame);
    if (hit !== undefined) return hit;
    const value = make(frame);
    cache.set(frame, value);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
    return value;
  };
}
