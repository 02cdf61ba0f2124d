// Where a batch came from. The receiver (or an importer) says so when it calls TraceStore.ingest; the store
// uses the debug session id to keep runs of concurrent sessions apart and shows the rest.

export type IngestTransport = 'http' | 'grpc' | 'file' | 'replay' | 'test' | 'remote';

export interface IngestOrigin {
  readonly transport: IngestTransport;
  /** The debug session the spans belong to, e.g. from the URL path `/session/<id>/v1/traces`; absent when none. */
  readonly debugSessionId?: string;
  /** The peer's address (`127.0.0.1:53412`), for display only: a program may reconnect from a new port. */
  readonly remoteAddress?: string;
  /** The request path the receiver saw, for display only. */
  readonly path?: string;
  /** Where a trace fetched from a team backend came from, e.g. `jaeger: team-jaeger`; for display only. */
  readonly source?: string;
}
