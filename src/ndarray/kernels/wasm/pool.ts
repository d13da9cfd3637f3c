// The worker pool: threads that run the same kernel module over the same shared memory. The main
// thread writes one task per worker into a control block in that memory, wakes the workers with
// Atomics.notify, runs its own share, and waits for a counter to reach zero. No messages are
// posted per call, so a dispatch costs microseconds. How a worker is started (node:worker_threads
// or a Web Worker) is injected, so this file runs unchanged in Node and in browsers.

/** The kernel exports a worker may run, by task number. */
export const TASKS = [
  'gemmF32',
  'gemmF64',
  'gemmSparseAF32',
  'gemmPackedAF32',
  'im2colF32',
  'im2colF64',
  'col2imF32',
  'col2imF64',
  'maxPoolForwardF32',
  'maxPoolForwardF64',
  'convForwardF32',
  'convForwardF64',
  'convBackwardF32',
  'convBackwardF64',
  'reluForwardF32',
  'reluForwardF64',
  'reluBackwardF32',
  'reluBackwardF64',
  'sgdTaskF32',
  'sgdTaskF64',
  'adamTaskF32',
  'adamTaskF64',
  'lookupBytes4',
  'lookupBytes8',
  'takeRows',
  'packSparseAF32',
  'takeRowsPackF32',
] as const;
export type TaskName = (typeof TASKS)[number];

/**
 * One call of a kernel export: its name and its (integer) arguments, pointers included. When
 * `workspaceArg` is set, that argument is replaced by the scratch block of the thread that runs
 * the task (threads take tasks in whatever order they come to them).
 */
export interface Task {
  name: TaskName;
  args: number[];
  workspaceArg?: number;
}

/** What a worker receives when it starts. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block (Int32 slots, see the layout below). */
  ctrlPtr: number;
  /** Worker number, 0-based (thread 0 of a dispatch is the calling thread, worker w is thread w+1). */
  index: number;
  tasks: readonly string[];
  /**
   * Microseconds a thread spins on the control word before it sleeps in Atomics.wait: waking a
   * sleeping thread costs tens of µs on an idle machine and milliseconds on a busy one.
   */
  spinMicros: number;
}

/** A started worker. */
export interface WorkerHandle {
  terminate(): void;
}

/**
 * Starts a worker that evaluates `source` (a classic script defining `scratchnetWorker(init)`) and
 * calls `scratchnetWorker(init)` in it; `onError` receives a failure to start.
 */
export type SpawnWorker = (
  source: string,
  init: WorkerInit,
  onError: (error: unknown) => void,
) => WorkerHandle;

// Control block layout (Int32 slots).
const GEN = 0; // bumped once per dispatch; workers sleep on it
const TICKET = 1; // (generation & 0xffff) << 16 | task count << 8 | next task: taken by compare-exchange
const DONE = 2; // tasks finished in this dispatch; the caller sleeps on it
const ACTIVE = 3; // workers that take tasks (worker w takes part when w < ACTIVE)
const WORKER_TASKS = 4; // tasks run by workers so far (for tests and benchmarks)
export const MAX_WORKERS = 63;
const READY = 8; // READY + w: worker w has started
const WORKSPACE = READY + MAX_WORKERS + 1; // WORKSPACE + w: worker w's scratch block
export const MAX_TASKS = 255;
const TASK0 = WORKSPACE + MAX_WORKERS + 1; // TASK0 + i·ARGS: task i = [op, workspaceArg, args…]
const ARGS = 16;
const SLOTS = TASK0 + MAX_TASKS * ARGS;
/** Bytes of the control block. */
export const CTRL_BYTES = SLOTS * 4;

/**
 * Takes the next task of dispatch `gen` from the ticket word, or returns -1 when none is left or
 * the dispatch is over: the generation, count and index live in one word changed by
 * compare-exchange, so a thread that wakes late can never take a task of another dispatch.
 */
function take(ctrl: Int32Array, gen: number): number {
  for (;;) {
    const v = Atomics.load(ctrl, TICKET);
    if (v >>> 16 !== (gen & 0xffff) || (v & 0xff) >= ((v >>> 8) & 0xff)) return -1;
    if (Atomics.compareExchange(ctrl, TICKET, v, v + 1) === v) return v & 0xff;
  }
}

/**
 * The worker's code, as a classic script (no imports): it instantiates the module over the
 * shared memory and loops forever — sleep until the generation changes, take tasks until none is
 * left, count each one done. A worker the system holds back simply takes fewer tasks (or none),
 * and the caller never waits for a worker that took nothing. Which thread runs which task changes
 * no result: each task writes its own part of the output.
 */
export const WORKER_SOURCE = `'use strict';
function scratchnetWorker(init) {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const fns = init.tasks.map((name) => instance.exports[name]);
  const ctrl = new Int32Array(init.memory.buffer, init.ctrlPtr, ${SLOTS});
  const args = new Array(${ARGS - 2});
  // The same as take() above.
  const take = (gen) => {
    for (;;) {
      const v = Atomics.load(ctrl, ${TICKET});
      if (v >>> 16 !== (gen & 0xffff) || (v & 0xff) >= ((v >>> 8) & 0xff)) return -1;
      if (Atomics.compareExchange(ctrl, ${TICKET}, v, v + 1) === v) return v & 0xff;
    }
  };
  let gen = Atomics.load(ctrl, ${GEN});
  Atomics.store(ctrl, ${READY} + init.index, 1);
  Atomics.notify(ctrl, ${READY} + init.index);
  for (;;) {
    const until = performance.now() + init.spinMicros / 1000;
    for (let spins = 1; Atomics.load(ctrl, ${GEN}) === gen; spins++) {
      if ((spins & 255) === 0 && performance.now() > until) Atomics.wait(ctrl, ${GEN}, gen);
    }
    gen = Atomics.load(ctrl, ${GEN});
    if (init.index >= ctrl[${ACTIVE}]) continue;
    for (let i = take(gen); i >= 0; i = take(gen)) {
      const t = ${TASK0} + i * ${ARGS};
      for (let a = 0; a < ${ARGS - 2}; a++) args[a] = ctrl[t + 2 + a];
      if (ctrl[t + 1] >= 0) args[ctrl[t + 1]] = ctrl[${WORKSPACE} + init.index];
      fns[ctrl[t]](...args);
      Atomics.add(ctrl, ${WORKER_TASKS}, 1);
      Atomics.add(ctrl, ${DONE}, 1);
      Atomics.notify(ctrl, ${DONE});
    }
  }
}
`;

/** Starts Web Workers from a Blob URL; undefined where `Worker` does not exist (Node). */
export function webWorkerSpawner(): SpawnWorker | undefined {
  const g = globalThis as unknown as {
    Worker?: new (url: string) => {
      postMessage(m: unknown): void;
      terminate(): void;
      addEventListener(t: string, f: (e: unknown) => void): void;
    };
    Blob?: typeof Blob;
    URL?: typeof URL;
  };
  const WorkerCtor = g.Worker;
  if (!WorkerCtor || !g.Blob || !g.URL?.createObjectURL) return undefined;
  return (source, init, onError) => {
    const script = `${source}\nself.onmessage = (e) => scratchnetWorker(e.data);\n`;
    const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
    const worker = new WorkerCtor(url);
    worker.addEventListener('error', onError);
    worker.postMessage(init);
    return worker;
  };
}

type Fn = (...args: number[]) => void;

/** Workers over one shared memory, driven through the control block at `ctrlPtr`. */
export class ThreadPool {
  private readonly ctrl: Int32Array;
  private readonly workers: WorkerHandle[] = [];
  private readonly errors: unknown[] = [];
  /** Atomics.wait throws on a browser's main thread; then the pool spins. */
  private canWait = true;
  /** The dispatch posted and not yet settled. */
  private posted: { tasks: Task[]; gen: number; workspace: number } | undefined;

  constructor(
    private readonly init: Omit<WorkerInit, 'index'>,
    private readonly local: Record<TaskName, Fn>,
  ) {
    this.ctrl = new Int32Array(init.memory.buffer, init.ctrlPtr, CTRL_BYTES / 4);
  }

  /** Number of workers started (the calling thread not counted). */
  get size(): number {
    return this.workers.length;
  }

  /** Starts workers until there are `n`; resolves when all have instantiated the module. */
  async grow(n: number, spawn: SpawnWorker, timeoutMs = 20_000): Promise<void> {
    this.start(n, spawn);
    const deadline = Date.now() + timeoutMs;
    while (!this.allReady()) {
      this.throwIfFailed();
      if (Date.now() > deadline)
        throw new Error(`initWasm: expected ${n} workers to start, got a timeout`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Like grow(), blocking the calling thread (Node's main thread may block; a browser's may not). */
  growSync(n: number, spawn: SpawnWorker, timeoutMs = 20_000): void {
    this.start(n, spawn);
    const deadline = Date.now() + timeoutMs;
    for (let w = 0; w < n; w++) {
      while (Atomics.load(this.ctrl, READY + w) === 0) {
        this.throwIfFailed();
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`initWasmSync: expected ${n} workers to start, got a timeout`);
        Atomics.wait(this.ctrl, READY + w, 0, Math.min(left, 50));
      }
    }
  }

  private start(n: number, spawn: SpawnWorker): void {
    if (n > MAX_WORKERS)
      throw new Error(`ThreadPool: expected at most ${MAX_WORKERS} workers, got ${n}`);
    for (let w = this.workers.length; w < n; w++) {
      Atomics.store(this.ctrl, READY + w, 0);
      this.workers.push(
        spawn(WORKER_SOURCE, { ...this.init, index: w }, (e) => this.errors.push(e)),
      );
    }
  }

  private allReady(): boolean {
    for (let w = 0; w < this.workers.length; w++)
      if (Atomics.load(this.ctrl, READY + w) === 0) return false;
    return true;
  }

  private throwIfFailed(): void {
    if (this.errors.length > 0) {
      const e = this.errors[0];
      throw new Error(
        `ThreadPool: a worker failed to start: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /**
   * Runs the tasks on the calling thread and `threads - 1` workers, each thread taking the next
   * task until none is left (so a thread that the system holds back takes fewer), and returns
   * when all are done. `workspaces[0]` is the calling thread's scratch block, `workspaces[w + 1]`
   * worker w's.
   */
  run(tasks: Task[], threads: number, workspaces: readonly number[]): void {
    this.post(tasks, threads, workspaces);
    this.settle();
  }

  /**
   * Starts the tasks on `threads - 1` workers and returns at once: the calling thread goes on
   * with other work (kernels it calls itself, not through the pool) and takes whatever tasks are
   * left when it calls settle(). run() settles an earlier post first, so one dispatch is under
   * way at a time. The tasks' memory belongs to the pool until settle() returns.
   */
  post(tasks: Task[], threads: number, workspaces: readonly number[]): void {
    this.settle();
    const ctrl = this.ctrl;
    const nw = this.workers.length;
    const count = tasks.length;
    if (count > MAX_TASKS) {
      throw new Error(`ThreadPool: expected at most ${MAX_TASKS} tasks, got ${count}`);
    }
    tasks.forEach((task, i) => {
      const t = TASK0 + i * ARGS;
      ctrl[t] = TASKS.indexOf(task.name);
      ctrl[t + 1] = task.workspaceArg ?? -1;
      for (let a = 0; a < task.args.length; a++) ctrl[t + 2 + a] = task.args[a];
    });
    for (let w = 0; w < nw; w++) ctrl[WORKSPACE + w] = workspaces[w + 1] ?? 0;
    ctrl[ACTIVE] = Math.min(nw, threads - 1);
    Atomics.store(ctrl, DONE, 0);
    const gen = (Atomics.load(ctrl, GEN) + 1) | 0;
    // Sequentially consistent stores: the table written above is visible to whoever takes a task.
    Atomics.store(ctrl, TICKET, ((gen & 0xffff) << 16) | (count << 8));
    Atomics.store(ctrl, GEN, gen);
    Atomics.notify(ctrl, GEN);
    this.posted = { tasks, gen, workspace: workspaces[0] };
  }

  /**
   * Finishes the posted dispatch: runs the tasks no worker has taken on the calling thread, then
   * waits for those workers took. Does nothing when nothing is posted.
   */
  settle(): void {
    const posted = this.posted;
    if (!posted) return;
    this.posted = undefined;
    const { tasks, gen, workspace } = posted;
    const ctrl = this.ctrl;
    const count = tasks.length;
    for (let i = take(ctrl, gen); i >= 0; i = take(ctrl, gen)) {
      const task = tasks[i];
      const args = task.args.slice();
      if (task.workspaceArg !== undefined) args[task.workspaceArg] = workspace;
      this.local[task.name](...args);
      Atomics.add(ctrl, DONE, 1);
    }
    // Nothing left to take: spin until the tasks workers took are done, then sleep (where the
    // thread may: a browser's main thread may not).
    const until = performance.now() + this.init.spinMicros / 1000;
    for (let spins = 1; ; spins++) {
      const done = Atomics.load(ctrl, DONE);
      if (done === count) break;
      if ((spins & 255) !== 0 || !this.canWait || performance.now() < until) continue;
      try {
        Atomics.wait(ctrl, DONE, done);
      } catch {
        this.canWait = false;
      }
    }
  }

  /** Tasks run by workers so far, and the errors of workers that failed. */
  stats(): { workerTasks: number; workerErrors: string[] } {
    return {
      workerTasks: Atomics.load(this.ctrl, WORKER_TASKS),
      workerErrors: this.errors.map((e) => (e instanceof Error ? e.message : String(e))),
    };
  }

  /** Stops every worker (after the posted dispatch, if any). */
  terminate(): void {
    this.settle();
    for (const w of this.workers.splice(0)) w.terminate();
  }
}
