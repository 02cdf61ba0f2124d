// The client for a configured backend, by its kind.
import type { BackendClient } from './backendClient';
import type { BackendConfig } from './backendConfig';
import type { ClientOptions } from './backendHttp';
import { JaegerClient } from './jaegerClient';
import { TempoClient } from './tempoClient';

export function createBackendClient(config: BackendConfig, options: ClientOptions): BackendClient {
  return config.kind === 'jaeger' ? new JaegerClient(config, options) : new TempoClient(config, options);
}
