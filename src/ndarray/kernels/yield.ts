// One turn of the event loop: lets FinalizationRegistry callbacks run, which is when the wasm
// backend gets back the memory of arrays that were garbage-collected.

/** Resolves after the current task, in Node (setImmediate) and in browsers (a MessageChannel). */
export function yieldToFinalizers(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
