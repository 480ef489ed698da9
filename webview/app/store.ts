/** Called after every change with the keys whose values changed. */
export type StoreListener<S> = (state: S, changed: ReadonlySet<keyof S>) => void;

/**
 * One immutable state object and synchronous change notifications. Views decide themselves
 * whether a change needs a frame (they batch DOM work through the FrameScheduler).
 */
export class Store<S extends object> {
  private current: S;
  private readonly listeners = new Set<StoreListener<S>>();

  constructor(initial: S) {
    this.current = initial;
  }

  /** The current state; replaced, never mutated, on every update. */
  get state(): S {
    return this.current;
  }

  /** Merge `patch` into the state and notify listeners of the keys that really changed. */
  update(patch: Partial<S>): void {
    const changed = new Set<keyof S>();
    for (const key of Object.keys(patch) as (keyof S)[]) {
      if (!Object.is(this.current[key], patch[key])) {
        changed.add(key);
      }
    }
    if (changed.size === 0) {
      return;
    }
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) {
      listener(this.current, changed);
    }
  }

  /** Listen to changes; returns the function that stops listening. */
  subscribe(listener: StoreListener<S>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
