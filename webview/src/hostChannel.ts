// The page's one way to its host. Inside VS Code that is the webview API; on the stand-alone page of
// `msgtrace serve` it is a WebSocket to the CLI. Both carry the same protocol messages.
import type { IpcMessage } from '../../extension/src/protocol/ipc';
import { CopyCommand, DidReportNotification } from '../../extension/src/protocol/timelineProtocol';
import { decodeFrame } from './frame';

export interface HostChannel {
  post(message: IpcMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** State kept across reloads of the page. */
  getState(): unknown;
  setState(state: unknown): void;
  copyText(text: string): void;
  /** Calls back once the messages posted so far are on their way (at once in VS Code, on the socket's open). */
  whenSent(callback: () => void): void;
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
    whenSent: callback => setTimeout(callback, 0),
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
  // States arrive as binary frames (packed rows the page views in place), everything else as JSON text.
  socket.binaryType = 'arraybuffer';
  const afterOpen: (() => void)[] = [];
  socket.addEventListener('open', () => {
    for (const m of queue.splice(0)) socket.send(m);
    for (const f of afterOpen.splice(0)) setTimeout(f, 0);
  });
  socket.addEventListener('message', event => {
    const data = event.data as unknown;
    let message: unknown;
    try {
      if (typeof data === 'string') message = JSON.parse(data);
      else if (data instanceof ArrayBuffer) message = decodeFrame(data);
      else return;
    } catch {
      return;
    }
    for (const l of listeners) l(message);
  });
  // Told the way the host tells its own failures, so the page has one place that shows them.
  const closed = DidReportNotification.create({ message: 'The connection to msgtrace serve closed. Reload the page after restarting it.' });
  socket.addEventListener('close', () => {
    for (const l of listeners) l(closed);
  });
  return {
    kind: 'browser',
    post: message => {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage: listener => listeners.push(listener),
    whenSent: callback => {
      if (socket.readyState === WebSocket.OPEN) setTimeout(callback, 0);
      else afterOpen.push(callback);
    },
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
