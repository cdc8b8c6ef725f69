import { parentPort } from 'node:worker_threads';
import {
  ElkanShard,
  WasmElkanShard,
  type ElkanCentres,
  type ElkanShardLike,
} from '@strata/core/shards';
import {
  ASSIGN_FIRST,
  CMD,
  DONE,
  EXIT,
  FARTHEST,
  FORGET_LOWER,
  INERTIA,
  LOOSEN,
  RESULT,
  SEQ,
  STEP,
  layout,
  type WorkerSetup,
} from './protocol.js';

// A pooled worker: for each k-means job (a message with its setup), it holds one shard of the
// points and runs commands on it, synchronised through shared memory, until the job ends.
function runJob(w: WorkerSetup): void {
  const control = new Int32Array(w.control);
  const params = new Float64Array(w.params);
  const at = layout(w.k, w.d);
  const g: ElkanCentres = {
    k: w.k,
    d: w.d,
    centers: params.subarray(at.centers, at.centers + w.k * w.d),
    halfCc: params.subarray(at.halfCc, at.halfCc + w.k * w.k),
    nearest: params.subarray(at.nearest, at.nearest + w.k),
    drift: params.subarray(at.drift, at.drift + w.k),
    slack: 0,
  };
  const labels = new Int32Array(w.labels);
  const shard: ElkanShardLike & { readonly labels?: Int32Array } = w.wasm
    ? new WasmElkanShard(new Float64Array(w.data), w.start, w.end, w.d, w.k)
    : new ElkanShard(new Float64Array(w.data), w.start, w.end, {
        labels,
        upper: new Float64Array(w.upper),
        lower: new Float64Array(w.lower),
        tight: new Uint8Array(w.tight),
      });
  /** The WebAssembly shard keeps labels in its own memory: publish them when the job ends. */
  const publish = () => {
    if (w.wasm && shard.labels) labels.set(shard.labels);
  };
  const sizes = new Int32Array(w.sizes);
  const sums = new Float64Array(w.sums);
  const far = new Float64Array(w.far);

  let seen = 0;
  for (;;) {
    Atomics.wait(control, SEQ, seen);
    seen = Atomics.load(control, SEQ);
    const cmd = Atomics.load(control, CMD);
    let result = 0;
    if (cmd !== EXIT) {
      g.slack = params[at.slack] as number;
      sizes.fill(0);
      sums.fill(0);
      if (cmd === ASSIGN_FIRST) shard.assignFirst(g, sizes, sums);
      else if (cmd === STEP) result = shard.step(g, sizes, sums);
      else if (cmd === LOOSEN) shard.loosen();
      else if (cmd === FORGET_LOWER) shard.forgetLowerBounds();
      else if (cmd === INERTIA) {
        // The last command of a job: the caller reads the labels next.
        far[0] = shard.inertia(g.centers, w.d);
        publish();
      } else if (cmd === FARTHEST) {
        const [index, dist2] = shard.farthest(g.centers, w.d);
        far[0] = index;
        far[1] = dist2;
      }
    }
    Atomics.store(control, RESULT, result);
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
    if (cmd === EXIT) return; // the job is over; wait for the next message
  }
}

parentPort?.on('message', (setup: WorkerSetup) => runJob(setup));
