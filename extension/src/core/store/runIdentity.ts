// The identity of a program execution as far as its resource tells: every resource attribute, sorted, so two
// processes differing in any of them (pid, instance id, service) are different runs.
import { formatAnyValue } from '../model/anyValue';
import type { Resource } from '../model/span';

// One Resource object is shared by all spans of a ResourceSpans, so computing once per object is enough.
const cache = new WeakMap<Resource, string>();

export function resourceIdentity(resource: Resource): string {
  let key = cache.get(resource);
  if (key === undefined) {
    key = resource.attributes
      .map(kv => `${kv.key}=${kv.value === null ? '' : formatAnyValue(kv.value)}`)
      .sort()
      .join('\u0001');
    cache.set(resource, key);
  }
  return key;
}
