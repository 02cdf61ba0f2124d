import * as assert from 'node:assert/strict';
import { StatusCode } from '../../../extension/src/core/model/span';
import { errorFacts } from '../../../extension/src/core/semantics/errorFacts';
import { innermostUserFrame, parseStackTrace } from '../../../extension/src/core/semantics/stackFrames';
import { makeSpan } from '../store/spanFactory';

const PYTHON = `Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/msgflux/nn/modules/module.py", line 1276, in _call
    module_output = self.forward(*args, **kwargs)
                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/home/user/agent-demo/demo_program.py", line 114, in forward
    raise ValueError(f"boom: {x}")
  File "<frozen importlib._bootstrap>", line 1, in <module>
ValueError: boom: 7
`;

const V8 = `TypeError: Cannot read properties of undefined (reading 'x')
    at Agent.run (/work/app/src/agent.ts:42:13)
    at async Promise.all (index 0)
    at async main (file:///work/app/dist/main.js:7:3)
    at /work/app/dist/anon.js:1:99
    at Module._compile (node:internal/modules/cjs/loader:1254:14)
    at new Planner (/work/app/node_modules/lib/planner.js:10:5)
    at eval (eval at compile (/work/app/src/dyn.js:3:9), <anonymous>:1:1)`;

const GECKO = `run@http://localhost:3000/app.js:12:5
@http://localhost:3000/app.js:20:1`;

describe('core/semantics stack frames', () => {
  it('parses a Python traceback with source lines, and picks the innermost user frame', () => {
    const s = parseStackTrace(PYTHON);
    assert.equal(s.language, 'python');
    assert.deepEqual(s.frames, [
      { file: '/venv/lib/python3.11/site-packages/msgflux/nn/modules/module.py', line: 1276, function: '_call', code: 'module_output = self.forward(*args, **kwargs)' },
      { file: '/home/user/agent-demo/demo_program.py', line: 114, function: 'forward', code: 'raise ValueError(f"boom: {x}")' },
      { file: '<frozen importlib._bootstrap>', line: 1, function: '<module>' },
    ]);
    assert.equal(innermostUserFrame(s)?.file, '/home/user/agent-demo/demo_program.py');
  });

  it('parses V8 stacks: named, async, anonymous, file URLs, constructors, eval', () => {
    const s = parseStackTrace(V8);
    assert.equal(s.language, 'javascript');
    assert.deepEqual(
      s.frames.map(f => [f.function, f.file, f.line, f.column]),
      [
        ['Agent.run', '/work/app/src/agent.ts', 42, 13],
        ['main', '/work/app/dist/main.js', 7, 3],
        ['', '/work/app/dist/anon.js', 1, 99],
        ['Module._compile', 'node:internal/modules/cjs/loader', 1254, 14],
        ['new Planner', '/work/app/node_modules/lib/planner.js', 10, 5],
        ['eval', '/work/app/src/dyn.js', 3, 9],
      ],
    );
    assert.equal(innermostUserFrame(s)?.file, '/work/app/src/agent.ts');
  });

  it('parses Firefox/Safari stacks and says when it finds nothing', () => {
    const s = parseStackTrace(GECKO);
    assert.deepEqual(s.frames.map(f => [f.function, f.file, f.line, f.column]), [
      ['run', 'http://localhost:3000/app.js', 12, 5],
      ['', 'http://localhost:3000/app.js', 20, 1],
    ]);
    assert.deepEqual(parseStackTrace('just a message'), { language: 'unknown', frames: [] });
  });

  it('skips library frames when a user frame exists, else falls back to the innermost', () => {
    const onlyLib = parseStackTrace('Error: x\n    at f (/a/node_modules/b/c.js:1:2)\n    at g (node:internal/x:3:4)');
    assert.equal(innermostUserFrame(onlyLib)?.function, 'f');
  });

  it('builds error facts from status, exception events and error.type', () => {
    const span = makeSpan({
      spanId: '1',
      status: StatusCode.Error,
      statusMessage: 'request failed',
      attrs: { 'error.type': 'TimeoutError' },
      events: [{ name: 'exception', attrs: { 'exception.type': 'TimeoutError', 'exception.message': 'after 10s', 'exception.stacktrace': V8 } }],
    });
    const f = errorFacts(span);
    assert.equal(f.isError, true);
    assert.equal(f.type, 'TimeoutError');
    assert.equal(f.message, 'request failed');
    assert.equal(f.frame?.file, '/work/app/src/agent.ts');
    const quiet = errorFacts(makeSpan({ spanId: '2', attrs: { 'error.type': '500' } }));
    assert.deepEqual([quiet.isError, quiet.type, quiet.exceptions.length, quiet.frame], [false, '500', 0, undefined]);
  });
});
