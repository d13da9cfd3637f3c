// The WebAssembly heap: NDArray storage placed inside the kernels' shared memory, so a kernel reads
// and writes it where it lies (no copy in, no copy out). Blocks are freed when the JavaScript view
// is garbage-collected (a FinalizationRegistry), so nobody calls dispose(). Code that knows an
// array is dead — Sequential, for the arrays passed between its layers — hands it back earlier
// (releaseArray, through dtype.releaseStorage), so a training loop reuses the same blocks pass
// after pass instead of waiting for collections.
import { heapAllocator, type Allocator, type DType, type TypedArray } from '../../dtype.js';

/** The typed arrays the heap hands out. */
export type ViewCtor =
  typeof Float32Array | typeof Float64Array | typeof Int32Array | typeof Uint8Array;

const PAGE = 65536;
/** Blocks start on a cache line: SIMD loads never straddle one at the start of an array. */
const ALIGN = 64;
/** Arrays smaller than this stay on the JavaScript heap: copying them costs less than tracking them. */
const MIN_WASM_BYTES = 256;
/**
 * V8 runs a full collection (the only kind that finalizes our views) when it sees memory pressure,
 * and wasm memory is invisible to it: after every PRESSURE_BYTES handed out, the heap allocates an
 * ArrayBuffer of that size, which V8 counts as external memory. The buffer is never touched, so
 * the operating system never backs it with pages: it costs address space, not RSS.
 */
const PRESSURE_BYTES = 32 << 20;

/**
 * The size class of a request: multiples of 64 bytes up to 1 KiB, then 8 classes per power of
 * two (at most 12.5 % waste). Freed blocks are reused by requests of the same class; a training
 * loop asks for the same sizes every iteration, so its memory stays flat.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 1024) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const step = 2 ** (Math.floor(Math.log2(bytes - 1)) - 3);
  return Math.ceil(bytes / step) * step;
}

/** Counters of the heap, for benchmarks and tests. */
export interface WasmHeapStats {
  /** Bytes of WebAssembly memory (grows, never shrinks). */
  memoryBytes: number;
  /** Bytes in live blocks (size classes, not requests). */
  liveBytes: number;
  /** Bytes in freed blocks waiting for reuse. */
  freeBytes: number;
  /** Allocations that fell back to the JavaScript heap because the memory could not grow. */
  fallbacks: number;
  /** Times the heap signalled memory pressure to V8 (see PRESSURE_BYTES). */
  pressureSignals: number;
  /** Arrays freed early through releaseArray (releaseStorage) instead of by their finalizer. */
  releasedArrays: number;
}

/** A block allocator over a shared WebAssembly.Memory, owned by the main thread. */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Whether views survive growth (shared memory); only then does allocArray hand them out. */
  readonly shared: boolean;
  private buffer: ArrayBuffer | SharedArrayBuffer;
  /** Every buffer object the memory has shown (a grown shared memory shows a new one). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private top: number;
  /** Free blocks by size class: those below arrayLimit, and those above (kernel scratch only). */
  private readonly free = new Map<number, number[]>();
  private readonly freeHigh = new Map<number, number[]>();
  /**
   * Every block ever carved → its size class, positive while the block is live and negative
   * while it is free. A block keeps its offset and class for good, so entries are only ever
   * updated, never deleted: a Map of a few thousand entries that sees a delete and an insert per
   * allocation rehashes itself every few hundred of them (0.6 µs an allocation, measured).
   */
  private readonly blocks = new Map<number, number>();
  private readonly registry = new FinalizationRegistry<number>((ptr) => this.release(ptr));
  /** Arrays handed back early through releaseArray. */
  private releasedArrays = 0;
  private liveBytes = 0;
  private freeBytes = 0;
  private fallbacks = 0;
  private sincePressure = 0;
  /** The latest pressure buffer, kept until the next so that a minor collection cannot drop it early. */
  private readonly pressure: ArrayBuffer[] = [];
  private pressureSignals = 0;

  /**
   * The highest byte array storage may reach; blocks above it are left to kernel scratch. Set by
   * the backend to ¾ of the memory's maximum.
   */
  arrayLimit = Infinity;

  /**
   * Zeroes memory from wasm (memory.fill), set by the backend: a typed array's fill() over shared
   * memory runs at a fraction of memset speed, and reused blocks are cleared on every allocation.
   */
  zeroFill: ((ptr: number, bytes: number) => void) | undefined;

  /** `base`: first byte the heap may use (the module's static data lies below). */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.buffer = memory.buffer;
    this.shared =
      typeof SharedArrayBuffer !== 'undefined' && this.buffer instanceof SharedArrayBuffer;
    this.buffers.add(this.buffer);
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /**
   * Reserves `bytes` (rounded to their size class); returns the byte offset, or -1 when full.
   * With `forArray`, only below `arrayLimit` (freed blocks above it are kept for kernel scratch,
   * or a loop that keeps arrays alive would take them all and leave the kernels none).
   */
  alloc(bytes: number, forArray = false): number {
    let size = sizeClass(bytes);
    let ptr = (forArray ? undefined : this.freeHigh.get(size)?.pop()) ?? this.free.get(size)?.pop();
    if (ptr !== undefined) {
      this.freeBytes -= size;
    } else if (forArray && this.top + size > this.arrayLimit) {
      return -1;
    } else if (this.top + size <= this.buffer.byteLength || this.grow(this.top + size)) {
      ptr = this.top;
      this.top += size;
    } else {
      // The memory cannot grow: take the smallest free block of a larger class rather than fail
      // while freed memory waits in other classes (it keeps its class, and returns to it).
      const larger = this.takeLarger(size, Infinity, !forArray);
      if (larger === undefined) return -1;
      [ptr, size] = larger;
    }
    this.blocks.set(ptr, size);
    this.liveBytes += size;
    return ptr;
  }

  /**
   * Takes the smallest free block of a class in (size, max] (from above arrayLimit too when
   * `high`); returns its offset and class.
   */
  private takeLarger(size: number, max: number, high: boolean): [number, number] | undefined {
    let best: [Map<number, number[]>, number] | undefined;
    for (const map of high ? [this.freeHigh, this.free] : [this.free]) {
      for (const [s, list] of map) {
        if (s > size && s <= max && list.length > 0 && (best === undefined || s < best[1]))
          best = [map, s];
      }
    }
    if (!best) return undefined;
    this.freeBytes -= best[1];
    return [best[0].get(best[1])!.pop()!, best[1]];
  }

  /** Returns a block from alloc() to its free list (unknown or already freed offsets are ignored). */
  release(ptr: number): void {
    const size = this.blocks.get(ptr);
    if (size === undefined || size < 0) return;
    this.blocks.set(ptr, -size);
    this.liveBytes -= size;
    this.freeBytes += size;
    const map = ptr + size > this.arrayLimit ? this.freeHigh : this.free;
    let list = map.get(size);
    if (!list) map.set(size, (list = []));
    list.push(ptr);
  }

  private grow(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    // Grow by at least 1/8 of the memory (and 1 MiB) so a growing run does not grow on every call.
    const want = Math.max(end - have, have / 8, 1 << 20);
    try {
      this.memory.grow(Math.ceil(want / PAGE));
    } catch {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        return false;
      }
    }
    this.refresh();
    return true;
  }

  /** The current buffer (views made from it cover all memory grown so far). */
  refresh(): ArrayBuffer | SharedArrayBuffer {
    if (this.buffer.byteLength !== this.memory.buffer.byteLength) {
      this.buffer = this.memory.buffer;
      this.buffers.add(this.buffer);
    }
    return this.buffer;
  }

  /** Whether `view` lies in this memory (then `view.byteOffset` is its address). */
  contains(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /** A Float32Array/Float64Array/Int32Array view of `n` elements at `ptr`. */
  view<C extends ViewCtor>(ctor: C, ptr: number, n: number): InstanceType<C> {
    const make = ctor as unknown as new (
      b: ArrayBufferLike,
      o: number,
      n: number,
    ) => InstanceType<C>;
    return new make(this.refresh(), ptr, n);
  }

  /**
   * Zeroed storage (unspecified contents when `zero` is false) in wasm memory that is freed when
   * the returned array is garbage-collected or released (releaseArray), or undefined when the
   * memory is full or not shared. Collected blocks return at the next turn of the event loop
   * (that is when finalizers run): a long synchronous loop should yield now and then.
   */
  allocArray<C extends ViewCtor>(ctor: C, n: number, zero = true): InstanceType<C> | undefined {
    if (!this.shared) return undefined; // a view of an unshared memory detaches when it grows
    const size = sizeClass(n * ctor.BYTES_PER_ELEMENT);
    // Arrays may not take the top of the memory: kernels need scratch there for operands that live
    // on the JavaScript heap, and a synchronous loop (no finalizers run) must fall back, not fail.
    const fresh = this.top;
    let ptr = this.alloc(n * ctor.BYTES_PER_ELEMENT, true);
    if (ptr < 0) {
      // No room below the limit: a free block of a larger class (up to twice the size) serves
      // before the JavaScript heap does, whose arrays every kernel call must copy.
      const larger = this.takeLarger(size, 2 * size, false);
      if (larger === undefined) {
        this.fallbacks++;
        return undefined;
      }
      ptr = larger[0];
      this.blocks.set(ptr, larger[1]);
      this.liveBytes += larger[1];
    }
    const out = this.view(ctor, ptr, n);
    this.sincePressure += n * ctor.BYTES_PER_ELEMENT;
    if (this.sincePressure >= PRESSURE_BYTES) {
      this.sincePressure = 0;
      this.pressure[0] = new ArrayBuffer(PRESSURE_BYTES);
      this.pressureSignals++;
    }
    // A reused block holds old data; memory above `top` is still zero.
    if (zero && ptr < fresh) {
      if (this.zeroFill) this.zeroFill(ptr, n * ctor.BYTES_PER_ELEMENT);
      else out.fill(0);
    }
    // The view is its own unregister token (held weakly), so releaseArray can cancel the finalizer.
    this.registry.register(out, ptr, out);
    return out;
  }

  /**
   * Frees the block of an array from allocArray now, before it is garbage-collected (its finalizer
   * is cancelled, so the block cannot be freed twice). The caller guarantees that nothing uses the
   * array again. Arrays not from this heap, or not at the start of a live block, are ignored.
   */
  releaseArray(view: ArrayBufferView): void {
    if (!this.contains(view) || !this.registry.unregister(view)) return;
    this.release(view.byteOffset);
    // These bytes need no collection to come back: they no longer count towards the next
    // pressure signal (a loop whose arrays are all recycled then triggers no full collections).
    this.sincePressure = Math.max(0, this.sincePressure - view.byteLength);
    this.releasedArrays++;
  }

  /** An Allocator for dtype.setAllocator: float32, float64, int32 and uint8 storage in wasm memory. */
  allocator(): Allocator {
    const make = (dtype: DType, n: number, zero: boolean): TypedArray => {
      const ctor =
        dtype === 'float32'
          ? Float32Array
          : dtype === 'float64'
            ? Float64Array
            : dtype === 'int32'
              ? Int32Array
              : dtype === 'uint8'
                ? Uint8Array
                : undefined;
      if (!ctor || n * ctor.BYTES_PER_ELEMENT < MIN_WASM_BYTES)
        return heapAllocator.allocate(dtype, n);
      return this.allocArray(ctor, n, zero) ?? heapAllocator.allocate(dtype, n);
    };
    return {
      allocate: (dtype, n) => make(dtype, n, true),
      empty: (dtype, n) => make(dtype, n, false),
      release: (data) => this.releaseArray(data),
    };
  }

  stats(): WasmHeapStats {
    return {
      memoryBytes: this.memory.buffer.byteLength,
      liveBytes: this.liveBytes,
      freeBytes: this.freeBytes,
      fallbacks: this.fallbacks,
      pressureSignals: this.pressureSignals,
      releasedArrays: this.releasedArrays,
    };
  }
}
