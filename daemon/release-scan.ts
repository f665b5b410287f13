// A send that failed after its commit (the database went away, a deadlock in the release) may
// have left children blocked behind a parent that is now sent. It asks for the reconciler's walk
// over every blocked item in its next pass instead of the usual rare one.
let requested = false;

export function requestFullReleaseScan(): void {
  requested = true;
}

/** Whether a full walk was asked for since the last call; the reconciler takes the request. */
export function takeFullReleaseScanRequest(): boolean {
  const was = requested;
  requested = false;
  return was;
}
