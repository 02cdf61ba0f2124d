// The journal survives a crash (issue 18 item 5): a child process journals every request it acknowledges and is
// killed with SIGKILL right after an acknowledgement, in the middle of heavy ingest; the replay has every
// acknowledged span (and at most the spans of the requests in flight at the kill, which their senders retry).
import * as assert from 'node:assert/strict';
import { killDuringIngest } from './journalCrash';

describe('span journal under SIGKILL (child process)', function () {
  this.timeout(60_000);

  it('replays exactly the acknowledged spans when answers wait for the journal (written())', async () => {
    const r = await killDuringIngest('written', 1_500);
    assert.ok(r.acknowledged > 0, 'something was acknowledged before the kill');
    assert.equal(r.missing, 0, `${r.missing} acknowledged spans lost`);
    assert.ok(r.extra <= r.inFlight * r.batch, `${r.extra} spans replayed that were not acknowledged, ${r.inFlight} requests were in flight`);
  });
});
