/**
 * Freezes a JSON-safe value and everything it holds, so the memory backend can keep and hand out the value itself
 * instead of a JSON copy: a change through any reference throws (modules run in strict mode) instead of silently
 * changing stored data.
 */

/** Freezes `value` and every object and array inside it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  Object.freeze(value);
  // for...in: measured faster here than Object.values or Object.keys (no array per object); plain data inherits nothing.
  for (const key in value) deepFreeze(value[key]);
  return value;
}
