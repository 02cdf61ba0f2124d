// A model call as a conversation: system instructions, input messages, output messages, tool calls and their
// results, with a toggle to the raw attributes they came from. All content is set as text.
import type { ChatMessageView, ChatPartView, ConversationView } from '../../../extension/src/protocol/timelineProtocol';
import { button, el } from '../dom';
import { foldedValue } from './attributeTable';

export function chatView(conversation: ConversationView, copy: (text: string) => void): HTMLElement {
  const root = el('div', 'chat');
  const bar = el('div', 'chat-bar');
  const body = el('div', 'chat-body');
  const raw = el('div', 'chat-raw');
  raw.hidden = true;
  const toggle = button('Raw JSON', () => {
    raw.hidden = !raw.hidden;
    body.hidden = !raw.hidden;
    toggle.textContent = raw.hidden ? 'Raw JSON' : 'Chat';
    toggle.setAttribute('aria-pressed', String(!raw.hidden));
  });
  toggle.setAttribute('aria-pressed', 'false');
  bar.append(el('span', 'chat-source', `from ${conversation.source}`), toggle);
  if (conversation.system !== undefined) body.append(message({ role: 'system', parts: [{ type: 'text', content: conversation.system }] }, copy));
  for (const m of conversation.input) body.append(message(m, copy));
  if (conversation.output.length > 0) {
    body.append(el('div', 'chat-divider', 'response'));
    for (const m of conversation.output) body.append(message(m, copy));
  }
  for (const a of conversation.raw) {
    const item = el('div', 'raw-item');
    item.append(el('div', 'raw-key', a.key), el('pre', 'raw-value', prettyJson(a.value)));
    raw.append(item);
  }
  root.append(bar, body, raw);
  return root;
}

function message(m: ChatMessageView, copy: (text: string) => void): HTMLElement {
  const box = el('div', 'msg', undefined, { 'data-role': m.role, role: 'article', 'aria-label': `${m.role} message` });
  box.append(el('div', 'msg-role', m.role));
  for (const part of m.parts) box.append(partView(part, copy));
  return box;
}

function partView(p: ChatPartView, copy: (text: string) => void): HTMLElement {
  switch (p.type) {
    case 'text':
      return foldedValue(p.content, 'msg-text', copy, 1200);
    case 'tool_call': {
      const call = el('div', 'tool-call');
      call.append(el('div', 'tool-call-head', `→ tool call ${p.name}${p.id ? ` (${p.id})` : ''}`), el('pre', 'tool-args', prettyJson(p.arguments)));
      return call;
    }
    case 'tool_call_response': {
      const res = el('div', 'tool-result');
      res.append(el('div', 'tool-call-head', `← tool result${p.id ? ` (${p.id})` : ''}`), foldedValue(prettyJson(p.result), 'tool-result-text', copy, 1200));
      return res;
    }
    default:
      return el('pre', 'msg-other', prettyJson(p.raw));
  }
}

/** JSON text indented for reading; other text as it is. */
export function prettyJson(text: string): string {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return text;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return text;
  }
}
