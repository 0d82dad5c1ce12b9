/**
 * Hand-made networks whose machines are known, for the extraction tests. Each is a valid Rnn
 * (the same shape the trainer produces), built from explicit weights.
 */
import type { Example } from "../../task/types.js";
import type { DenseLayer, Rnn, RnnConfig } from "../../rnn/types.js";
import { Random } from "../../common/random.js";

const layer = (weight: number[][], bias: number[]): DenseLayer => ({
  inSize: weight[0]!.length,
  outSize: weight.length,
  weight: weight.flat(),
  bias,
});

function rnn(config: RnnConfig, transition: DenseLayer[], readout: DenseLayer[]): Rnn {
  return { kind: "rnn", version: 1, config, transition, readout, training: null };
}

/**
 * s' = (s + x) mod k with s on a line: u1 = relu(s + x), u2 = relu(s + x − k + 1), u3 = relu(s + x − k),
 * s' = u1 − k(u2 − u3); output s (regression). Raw input x ∈ {0, …, k−1}.
 */
export function addModLine(k: number): Rnn {
  const config: RnnConfig = {
    inputDim: 1, outputDim: 1, hiddenSize: 1,
    transition: { depth: 2, width: 3 }, readout: { depth: 1, width: 0 },
    encoding: { kind: "raw" }, head: { kind: "regression", loss: "log" },
  };
  return rnn(config, [layer([[1, 1], [1, 1], [1, 1]], [0, -(k - 1), -k]), layer([[1, -k, k]], [0])], [layer([[1]], [0])]);
}

/**
 * addModLine(k) with the state stored as scale·s (states `scale` apart: below every exploration
 * tolerance when scale is small) and, with `clock`, a second unit that counts the steps and never
 * reaches the output (one state settles at a new point every step: drift at its worst).
 */
export function addModLineScaled(k: number, scale: number, clock: boolean): Rnn {
  const hidden = clock ? 2 : 1;
  const config: RnnConfig = {
    inputDim: 1, outputDim: 1, hiddenSize: hidden,
    transition: { depth: 2, width: clock ? 4 : 3 }, readout: { depth: 1, width: 0 },
    encoding: { kind: "raw" }, head: { kind: "regression", loss: "log" },
  };
  // Inputs [h_s, (h_clock,) x]; units relu(s + x − c) for c = 0, k − 1, k, then relu(clock + 1).
  const sum = clock ? [1 / scale, 0, 1] : [1 / scale, 1];
  const first = layer([sum, sum, sum, ...(clock ? [[0, 1, 0]] : [])], [0, -(k - 1), -k, ...(clock ? [1] : [])]);
  const second = layer([[scale, -k * scale, k * scale, ...(clock ? [0] : [])], ...(clock ? [[0, 0, 0, 1]] : [])], clock ? [0, 0] : [0]);
  return rnn(config, [first, second], [layer([clock ? [1 / scale, 0] : [1 / scale]], [0])]);
}

/**
 * The last input as the state, stored as x + 1 (regression output x): from h₋₁ = 0 the network
 * behaves exactly as from the state after input 0, but its own output there (−1) differs.
 */
export function lastInputShifted(): Rnn {
  const config: RnnConfig = {
    inputDim: 1, outputDim: 1, hiddenSize: 1,
    transition: { depth: 1, width: 0 }, readout: { depth: 1, width: 0 },
    encoding: { kind: "raw" }, head: { kind: "regression", loss: "log" },
  };
  return rnn(config, [layer([[0, 1]], [1])], [layer([[1]], [-1])]);
}

/**
 * A circular counter: the state is a point on a circle through the origin (centre c = (−1, 0), so
 * h₋₁ = 0 is on it), rotated about c by 2π/k when x = 1 and left alone when x = 0, through a ReLU
 * gate with a large constant M; the output (classification over 0…k−1) is the index of the nearest
 * of the k directions from c. This is Add_Mod_k's geometry: no integer lattice, k states on a circle.
 */
export function circularCounter(k: number): Rnn {
  const M = 100;
  const cos = Math.cos((2 * Math.PI) / k);
  const sin = Math.sin((2 * Math.PI) / k);
  const centre = [-1, 0];
  // v = (R − I)(h − c): the step that rotates h about c.
  const v = [[cos - 1, -sin], [sin, cos - 1]];
  const vBias = v.map((row) => -(row[0]! * centre[0]! + row[1]! * centre[1]!));
  const w1: number[][] = [];
  const b1: number[] = [];
  // Hidden units: relu(h), relu(−h) (the identity), relu(v + Mx − M), relu(−v + Mx − M) (v when x = 1, else 0).
  for (let i = 0; i < 2; i++) { w1.push([i === 0 ? 1 : 0, i === 1 ? 1 : 0, 0]); b1.push(0); }
  for (let i = 0; i < 2; i++) { w1.push([i === 0 ? -1 : 0, i === 1 ? -1 : 0, 0]); b1.push(0); }
  for (let i = 0; i < 2; i++) { w1.push([v[i]![0]!, v[i]![1]!, M]); b1.push(vBias[i]! - M); }
  for (let i = 0; i < 2; i++) { w1.push([-v[i]![0]!, -v[i]![1]!, M]); b1.push(-vBias[i]! - M); }
  const w2 = [
    [1, 0, -1, 0, 1, 0, -1, 0],
    [0, 1, 0, -1, 0, 1, 0, -1],
  ];
  const config: RnnConfig = {
    inputDim: 1, outputDim: 1, hiddenSize: 2,
    transition: { depth: 2, width: 8 }, readout: { depth: 1, width: 0 },
    encoding: { kind: "raw" }, head: { kind: "classification", ranges: [{ min: 0, max: k - 1 }] },
  };
  // Direction j from c is the state after j rotations of the start direction (1, 0).
  const directions = Array.from({ length: k }, (_, j) => [Math.cos((2 * Math.PI * j) / k), Math.sin((2 * Math.PI * j) / k)]);
  const readout = layer(
    directions.map((d) => [10 * d[0]!, 10 * d[1]!]),
    directions.map((d) => -10 * (d[0]! * centre[0]! + d[1]! * centre[1]!)),
  );
  return rnn(config, [layer(w1, b1), layer(w2, [0, 0])], [readout]);
}

/** h' = W h + U x: a linear network over raw inputs (regression readout r·h + d). */
export function linearNetwork(W: number[][], U: number[][], readout: number[][], readoutBias: number[]): Rnn {
  const n = W.length;
  const config: RnnConfig = {
    inputDim: U[0]!.length, outputDim: readout.length, hiddenSize: n,
    transition: { depth: 1, width: 0 }, readout: { depth: 1, width: 0 },
    encoding: { kind: "raw" }, head: { kind: "regression", loss: "log" },
  };
  return rnn(config, [layer(W.map((row, i) => [...row, ...U[i]!]), new Array<number>(n).fill(0))], [layer(readout, readoutBias)]);
}

/** Random input sequences (targets left empty: extraction never reads them). */
export function randomSequences(n: number, length: number, alphabet: readonly number[], seed: number): Example[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => {
    const x = Array.from({ length }, () => [alphabet[rng.int(0, alphabet.length - 1)]!]);
    return { x, y: x.map(() => [0]) };
  });
}
