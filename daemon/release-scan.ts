// A send that failed after its commit (the database went away, a deadlock in the release) may
// have left children blocked behind a parent that is now sent. It asks for the reconciler's walk
// over every blocked item in its next pass instead of the usual rare one. The request is for that
// state DB: a process holding several (tests, benchmarks) walks the one that needs it.
const requested = new WeakSet<object>();

export function requestFullReleaseScan(stateDb: object): void {
  requested.add(stateDb);
}

/** Whether a full walk of this state DB was asked for since the last call; the caller takes the request. */
export function takeFullReleaseScanRequest(stateDb: object): boolean {
  return requested.delete(stateDb);
}
