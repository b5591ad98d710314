/**
 * Collects calls that arrive within a few milliseconds of each other and runs them as one batch:
 * many concurrent jobs each needing a one-row UPDATE become one statement. Each caller gets its
 * own result back; if the batch fails, every caller in it sees the error.
 */
export class MicroBatcher<Item, Result> {
  private pending: Array<{ item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }> = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly run: (items: Item[]) => Promise<Result[]>,
    private readonly maxSize = 50,
    private readonly maxWaitMs = 2,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    this.run(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, i) => entry.resolve(results[i])),
      (error) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
