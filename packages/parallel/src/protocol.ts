/** The shared-memory protocol between `kmeansParallel` and its workers. */

/** Control words (Int32, per worker). */
export const CMD = 0;
export const SEQ = 1;
export const DONE = 2;
export const RESULT = 3;
export const CONTROL_WORDS = 4;

/** Commands. */
export const ASSIGN_FIRST = 1;
export const STEP = 2;
export const LOOSEN = 3;
export const FORGET_LOWER = 4;
export const FARTHEST = 5;
export const INERTIA = 6;
export const EXIT = 9;

/** Offsets of the shared parameters (Float64) for k centres in d dimensions. */
export function layout(k: number, d: number) {
  const centers = 0;
  const halfCc = centers + k * d;
  const nearest = halfCc + k * k;
  const drift = nearest + k;
  const slack = drift + k;
  return { centers, halfCc, nearest, drift, slack, length: slack + 1 };
}

/** What each worker is started with. */
export interface WorkerSetup {
  readonly data: SharedArrayBuffer;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly start: number;
  readonly end: number;
  readonly control: SharedArrayBuffer;
  readonly params: SharedArrayBuffer;
  /** sizes (Int32 × k) then sums (Float64 × k·d), as two buffers. */
  readonly sizes: SharedArrayBuffer;
  readonly sums: SharedArrayBuffer;
  /** [index, squared distance] for FARTHEST. */
  readonly far: SharedArrayBuffer;
  readonly labels: SharedArrayBuffer;
  readonly upper: SharedArrayBuffer;
  readonly lower: SharedArrayBuffer;
  readonly tight: SharedArrayBuffer;
  /** Run the WebAssembly kernel (then upper/lower/tight are unused; labels are copied out). */
  readonly wasm: boolean;
}
