// Mocha reporter: the spec reporter's output, then the layer's counts (see summary.ts).
import Mocha from 'mocha';
import { writeSummary } from './summary';

export default class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const layer = process.env.MSGTRACE_TEST_LAYER ?? 'unit';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      writeSummary(layer, stats.passes, stats.failures, stats.pending);
    });
  }
}
