/** Most commits of one {@link GroupCommit} awaiting their acknowledgements at once. */
const MAX_COMMITS_IN_FLIGHT = 4;

/** One caller of {@link GroupCommit.add}, answered once its commit is stored or failed. */
interface Caller {
  resolve(): void;
  reject(error: unknown): void;
}

/** Items waiting for the next commit, and the callers to answer once it is stored. */
interface Group<T> {
  items: T[];
  callers: Caller[];
}

/**
 * Gathers the items of many concurrent callers into shared commits. What arrives during one
 * turn of the event loop goes into one commit; while {@link MAX_COMMITS_IN_FLIGHT} commits
 * wait for their acknowledgements, new items wait too and join the next one, so under load
 * a commit grows with the load instead of the number of commits. Each caller's promise
 * settles with the commit its items went into.
 */
export class GroupCommit<T> {
  private waiting: Group<T> | undefined;
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly store: (items: T[]) => Promise<void>) {}

  /** Adds items to the next commit; resolves once that commit is stored. */
  add(items: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting ??= { items: [], callers: [] };
      for (const item of items) this.waiting.items.push(item);
      this.waiting.callers.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_COMMITS_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(() => this.commit());
  }

  private commit(): void {
    this.scheduled = false;
    const group = this.waiting;
    if (!group) return;
    this.waiting = undefined;

    this.inFlight++;
    this.store(group.items).then(
      () => this.finished(group, (caller) => caller.resolve()),
      (error: unknown) => this.finished(group, (caller) => caller.reject(error)),
    );
  }

  private finished(group: Group<T>, answer: (caller: Caller) => void): void {
    this.inFlight--;
    group.callers.forEach(answer);
    if (this.waiting) this.schedule();
  }
}
