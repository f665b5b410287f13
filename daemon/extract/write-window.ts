// A few batch writes in flight at once, so the next source batch is read and mapped while the
// state DB stores the last ones, and the DB works on more than one connection.

export class WriteWindow {
  private readonly pending = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  /** Starts a write; waits while the window is full. Throws the first failed write's error. */
  async add(write: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    const running: Promise<void> = write()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
    while (this.pending.size >= this.limit) await Promise.race(this.pending);
    this.throwIfFailed();
  }

  /** Waits for every write; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.pending);
    this.throwIfFailed();
  }

  /** Waits for every write, ignoring failures (used when already failing). */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
