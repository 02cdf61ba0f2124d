// The page's one way to its host. Inside VS Code that is the webview API; on the stand-alone page of
// `msgtrace serve` it is a WebSocket to the CLI. Both carry the same protocol messages.
import type { IpcMessage } from '../../extension/src/protocol/ipc';
import { CopyCommand } from '../../extension/src/protocol/timelineProtocol';

export interface HostChannel {
  post(message: IpcMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** State kept across reloads of the page. */
  getState(): unknown;
  setState(state: unknown): void;
  copyText(text: string): void;
  /** 'vscode' or 'browser': the page hides what its host cannot do. */
  readonly kind: 'vscode' | 'browser';
}

interface VsCodeApi {
  postMessage(message: IpcMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

function vscodeChannel(api: VsCodeApi): HostChannel {
  return {
    kind: 'vscode',
    post: message => api.postMessage(message),
    onMessage: listener => window.addEventListener('message', (event: MessageEvent<unknown>) => listener(event.data)),
    getState: () => api.getState(),
    setState: state => api.setState(state),
    // The host writes the clipboard: a webview's navigator.clipboard depends on focus and permissions.
    copyText: text => api.postMessage(CopyCommand.create({ text })),
  };
}

const STATE_KEY = 'msgtrace.timeline.state';

function webSocketChannel(url: string): HostChannel {
  const listeners: ((message: unknown) => void)[] = [];
  const queue: string[] = [];
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => {
    for (const m of queue.splice(0)) socket.send(m);
  });
  socket.addEventListener('message', event => {
    if (typeof event.data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    for (const l of listeners) l(message);
  });
  socket.addEventListener('close', () => {
    for (const l of listeners) l({ method: 'report/didShow', params: { message: 'The connection to msgtrace serve closed. Reload the page after restarting it.' } });
  });
  return {
    kind: 'browser',
    post: message => {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage: listener => listeners.push(listener),
    getState: () => {
      try {
        return JSON.parse(sessionStorage.getItem(STATE_KEY) ?? 'null') as unknown;
      } catch {
        return undefined;
      }
    },
    setState: state => sessionStorage.setItem(STATE_KEY, JSON.stringify(state)),
    copyText: text => void navigator.clipboard?.writeText(text).catch(() => undefined),
  };
}

export function connectHost(): HostChannel {
  if (typeof acquireVsCodeApi === 'function') return vscodeChannel(acquireVsCodeApi());
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketChannel(`${scheme}//${location.host}/ws`);
}
