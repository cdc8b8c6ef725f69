import { laneDistance, type ElkanCentres } from './elkan.js';
import { ELKAN_WASM } from './elkan-wasm-bytes.js';

// The few WebAssembly and base64 entry points used here; present in every browser and in Node.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number }) => { buffer: ArrayBuffer };
  validate(bytes: Uint8Array): boolean;
}
const host = globalThis as { WebAssembly?: WasmApi; atob?: (s: string) => string };

let compiled: object | null | undefined;

/** The compiled kernel, or null where WebAssembly (with SIMD) is not available. */
function kernel(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const wasm = host.WebAssembly;
  if (wasm && host.atob) {
    const text = host.atob(ELKAN_WASM);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    if (wasm.validate(bytes)) compiled = new wasm.Module(bytes);
  }
  return compiled;
}

/** True when the WebAssembly kernel can run here. */
export function wasmAvailable(): boolean {
  return kernel() !== null;
}

type AssignFirst = (...args: number[]) => void;
type Step = (...args: number[]) => number;

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * The points [start, end) of a data set in WebAssembly memory, with their labels and bounds:
 * the same passes as `ElkanShard`, compiled (wasm/elkan.c) with SIMD distances. Bit-identical
 * results: the kernel sums coordinates in the same two lanes as the JavaScript version.
 */
export class WasmElkanShard {
  /** The shard's labels (a view into the module's memory). */
  readonly labels: Int32Array;
  private readonly n: number;
  private readonly exports: { assign_first: AssignFirst; step: Step };
  private readonly at: Record<string, number>;
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;
  private readonly u8: Uint8Array;

  constructor(
    data: Float64Array,
    readonly start: number,
    readonly end: number,
    private readonly d: number,
    private readonly k: number,
  ) {
    const module = kernel();
    const wasm = host.WebAssembly;
    if (!module || !wasm) throw new Error('WebAssembly with SIMD is not available');
    const n = end - start;
    this.n = n;
    // Layout (byte offsets), above the kernel's 64 KB stack.
    const sizes: [string, number][] = [
      ['X', n * d * 8],
      ['C', k * d * 8],
      ['half', k * k * 8],
      ['near', k * 8],
      ['drift', k * 8],
      ['labels', n * 4],
      ['upper', n * 8],
      ['lower', n * k * 8],
      ['tight', n],
      ['sizes', k * 4],
      ['sums', k * d * 8],
    ];
    let offset = 1 << 20;
    this.at = {};
    for (const [name, bytes] of sizes) {
      this.at[name] = offset;
      offset += align(bytes);
    }
    const pages = Math.ceil(offset / 65536);
    if (pages > 65536) throw new RangeError('too many points for one WebAssembly shard');
    const memory = new wasm.Memory({ initial: pages, maximum: pages });
    const instance = new wasm.Instance(module, { env: { memory } });
    this.exports = instance.exports as unknown as { assign_first: AssignFirst; step: Step };
    this.f64 = new Float64Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.u8 = new Uint8Array(memory.buffer);
    this.f64.set(data.subarray(start * d, end * d), (this.at.X as number) / 8);
    this.labels = new Int32Array(memory.buffer, this.at.labels, n);
  }

  private load(g: ElkanCentres, sizes: boolean): void {
    const f = this.f64;
    f.set(g.centers, (this.at.C as number) / 8);
    f.set(g.halfCc, (this.at.half as number) / 8);
    f.set(g.nearest, (this.at.near as number) / 8);
    f.set(g.drift, (this.at.drift as number) / 8);
    if (sizes) {
      this.i32.fill(0, (this.at.sizes as number) / 4, (this.at.sizes as number) / 4 + this.k);
      f.fill(0, (this.at.sums as number) / 8, (this.at.sums as number) / 8 + this.k * this.d);
    }
  }

  private collect(sizes: Int32Array, sums: Float64Array): void {
    const s = (this.at.sizes as number) / 4;
    const m = (this.at.sums as number) / 8;
    for (let c = 0; c < this.k; c++) sizes[c] = (sizes[c] as number) + (this.i32[s + c] as number);
    for (let j = 0; j < this.k * this.d; j++)
      sums[j] = (sums[j] as number) + (this.f64[m + j] as number);
  }

  assignFirst(g: ElkanCentres, sizes: Int32Array, sums: Float64Array): void {
    this.load(g, true);
    const a = this.at as Record<string, number>;
    this.exports.assign_first(
      a.X as number,
      this.n,
      this.d,
      this.k,
      a.C as number,
      a.half as number,
      a.labels as number,
      a.upper as number,
      a.lower as number,
      a.tight as number,
      a.sizes as number,
      a.sums as number,
    );
    this.collect(sizes, sums);
  }

  step(g: ElkanCentres, sizes: Int32Array, sums: Float64Array): number {
    this.load(g, true);
    const a = this.at as Record<string, number>;
    const changed = this.exports.step(
      a.X as number,
      this.n,
      this.d,
      this.k,
      a.C as number,
      a.half as number,
      a.near as number,
      a.drift as number,
      g.slack,
      a.labels as number,
      a.upper as number,
      a.lower as number,
      a.tight as number,
      a.sizes as number,
      a.sums as number,
    );
    this.collect(sizes, sums);
    return changed;
  }

  loosen(): void {
    const t = this.at.tight as number;
    this.u8.fill(0, t, t + this.n);
  }

  forgetLowerBounds(): void {
    const l = (this.at.lower as number) / 8;
    this.f64.fill(Number.NEGATIVE_INFINITY, l, l + this.n * this.k);
  }

  /** Sum of squared distances of the shard's points to their centres. */
  inertia(centers: Float64Array, d: number): number {
    let total = 0;
    for (let i = 0; i < this.n; i++) {
      const x = this.distance(i, this.labels[i] as number, centers, d);
      total += x * x;
    }
    return total;
  }

  /** As ElkanShard: the same lane order, over the points in this module's memory. */
  private distance(i: number, c: number, centers: Float64Array, d: number): number {
    return laneDistance(this.f64, (this.at.X as number) / 8 + i * d, centers, c * d, d);
  }

  farthest(centers: Float64Array, d: number): [number, number] {
    let far = 0;
    let farDist = -1;
    for (let i = 0; i < this.n; i++) {
      const x = this.distance(i, this.labels[i] as number, centers, d);
      if (x * x > farDist) {
        farDist = x * x;
        far = i;
      }
    }
    return [this.start + far, farDist];
  }
}
