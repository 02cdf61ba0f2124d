// The ingest's fast path against the classification rules: the decoder classifies a span from the attributes
// whose keys the rules declare (IntrinsicRule.keys / prefixes, collected in CLASS_ATTRIBUTE_KEYS and
// CLASS_ATTRIBUTE_PREFIXES) and memoizes by name and scope. These tests fail when a rule reads a key it does
// not declare, reads another span field, or when the byte-level key lookup disagrees with keyKind.
import * as assert from 'node:assert/strict';
import type { AnyValue } from '../../../extension/src/core/model/anyValue';
import { INDEXED_ATTRIBUTE_KEYS, INDEXED_ATTRIBUTE_PREFIXES, isIndexedAttributeKey } from '../../../extension/src/core/model/indexedAttributes';
import { Span } from '../../../extension/src/core/model/span';
import { INFO_KIND_SHIFT } from '../../../extension/src/core/model/spanColumns';
import { indexedKeyKindBytes } from '../../../extension/src/core/otlp/indexedKeys';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { CLASS_ATTRIBUTE_KEYS, CLASS_ATTRIBUTE_PREFIXES, INTRINSIC_RULES, type IntrinsicRule } from '../../../extension/src/core/semantics/classification';
import { KEY_CLASS, SOURCE_FILE_KEYS, ingestFactBits, intrinsicClassCode, keyKind } from '../../../extension/src/core/semantics/ingestFacts';
import { stringAttr } from '../../../extension/src/core/semantics/spanFacts';
import { USAGE_KEYS } from '../../../extension/src/core/semantics/usage';
import { ExportTraceServiceRequest } from '../../fixtures/otlpSchema';

// Values the rules' tables know (any case), and some they do not.
const VALUES: readonly AnyValue[] = [
  ...['llm', 'LLM', 'embedding', 'reranker', 'tool', 'retriever', 'agent', 'chain', 'guardrail', 'evaluator', 'prompt'],
  ...['workflow', 'task', 'chat', 'text_completion', 'completion', 'generate_content', 'embeddings', 'rerank', 'execute_tool'],
  ...['retrieval', 'invoke_agent', 'create_agent', 'invoke_workflow', 'flow', 'module', 'localtool', 'mcptool', 'generator'],
  ...['openai', 'gpt-4o', 'x', ''],
  3n,
];
const NAMES = ['x', 'Generator', 'scatter_gather', 'amsg_bcast_gather', 'Myagent Tool Library'];
const SCOPES = ['msgtrace.sdk', 'other.scope'];

/** Every attribute set worth trying on `rule`: none, each key alone, all of them, each with every value. */
function attributeSets(rule: IntrinsicRule, keys: readonly string[] = [...rule.keys, ...rule.prefixes.map(p => `${p}task_count`)]): Record<string, AnyValue>[] {
  const sets: Record<string, AnyValue>[] = [{}];
  for (const v of VALUES) {
    for (const k of keys) sets.push({ [k]: v });
    sets.push(Object.fromEntries(keys.map(k => [k, v])));
  }
  return sets;
}

/**
 * A span that records every property the rule reads: `attr:<key>` for indexedAttribute(key), `indexed` for a
 * scan of the indexed attributes, `scope.<p>` for the scope's, and the name of any other property.
 */
function recordingSpan(name: string, scopeName: string, attrs: Record<string, AnyValue>, reads: Set<string>): Span {
  const kvs = Object.entries(attrs).map(([key, value]) => ({ key, value }));
  const scope = new Proxy({ name: scopeName, version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' }, {
    get: (t, p) => {
      reads.add(`scope.${String(p)}`);
      return Reflect.get(t, p);
    },
  });
  return new Proxy(Object.create(Span.prototype) as Span, {
    get: (t, p) => {
      if (p === 'indexedAttribute') {
        return (key: string) => {
          reads.add(`attr:${key}`);
          return attrs[key];
        };
      }
      reads.add(String(p));
      if (p === 'name') return name;
      if (p === 'scope') return scope;
      if (p === 'indexed') return kvs;
      return Reflect.get(t, p);
    },
  });
}

/** What `rule` reads beyond its declaration, over every probe; empty when it is honest. */
function undeclaredReads(rule: IntrinsicRule): string[] {
  const extra = new Set<string>();
  for (const name of NAMES) {
    for (const scope of SCOPES) {
      for (const attrs of attributeSets(rule)) {
        const reads = new Set<string>();
        rule.match(recordingSpan(name, scope, attrs, reads));
        if (typeof rule.dialect === 'function') rule.dialect(recordingSpan(name, scope, attrs, reads));
        for (const r of reads) {
          if (r === 'name' || r === 'scope' || r === 'scope.name') continue;
          if (r.startsWith('attr:') && rule.keys.includes(r.slice(5))) continue;
          if (r === 'indexed' && rule.prefixes.length > 0) continue;
          extra.add(r);
        }
      }
    }
  }
  return [...extra];
}

describe('core/semantics class facts: the ingest fast path knows what the rules read', () => {
  for (const rule of INTRINSIC_RULES) {
    it(`rule ${rule.id} reads only its name, its scope's name and the attributes it declares`, () => {
      assert.deepEqual(undeclaredReads(rule), []);
    });
  }

  it('the check above catches a rule that reads an attribute it does not declare', () => {
    const sneaky: IntrinsicRule = { id: 'sneaky', dialect: 'generic', keys: [], prefixes: [], match: s => (stringAttr(s, 'tool.name') !== undefined ? 'tool' : undefined) };
    assert.deepEqual(undeclaredReads(sneaky), ['attr:tool.name']);
    const byKind: IntrinsicRule = { id: 'by-kind', dialect: 'generic', keys: [], prefixes: [], match: s => (s.kind === 3 ? 'model' : undefined) };
    assert.deepEqual(undeclaredReads(byKind), ['kind']);
  });

  it('every declared key is read by its rule (no stale declarations)', () => {
    for (const rule of INTRINSIC_RULES) {
      const reads = new Set<string>();
      for (const name of NAMES) for (const scope of SCOPES) for (const attrs of attributeSets(rule)) rule.match(recordingSpan(name, scope, attrs, reads));
      for (const k of rule.keys) assert.ok(reads.has(`attr:${k}`), `${rule.id} declares ${k} but never reads it`);
    }
  });

  it('every class key and prefix is indexed (the rules see indexed attributes only) and marked KEY_CLASS', () => {
    for (const k of CLASS_ATTRIBUTE_KEYS) {
      assert.ok(isIndexedAttributeKey(k), `${k} is read by a rule but not indexed`);
      assert.ok(keyKind(k) & KEY_CLASS, k);
    }
    for (const p of CLASS_ATTRIBUTE_PREFIXES) {
      const indexedUnder = INDEXED_ATTRIBUTE_KEYS.filter(k => k.startsWith(p));
      assert.ok(indexedUnder.length > 0 || INDEXED_ATTRIBUTE_PREFIXES.some(q => p.startsWith(q)), `no indexed key under ${p}`);
      for (const k of [...indexedUnder, `${p}anything`]) assert.ok(keyKind(k) & KEY_CLASS, k);
    }
  });

  it("the decoder's byte-level key kind agrees with keyKind for every key", () => {
    const keys = new Set<string>([...INDEXED_ATTRIBUTE_KEYS, ...USAGE_KEYS, ...SOURCE_FILE_KEYS, ...CLASS_ATTRIBUTE_KEYS, 'http.method', 'span.typo', 'msgflux.functional.other']);
    for (const p of [...INDEXED_ATTRIBUTE_PREFIXES, ...CLASS_ATTRIBUTE_PREFIXES]) for (const rest of ['x', 'total_tokens', 'a.b.c']) keys.add(p + rest);
    for (const k of keys) {
      const b = Buffer.from(k);
      assert.equal(indexedKeyKindBytes(b, 0, b.length), isIndexedAttributeKey(k) ? keyKind(k) : -1, k);
    }
  });

  it('the columns decode classifies and marks facts as the Span decode does, for every indexed key and value', () => {
    // Independent of the declarations: the keys a rule was seen reading, and every indexed key alone.
    const sets: Record<string, AnyValue>[] = [];
    for (const rule of INTRINSIC_RULES) {
      const reads = new Set<string>();
      for (const name of NAMES) for (const scope of SCOPES) for (const attrs of attributeSets(rule)) rule.match(recordingSpan(name, scope, attrs, reads));
      const keys = [...reads].filter(r => r.startsWith('attr:')).map(r => r.slice(5));
      sets.push(...attributeSets(rule, [...new Set([...keys, ...rule.keys, ...rule.prefixes.map(p => `${p}task_count`)])]));
    }
    for (const k of [...INDEXED_ATTRIBUTE_KEYS, ...INDEXED_ATTRIBUTE_PREFIXES.map(p => `${p}x`)]) for (const v of VALUES) sets.push({ [k]: v });
    const hex = (n: number, len: number) => Buffer.from((n + 1).toString(16).padStart(len, '0'), 'hex');
    let id = 0;
    const scopeSpans = SCOPES.map(scopeName => ({
      scope: { name: scopeName },
      spans: sets.flatMap(attrs =>
        NAMES.map(name => {
          id++;
          return {
            traceId: hex(id, 32),
            spanId: hex(id, 16),
            name,
            kind: 2,
            attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === 'bigint' ? { intValue: v.toString() } : { stringValue: v } })),
          };
        }),
      ),
    }));
    const body = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject({ resourceSpans: [{ resource: {}, scopeSpans }] })).finish();
    const cols = decodeTraceRequest(body, { columns: true }).columns!;
    const spans = decodeTraceRequest(body).spans;
    assert.equal(cols.count, spans.length);
    const factMask = (1 << INFO_KIND_SHIFT) - 1;
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i]!;
      const what = `${s.scope.name} ${s.name} ${JSON.stringify(s.indexed, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
      assert.equal(cols.cls[i], intrinsicClassCode(s), what);
      assert.equal(cols.info[i]! & factMask, ingestFactBits(s), what);
    }
  });
});
