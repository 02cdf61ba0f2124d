// Where JSON text stops being valid. JSON.parse says so in its message only for some errors (V8 omits the
// position for "Unexpected token"), and an import error must name a line: this scanner finds it. It runs only
// after JSON.parse failed, so it is written for clarity, not speed.

type State = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'commaOrEnd' | 'done';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Offset of the first character that makes `text` invalid JSON (text.length when it ends too early); -1 if valid. */
export function jsonErrorOffset(text: string): number {
  const stack: string[] = [];
  let state: State = 'value';
  let i = 0;
  const n = text.length;
  const after = (): State => (stack.length > 0 ? 'commaOrEnd' : 'done');
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
    if (i >= n) return state === 'done' ? -1 : n;
    const c = text[i]!;
    switch (state) {
      case 'done':
        return i;
      case 'colon':
        if (c !== ':') return i;
        i++;
        state = 'value';
        break;
      case 'commaOrEnd': {
        const open = stack.at(-1);
        if (c === ',') {
          i++;
          state = open === '{' ? 'key' : 'value';
        } else if (c === (open === '{' ? '}' : ']')) {
          i++;
          stack.pop();
          state = after();
        } else return i;
        break;
      }
      case 'key':
      case 'keyOrEnd':
        if (state === 'keyOrEnd' && c === '}') {
          i++;
          stack.pop();
          state = after();
        } else if (c === '"') {
          const end = stringEnd(text, i);
          if (end < 0) return -end - 1;
          i = end;
          state = 'colon';
        } else return i;
        break;
      case 'value':
      case 'valueOrEnd':
        if (state === 'valueOrEnd' && c === ']') {
          i++;
          stack.pop();
          state = after();
        } else if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          state = c === '{' ? 'keyOrEnd' : 'valueOrEnd';
        } else if (c === '"') {
          const end = stringEnd(text, i);
          if (end < 0) return -end - 1;
          i = end;
          state = after();
        } else {
          const literal = ['true', 'false', 'null'].find(l => text.startsWith(l, i));
          if (literal) i += literal.length;
          else {
            NUMBER.lastIndex = i;
            if (!NUMBER.test(text)) return i;
            i = NUMBER.lastIndex;
          }
          state = after();
        }
        break;
    }
  }
}

/** The offset after the string starting at `start`, or -(error offset) - 1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -i - 1;
    if (c === 0x5c) {
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(text)) return -i - 1;
      i = ESCAPE.lastIndex;
    } else i++;
  }
  return -text.length - 1;
}
