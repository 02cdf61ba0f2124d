// A text diff as each side shows it, without the DOM: run A's side is the text both have plus what only A has
// (removed in B), B's side the text both have plus what B added. Chat text ("role: content" blocks, one per
// message) is split into its messages so each side reads like the chat view.
import type { TextDiffPartView } from '../../../extension/src/protocol/comparisonProtocol';

export type Side = 'a' | 'b';

export interface Segment {
  readonly kind: 'same' | 'added' | 'removed';
  readonly text: string;
}

export interface ChatBlock {
  /** The role the block's first line names; '' for text before any role line. */
  readonly role: string;
  readonly segments: readonly Segment[];
}

/** The parts one side shows, in order. */
export function sideSegments(parts: readonly TextDiffPartView[], side: Side): Segment[] {
  const skip = side === 'a' ? 'added' : 'removed';
  return parts.filter(p => p.kind !== skip && p.text !== '');
}

/**
 * "user: …" at the start of a line: a message of the chat text begins (core/compare/spanContent.ts chatText
 * writes one "role: content" block per message). Only the roles chat APIs use, so a content line such as
 * "Note: …" stays in its message.
 */
const ROLE_LINE = /^(system|developer|user|assistant|tool|function|model|human|ai): /;

/**
 * The side's segments cut into messages at each line that starts with a role. A role line's own text may lie
 * across segments (a changed word in it), so the line is read whole before it is cut.
 */
export function chatBlocks(segments: readonly Segment[]): ChatBlock[] {
  // Lines as runs of segments, each line keeping its newline.
  const lines: Segment[][] = [[]];
  for (const s of segments) {
    let from = 0;
    for (;;) {
      const nl = s.text.indexOf('\n', from);
      const end = nl < 0 ? s.text.length : nl + 1;
      if (end > from) lines[lines.length - 1]!.push({ kind: s.kind, text: s.text.slice(from, end) });
      if (nl < 0) break;
      lines.push([]);
      from = end;
    }
  }
  const blocks: { role: string; segments: Segment[] }[] = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    const role = ROLE_LINE.exec(line.map(s => s.text).join(''))?.[1];
    if (role !== undefined || blocks.length === 0) blocks.push({ role: role ?? '', segments: [] });
    const block = blocks[blocks.length - 1]!;
    let cut = role !== undefined ? role.length + 2 : 0;
    for (const s of line) {
      // The role prefix becomes the block's title: leave it out of the text.
      if (cut >= s.text.length) {
        cut -= s.text.length;
        continue;
      }
      const text = s.text.slice(cut);
      cut = 0;
      const last = block.segments[block.segments.length - 1];
      if (last && last.kind === s.kind) block.segments[block.segments.length - 1] = { kind: s.kind, text: last.text + text };
      else block.segments.push({ kind: s.kind, text });
    }
  }
  return blocks;
}
