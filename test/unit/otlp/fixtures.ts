// Paths of the recorded requests in test/fixtures (docs/msgflux-wire.md#the-recorded-request; kept in the repository).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Tests run from out/test/unit/**; the repository root is where package.json is, i.e. the working directory
// of `npm run test:unit`.
export const FIXTURES = join(process.cwd(), 'test/fixtures');

export const agentDemoPb = (): Buffer => readFileSync(join(FIXTURES, 'msgflux-0.1.0a23-agent-demo.pb'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const agentDemoJson = (): any => JSON.parse(readFileSync(join(FIXTURES, 'msgflux-0.1.0a23-agent-demo.otlp.json'), 'utf8'));
