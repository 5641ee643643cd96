/**
 * The machine's own ceiling for a speed-up from worker threads: a fixed piece of pure compute
 * (a float matrix product, no I/O, no allocation in the loop) timed on 1 thread and on N threads
 * at once, each doing the same work. On a shared virtual machine this is well below N (here
 * ~1.9 on 2 cores), and no pool can beat it; bench:faces prints it beside its own speed-up.
 */
import { Worker } from 'node:worker_threads';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const n = 192;
const a = new Float64Array(n * n).fill(1.1), b = new Float64Array(n * n).fill(0.9), c = new Float64Array(n * n);
for (let r = 0; r < workerData; r++)
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) { const x = a[i * n + k]; for (let j = 0; j < n; j++) c[i * n + j] += x * b[k * n + j]; }
parentPort.postMessage(c[7]);
`;

function timeThreads(threads: number, reps: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let done = 0;
    for (let i = 0; i < threads; i++) {
      const w = new Worker(SOURCE, { eval: true, workerData: reps });
      w.once('error', reject);
      w.once('message', () => {
        void w.terminate();
        if (++done === threads) resolve(performance.now() - t0);
      });
    }
  });
}

/** Median over `rounds` of (time on 1 thread × N) / (time on N threads doing N times the work). */
export async function cpuScalingCeiling(threads: number, rounds = 3, reps = 40): Promise<number> {
  await timeThreads(1, 2);
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const one = await timeThreads(1, reps);
    const many = await timeThreads(threads, reps);
    ratios.push((threads * one) / many);
  }
  return ratios.sort((x, y) => x - y)[Math.floor(ratios.length / 2)]!;
}
