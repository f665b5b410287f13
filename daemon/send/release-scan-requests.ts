// A send that failed after its commit (the database went away, a deadlock in the release) may
// have left children blocked behind a parent that is now sent. It asks the reconciler for a walk
// over every blocked item in its next pass instead of the usual rare one. One instance per process
// and state DB, handed to the send path and to the reconciler by whoever builds both (dispatcher.ts).
export class ReleaseScanRequests {
  private requested = false;

  request(): void {
    this.requested = true;
  }

  /** Whether a walk was asked for since the last call; the caller takes the request. */
  take(): boolean {
    const was = this.requested;
    this.requested = false;
    return was;
  }
}
