// VS Code-shaped events and disposables for code that must not import `vscode`: the host can hand a core
// Event straight to VS Code APIs that take one, because the shapes match.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners: ((e: T) => void)[] = [];
  private disposed = false;

  /** @param onListenerError gets what a listener threw; the other listeners still run. */
  constructor(private readonly onListenerError: (err: unknown) => void = err => console.error('msgtrace: event listener failed', err)) {}

  /** Subscribe; the returned Disposable unsubscribes. */
  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs === undefined ? listener : listener.bind(thisArgs);
    if (this.disposed) return { dispose() {} };
    this.listeners.push(bound);
    const subscription = {
      dispose: () => {
        this.listeners = this.listeners.filter(l => l !== bound);
      },
    };
    disposables?.push(subscription);
    return subscription;
  };

  /** Calls every listener; one that throws does not keep the others from running. */
  fire(e: T): void {
    for (const listener of this.listeners.slice()) {
      try {
        listener(e);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}

/** Disposes what was added to it, once; anything added after dispose() is disposed at once. */
export class DisposableStore implements Disposable {
  private items = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const item of this.items) item.dispose();
    this.items.clear();
  }
}
