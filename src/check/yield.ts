/**
 * Give the event loop one turn. A check's instances await only promises that are already settled
 * (f64 training is synchronous), so without this a signal handler (Ctrl-C, SIGTERM), a worker's
 * `stop` message or a timer never runs until the regime ends. One turn per instance costs
 * microseconds; `setImmediate` runs after the poll phase, where signals and IPC are read.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
