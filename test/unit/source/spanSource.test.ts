import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatusCode } from '../../../extension/src/core/model/span';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { spanSourceTarget } from '../../../extension/src/core/source/spanSource';
import { MSGTRACE_SCOPE, makeSpan } from '../store/spanFactory';

const exceptionEvent = (stacktrace: string) => ({ name: 'exception', attrs: { 'exception.type': 'ValueError', 'exception.message': 'boom', 'exception.stacktrace': stacktrace } });
const PY_STACK = 'Traceback (most recent call last):\n  File "/app/src/agent.py", line 12, in run\n    step()\n  File "/venv/lib/python3.12/site-packages/lib/x.py", line 3, in step\n    raise ValueError("boom")\nValueError: boom\n';

describe('core/source span -> source order', () => {
  it('takes code.file.path first, then the deprecated code.filepath, then the exception, then the name', () => {
    const all = {
      'code.file.path': '/new/a.py',
      'code.line.number': 7,
      'code.function.name': 'pkg.A.run',
      'code.filepath': '/old/a.py',
      'code.lineno': 9,
      'code.function': 'run',
      'code.namespace': 'pkg.A',
    };
    const span = (attrs: Record<string, string | number>) =>
      makeSpan({ spanId: '1', name: 'Doubler', scope: MSGTRACE_SCOPE, status: StatusCode.Error, attrs, events: [exceptionEvent(PY_STACK)] });
    assert.deepEqual(spanSourceTarget(span(all), 'module')?.location, { file: '/new/a.py', line: 7, function: 'pkg.A.run', from: 'code' });
    const { 'code.file.path': _a, 'code.line.number': _b, 'code.function.name': _c, ...old } = all;
    assert.deepEqual(spanSourceTarget(span(old), 'module')?.location, { file: '/old/a.py', line: 9, function: 'pkg.A.run', from: 'code-deprecated' });
    // The innermost frame is a library's: the user's frame that called it is where to go.
    assert.deepEqual(spanSourceTarget(span({}), 'module')?.location, { file: '/app/src/agent.py', line: 12, function: 'run', from: 'exception' });
    const named = spanSourceTarget(makeSpan({ spanId: '1', name: 'Doubler', scope: MSGTRACE_SCOPE }), 'module');
    assert.equal(named?.location, undefined);
    assert.deepEqual(named?.query?.names, ['Doubler']);
    assert.equal(spanSourceTarget(makeSpan({ spanId: '1', name: 'GET /' }), 'generic'), undefined);
  });

  it('goes to the line of a JavaScript error, skipping node_modules and node: frames', () => {
    const stack = 'Error: no\n    at fail (/srv/app/node_modules/lib/index.js:5:9)\n    at Planner.plan (file:///srv/app/src/planner.ts:42:13)\n    at node:internal/process/task_queues:95:5';
    const span = makeSpan({ spanId: '1', name: 'plan', status: StatusCode.Error, events: [exceptionEvent(stack)] });
    assert.deepEqual(spanSourceTarget(span, 'generic')?.location, { file: '/srv/app/src/planner.ts', line: 42, function: 'Planner.plan', from: 'exception' });
  });

  it('sends the real Exploder error to demo_program.py line 114, and Get Capital to a name lookup', () => {
    const batch = decodeTraceRequest(readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb')));
    const byName = (name: string) => batch.spans.find(s => s.name === name)!;
    assert.deepEqual(spanSourceTarget(byName('Exploder'), 'module')?.location, { file: '/home/user/agent-demo/demo_program.py', line: 114, function: 'forward', from: 'exception' });
    const capital = spanSourceTarget(byName('Get Capital'), 'tool');
    assert.equal(capital?.location, undefined);
    assert.deepEqual(capital?.query?.names, ['Get Capital']);
  });
});
