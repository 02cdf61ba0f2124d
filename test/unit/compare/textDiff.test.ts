// Text diffs (docs/compare.md, "Text diffs"): the parts give back both texts, lines for multi-line text and
// words otherwise, and huge or hopeless inputs come back at once as a whole replace with a note.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_DIFF_CHARS, diffTexts, textDiff } from '../../../extension/src/core/compare/textDiff';
import type { TextDiffPart } from '../../../extension/src/core/compare/comparison';

const side = (parts: readonly TextDiffPart[], drop: 'added' | 'removed') => parts.filter(p => p.kind !== drop).map(p => p.text).join('');

describe('core/compare textDiff', () => {
  it('same + removed gives A, same + added gives B (property)', () => {
    const text = fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.constantFrom('alpha', 'beta', 'gamma', ' ', '\n', 'delta epsilon'), { maxLength: 30 }).map(a => a.join('')));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const parts = textDiff(a, b);
        assert.equal(side(parts, 'added'), a);
        assert.equal(side(parts, 'removed'), b);
        for (let i = 1; i < parts.length; i++) assert.notEqual(parts[i]!.kind, parts[i - 1]!.kind, 'one part per run of a kind');
      }),
      { numRuns: 500 },
    );
  });

  it('words for one line, lines for several', () => {
    assert.deepEqual(textDiff('the capital of France', 'the capital of Italy'), [
      { kind: 'same', text: 'the capital of ' },
      { kind: 'removed', text: 'France' },
      { kind: 'added', text: 'Italy' },
    ]);
    assert.deepEqual(textDiff('user: hi\nassistant: Paris\n', 'user: hi\nassistant: Rome\n'), [
      { kind: 'same', text: 'user: hi\n' },
      { kind: 'removed', text: 'assistant: Paris\n' },
      { kind: 'added', text: 'assistant: Rome\n' },
    ]);
    assert.deepEqual(textDiff('same', 'same'), [{ kind: 'same', text: 'same' }]);
    assert.deepEqual(textDiff('', ''), []);
    assert.deepEqual(textDiff('', 'new'), [{ kind: 'added', text: 'new' }]);
  });

  it('huge texts and texts too different to diff: a whole replace with a note, quickly', () => {
    const huge = 'x'.repeat(MAX_DIFF_CHARS);
    const big = diffTexts(huge, `${huge}y`);
    assert.match(big.note!, /not diffed/);
    assert.deepEqual(big.parts.map(p => p.kind), ['removed', 'added']);
    // 8,000 lines that share nothing (under the size bound): past jsdiff's edit-length bound.
    const lines = (seed: string) => Array.from({ length: 8_000 }, (_, i) => `${seed} ${i}`).join('\n');
    const t0 = performance.now();
    const far = diffTexts(lines('a'), lines('b'));
    assert.ok(performance.now() - t0 < 2_000, `took ${performance.now() - t0} ms`);
    assert.match(far.note!, /too much/);
    assert.equal(side(far.parts, 'added'), lines('a'));
  });
});
