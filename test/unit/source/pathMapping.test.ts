import * as assert from 'node:assert/strict';
import { applyPathMappings, bestSuffixMatch, parsePathMappings, sharedSuffixLength } from '../../../extension/src/core/source/pathMapping';

describe('core/source path mapping', () => {
  it('maps a path from another machine to the workspace file sharing the longest tail', () => {
    const candidates = ['/ws/examples/other/demo_program.py', '/ws/examples/agent-demo/demo_program.py', '/ws/examples/agent-demo/x/demo_program.py'];
    assert.equal(bestSuffixMatch('/home/user/agent-demo/demo_program.py', candidates), '/ws/examples/agent-demo/demo_program.py');
    assert.equal(sharedSuffixLength('/home/user/agent-demo/demo_program.py', '/ws/examples/agent-demo/demo_program.py'), 2);
    // A Windows sender's path against POSIX workspace files.
    assert.equal(bestSuffixMatch('C:\\Users\\me\\proj\\src\\app.py', ['/ws/src/app.py', '/ws/app.py']), '/ws/src/app.py');
    assert.equal(bestSuffixMatch('/app/main.py', ['/ws/other.py']), undefined);
    // Ties (only the file name in common) go to the path nearer the root.
    assert.equal(bestSuffixMatch('/srv/main.py', ['/ws/a/b/main.py', '/ws/main.py']), '/ws/main.py');
  });

  it('applies the explicit mapping with the longest whole-segment prefix', () => {
    const mappings = [
      { from: '/app', to: '/ws/service' },
      { from: '/app/vendor', to: '/ws/third_party/' },
      { from: 'C:\\build', to: '${workspaceFolder}' },
    ];
    assert.equal(applyPathMappings('/app/src/main.py', mappings), '/ws/service/src/main.py');
    assert.equal(applyPathMappings('/app/vendor/lib/x.py', mappings), '/ws/third_party/lib/x.py');
    assert.equal(applyPathMappings('/application/main.py', mappings), undefined, 'a prefix ends at a segment boundary');
    assert.equal(applyPathMappings('c:\\build\\pkg\\a.ts', mappings), '${workspaceFolder}/pkg/a.ts', 'drive letters ignore case');
    assert.equal(applyPathMappings('/app', mappings), '/ws/service');
    assert.equal(applyPathMappings('/other/main.py', mappings), undefined);
  });

  it('reads the setting as an object or as a list, and skips what is not a mapping', () => {
    assert.deepEqual(parsePathMappings({ '/app': '/ws', '/bad': 3, '': '/x' }), [{ from: '/app', to: '/ws' }]);
    assert.deepEqual(parsePathMappings([{ from: '/a', to: '/b' }, null, { from: '/c' }, 'x']), [{ from: '/a', to: '/b' }]);
    assert.deepEqual(parsePathMappings(undefined), []);
  });
});
