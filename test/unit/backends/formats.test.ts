// The pieces under the clients: finding values in streamed JSON, the backends setting, trace ids as people and
// backends write them, Tempo's JSON ids.
import * as assert from 'node:assert/strict';
import { parseBackends, sourceLabel } from '../../../extension/src/backends/backendConfig';
import { bodyExcerpt } from '../../../extension/src/backends/backendError';
import { rfc3339 } from '../../../extension/src/backends/jaegerClient';
import { JsonScanError, objectMembers, parseRange, topLevelValues } from '../../../extension/src/backends/jsonScan';
import { hexId, tempoJsonToOtlp } from '../../../extension/src/backends/tempoFormats';
import { normalizeTraceId, parseTraceIdInput } from '../../../extension/src/backends/traceIds';

const bytes = (s: string) => Buffer.from(s);

describe('backend answer formats', () => {
  it('finds the top-level values of concatenated JSON, strings with escaped quotes and braces included', () => {
    const text = ' {"result": {"a": "x\\"}{"}} \n{"result":{}}[1,2] "s" 12 true';
    const b = bytes(text);
    assert.deepEqual(
      topLevelValues(b).map(r => text.slice(r.start, r.end)),
      ['{"result": {"a": "x\\"}{"}}', '{"result":{}}', '[1,2]', '"s"', '12', 'true'],
    );
    const first = topLevelValues(b)[0]!;
    const result = objectMembers(b, first, ['result', 'error']).get('result')!;
    assert.deepEqual(parseRange(b, result), { a: 'x"}{' });
    assert.throws(() => topLevelValues(bytes('{"a": "open')), JsonScanError);
    assert.throws(() => topLevelValues(bytes('{"a": [1, 2}')), /unbalanced/);
    assert.throws(() => objectMembers(bytes('{"a" 1}'), { start: 0, end: 7 }, ['a']), /expected ":"/);
  });

  it('reads msgtrace.backends.list, saying what is wrong with each entry it leaves out', () => {
    const { backends, problems } = parseBackends([
      { name: 'team-jaeger', kind: 'jaeger', url: 'http://jaeger:16686/' },
      { name: 'tempo', kind: 'tempo', url: 'https://tempo.example/prefix//' },
      { name: 'team-jaeger', kind: 'tempo', url: 'http://x' },
      { name: 'z', kind: 'zipkin', url: 'http://x' },
      { name: 'u', kind: 'jaeger', url: 'ftp://x' },
      { name: 'p', kind: 'jaeger', url: 'http://user:pw@x' },
      { kind: 'jaeger', url: 'http://x' },
      'nope',
    ]);
    assert.deepEqual(backends, [
      { name: 'team-jaeger', kind: 'jaeger', url: 'http://jaeger:16686' },
      { name: 'tempo', kind: 'tempo', url: 'https://tempo.example/prefix' },
    ]);
    assert.equal(problems.length, 6);
    assert.match(problems.join('\n'), /used twice/);
    assert.match(problems.join('\n'), /"kind" must be "jaeger" or "tempo"/);
    assert.match(problems.join('\n'), /must not hold a user name or password/);
    assert.equal(sourceLabel(backends[0]!), 'jaeger: team-jaeger');
    assert.deepEqual(parseBackends(undefined), { backends: [], problems: [] });
    assert.equal(parseBackends({}).problems.length, 1);
  });

  it('takes trace ids of 32 or 16 hex characters from people, any length from backends', () => {
    assert.equal(parseTraceIdInput(' 5B8EFFF798038103D269B633813FC60C '), '5b8efff798038103d269b633813fc60c');
    assert.equal(parseTraceIdInput('d269b633813fc60c'), '0000000000000000d269b633813fc60c');
    for (const bad of ['', 'xyz', '5b8efff798038103d269b633813fc60', '00000000000000000000000000000000', '0x5b8efff798038103']) assert.equal(parseTraceIdInput(bad), undefined, bad);
    assert.equal(normalizeTraceId('abcd'), '0000000000000000000000000000abcd');
    assert.equal(normalizeTraceId(42), undefined);
  });

  it('writes RFC 3339 with microseconds', () => {
    assert.equal(rfc3339(1_795_493_440_123_456), '2026-11-24T04:10:40.123456Z');
    assert.equal(rfc3339(1_000_007), '1970-01-01T00:00:01.000007Z');
  });

  it('turns Tempo\'s base64 ids into hex and keeps hex ids', () => {
    assert.equal(hexId(Buffer.from('5b8efff798038103d269b633813fc60c', 'hex').toString('base64'), 16), '5b8efff798038103d269b633813fc60c');
    assert.equal(hexId('eee19b7ec3c1b173', 8), 'eee19b7ec3c1b173');
    assert.equal(hexId('7uGbfsPBsXM=', 8), 'eee19b7ec3c1b173');
    assert.equal(hexId('', 8), '');
    assert.deepEqual(tempoJsonToOtlp({ trace: {} }), { resourceSpans: [] });
    assert.equal(tempoJsonToOtlp([1]), undefined);
    const old = tempoJsonToOtlp({ batches: [{ instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'lib' }, spans: [] }] }] })!;
    assert.deepEqual(old.resourceSpans[0], { scopeSpans: [{ scope: { name: 'lib' }, spans: [] }] });
  });

  it('keeps error excerpts to one short line without control characters', () => {
    assert.equal(bodyExcerpt('a\n\tb\u0007c   d'), 'a b c d');
    assert.equal(bodyExcerpt('x'.repeat(400)).length, 300);
  });
});
