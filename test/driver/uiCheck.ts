import type { Page } from 'playwright-core';

export interface UiContext {
  readonly page: Page;
  /** Saves a PNG of the whole window under test-artifacts/screenshots/<name>.png. */
  screenshot(name: string): Promise<void>;
}

/** One check of what a person sees; it throws when the UI is not as expected. */
export interface UiCheck {
  readonly name: string;
  run(context: UiContext): Promise<void>;
}
