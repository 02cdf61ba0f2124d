// The resource and scope of every row: a row keeps a small id (spanTable.ts W_SCOPE) into this registry, as
// the rows of one ResourceSpans / ScopeSpans share one pair. Equal pairs from different requests share an id.
import { formatAnyValue } from '../model/anyValue';
import type { Resource, Scope } from '../model/span';
import { resourceIdentity } from './runIdentity';

export interface ScopeRef {
  readonly resource: Resource;
  readonly scope: Scope;
  /** The msgtrace SDK's scope: its root spans are nested by time (docs/store.md, "Inferred nesting"). */
  readonly msgtrace: boolean;
}

export class ScopeRegistry {
  private readonly refs: ScopeRef[] = [];
  private readonly ids = new Map<string, number>();
  // The decoder shares one Scope object per ScopeSpans: most rows find their id here, without building a key.
  private readonly byScope = new WeakMap<Scope, { resource: Resource; id: number }>();

  idOf(resource: Resource, scope: Scope): number {
    const known = this.byScope.get(scope);
    if (known !== undefined && known.resource === resource) return known.id;
    const attrs = (kvs: Scope['attributes']) => kvs.map(kv => `${kv.key}=${kv.value === null ? '' : formatAnyValue(kv.value)}`).join('\u0001');
    const key = [resourceIdentity(resource), resource.schemaUrl, resource.droppedAttributesCount, scope.name, scope.version, scope.schemaUrl, scope.droppedAttributesCount, attrs(scope.attributes)].join('\u0002');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.refs.length;
      this.refs.push({ resource, scope, msgtrace: scope.name.startsWith('msgtrace') });
      this.ids.set(key, id);
    }
    this.byScope.set(scope, { resource, id });
    return id;
  }

  get(id: number): ScopeRef {
    return this.refs[id]!;
  }
}
