// The shape of every message between a webview and the extension host. Both sides import the message
// constants (timelineProtocol.ts), so a method name or a payload type exists once; nobody writes a method
// string anywhere else.
//   XCommand                  webview -> host, no reply; its params are a Schema the host checks
//   DidXNotification          host -> webview
// Method strings are `noun/verb`.
import type { Schema } from './schema';

export interface IpcMessage<M extends string = string, P = unknown> {
  readonly method: M;
  readonly params: P;
}

export interface IpcMessageType<M extends string, P> {
  readonly method: M;
  /** Narrows an incoming value (it crossed a postMessage boundary) to this message. */
  is(message: unknown): message is IpcMessage<M, P>;
  create(params: P): IpcMessage<M, P>;
}

/** A message the webview sends to the host. The host trusts nothing the page says, so params are checked. */
export interface CommandType<M extends string, P> extends IpcMessageType<M, P> {
  readonly params: Schema<P>;
  /** The message when it is exactly this command: `method` and `params` and no other key, params as described. */
  parse(message: unknown): IpcMessage<M, P> | undefined;
}

/** The message a message type describes. */
export type MessageOf<T> = T extends IpcMessageType<infer M, infer P> ? IpcMessage<M, P> : never;

const methodOf = (message: unknown): unknown => (typeof message === 'object' && message !== null ? (message as { method?: unknown }).method : undefined);

export function command<M extends string, P>(method: M, params: Schema<P>): CommandType<M, P> {
  const parse = (message: unknown): IpcMessage<M, P> | undefined => {
    if (methodOf(message) !== method) return undefined;
    const keys = Object.keys(message as object);
    if (keys.length !== 2 || !keys.includes('params')) return undefined;
    const candidate = message as IpcMessage<M, unknown>;
    return params.is(candidate.params) ? (candidate as IpcMessage<M, P>) : undefined;
  };
  return {
    method,
    params,
    parse,
    is: (message: unknown): message is IpcMessage<M, P> => parse(message) !== undefined,
    create: (p: P) => ({ method, params: p }),
  };
}

/**
 * A message the host sends to the webview. Its `is()` looks at the method only: the page trusts its host (the
 * host serves the page), and the params are large typed values (packed rows, span details) built by the host.
 */
export function notification<P>() {
  return <M extends string>(method: M): IpcMessageType<M, P> => ({
    method,
    is: (message: unknown): message is IpcMessage<M, P> => methodOf(message) === method,
    create: (params: P) => ({ method, params }),
  });
}

/**
 * The parser of a set of commands: the message as one of them, or undefined when it is none of them (an
 * unknown method, or params that are not exactly what the command describes).
 */
export function commandParser<T extends readonly CommandType<string, unknown>[]>(commands: T): (message: unknown) => MessageOf<T[number]> | undefined {
  // A Map, not an object: a method named `__proto__` or `constructor` finds nothing.
  const byMethod = new Map<unknown, CommandType<string, unknown>>(commands.map(c => [c.method, c]));
  return message => byMethod.get(methodOf(message))?.parse(message) as MessageOf<T[number]> | undefined;
}
