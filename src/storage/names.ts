/**
 * How namespaces and keys become stored keys: `<namespace>::<key>`, the separator Keyv's Redis adapter uses. A
 * namespace name may not contain `::` nor end with `:`, so the first `::` of a stored key always ends the namespace
 * and two different (namespace, key) pairs never share a stored key.
 */

/** Between a namespace and a key. */
export const NAMESPACE_SEPARATOR = '::';

/** Returns `name` when it is a valid namespace name; throws a RangeError that says why it is not. */
export function checkNamespace(name: string): string {
  if (name === '' || name.includes(NAMESPACE_SEPARATOR) || name.endsWith(':')) {
    throw new RangeError(
      `storage namespace "${name}" is invalid: it must be non-empty, without "::", not ending in ":"`,
    );
  }
  return name;
}

/** The prefix of every stored key of a namespace. */
export function namespacePrefix(name: string): string {
  return `${checkNamespace(name)}${NAMESPACE_SEPARATOR}`;
}

/**
 * The prefix of every stored key of a namespace, given whether the namespace has a store of its own (the memory
 * backend keeps one map per namespace): none then, since no other namespace shares the store.
 */
export function storedKeyPrefix(name: string, ownStore: boolean): string {
  if (!ownStore) return namespacePrefix(name);
  checkNamespace(name);
  return '';
}
