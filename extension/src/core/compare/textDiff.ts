// Text diffs of prompts, outputs, tool arguments and results (docs/compare.md, "Text diffs"), by jsdiff: by lines
// for multi-line or long text, by words (whitespace kept) otherwise. Bounded: texts over MAX_DIFF_CHARS, or pairs
// whose edit script would pass jsdiff's edit-length or time limit, come back as one removal and one addition with
// a note, never a hang.
import { diffLines, diffWordsWithSpace } from 'diff';
import type { TextDiffPart } from './comparison';

/** Above this many characters (both texts together) the diff is a whole-text replace. */
export const MAX_DIFF_CHARS = 200 * 1024;
/** Single-line texts longer than this are diffed by lines (words would be too many tokens to be worth it). */
const WORDS_MAX_CHARS = 2_000;
// jsdiff is O(N·D): these bound D (edits) and the wall time of one diff.
const MAX_EDIT_LENGTH = 4_000;
const TIMEOUT_MS = 100;

export interface TextDiffResult {
  readonly parts: readonly TextDiffPart[];
  /** Set when the texts were not diffed but replaced whole; says why. */
  readonly note?: string;
}

/** The diff of a (A's text) against b (B's): `same` + `removed` parts give a, `same` + `added` parts give b. */
export function textDiff(a: string, b: string): TextDiffPart[] {
  return [...diffTexts(a, b).parts];
}

export function diffTexts(a: string, b: string): TextDiffResult {
  if (a === b) return { parts: a === '' ? [] : [{ kind: 'same', text: a }] };
  if (a === '' || b === '') return { parts: replaced(a, b) };
  if (a.length + b.length > MAX_DIFF_CHARS) return { parts: replaced(a, b), note: `texts over ${MAX_DIFF_CHARS / 1024} KB are not diffed` };
  const byLines = a.includes('\n') || b.includes('\n') || a.length > WORDS_MAX_CHARS || b.length > WORDS_MAX_CHARS;
  const options = { maxEditLength: MAX_EDIT_LENGTH, timeout: TIMEOUT_MS };
  const changes = byLines ? diffLines(a, b, options) : diffWordsWithSpace(a, b, options);
  if (changes === undefined) return { parts: replaced(a, b), note: 'the texts differ too much to diff' };
  const parts: TextDiffPart[] = [];
  for (const c of changes) {
    if (c.value === '') continue;
    const kind = c.added ? 'added' : c.removed ? 'removed' : 'same';
    const last = parts[parts.length - 1];
    // jsdiff may split one run of a kind in two; one part per run reads better.
    if (last !== undefined && last.kind === kind) parts[parts.length - 1] = { kind, text: last.text + c.value };
    else parts.push({ kind, text: c.value });
  }
  return { parts };
}

function replaced(a: string, b: string): TextDiffPart[] {
  const parts: TextDiffPart[] = [];
  if (a !== '') parts.push({ kind: 'removed', text: a });
  if (b !== '') parts.push({ kind: 'added', text: b });
  return parts;
}
