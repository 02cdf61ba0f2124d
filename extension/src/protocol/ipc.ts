// The shape of every message between a webview and the extension host. Both sides import the message
// constants below, so a method name or a payload type exists once.
//   XCommand                  webview -> host, no reply
//   DidXNotification          host -> webview
// Method strings are `noun/verb`.

export interface IpcMessage<M extends string = string, P = unknown> {
  readonly method: M;
  readonly params: P;
}

export interface IpcMessageType<M extends string, P> {
  readonly method: M;
  /** Narrows an incoming value (untrusted: it crossed a postMessage boundary) to this message. */
  is(message: unknown): message is IpcMessage<M, P>;
  create(params: P): IpcMessage<M, P>;
}

function messageType<P>() {
  return <M extends string>(method: M): IpcMessageType<M, P> => ({
    method,
    is: (message: unknown): message is IpcMessage<M, P> =>
      typeof message === 'object' && message !== null && (message as { method?: unknown }).method === method,
    create: (params: P) => ({ method, params }),
  });
}

/** A message the webview sends to the host. */
export const command = <P>() => messageType<P>();
/** A message the host sends to the webview. */
export const notification = <P>() => messageType<P>();
