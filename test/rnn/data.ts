/** Tiny algorithmic tasks built inline for the training tests. */
import { Random } from "../../common/random.js";
import type { Example } from "../../task/types.js";

/** One-input, one-output sequences: x uniform in 0..maxInput, y = target(x). */
export function sequences(count: number, seed: number, seqLen: number, maxInput: number, target: (xs: number[]) => number[]): Example[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => {
    const xs = Array.from({ length: seqLen }, () => rng.int(0, maxInput));
    return { x: xs.map((v) => [v]), y: target(xs).map((v) => [v]) };
  });
}

/** y_t = x_t + x_{t-1} (x_{-1} = 0). */
export const sumLast2 = (xs: number[]): number[] => xs.map((v, t) => v + (t > 0 ? xs[t - 1]! : 0));

/** y_t = x_0 xor … xor x_t. */
export const parity = (xs: number[]): number[] => {
  let p = 0;
  return xs.map((v) => (p ^= v));
};
