/** Small random networks and data for the rnn tests, built inline (no task registry). */
import fc from "fast-check";
import { Random } from "../../common/random.js";
import { initParams, rnnFromParams } from "../../rnn/init.js";
import type { InputEncoding, OutputHead, Rnn, RnnConfig } from "../../rnn/types.js";
import type { Example, IntRange } from "../../task/types.js";

export interface ConfigSpec {
  readonly inputDim?: number;
  readonly outputDim?: number;
  readonly hiddenSize?: number;
  readonly transitionDepth?: number;
  readonly readoutDepth?: number;
  readonly width?: number;
  readonly encoding?: "raw" | "one-hot";
  readonly head?: "log" | "mse" | "classification";
  readonly inputRange?: IntRange;
  readonly outputRange?: IntRange;
}

export function makeConfig(spec: ConfigSpec = {}): RnnConfig {
  const inputDim = spec.inputDim ?? 2;
  const outputDim = spec.outputDim ?? 2;
  const inputRange = spec.inputRange ?? { min: 0, max: 2 };
  const outputRange = spec.outputRange ?? { min: -1, max: 1 };
  const encoding: InputEncoding = spec.encoding === "one-hot" ? { kind: "one-hot", ranges: Array.from({ length: inputDim }, () => inputRange) } : { kind: "raw" };
  const head: OutputHead =
    spec.head === "classification" ? { kind: "classification", ranges: Array.from({ length: outputDim }, () => outputRange) } : { kind: "regression", loss: spec.head ?? "log" };
  const width = spec.width ?? 3;
  return {
    inputDim,
    outputDim,
    hiddenSize: spec.hiddenSize ?? 3,
    transition: { depth: spec.transitionDepth ?? 1, width },
    readout: { depth: spec.readoutDepth ?? 1, width },
    encoding,
    head,
  };
}

/** A random network: PyTorch-style initialisation scaled by `scale` (> 1 makes ReLUs and long sequences matter). */
export function randomRnn(config: RnnConfig, seed: number, scale = 1.5): Rnn {
  const params = initParams(config, new Random(seed));
  for (let i = 0; i < params.length; i++) params[i]! *= scale;
  return rnnFromParams(config, params);
}

/** Random examples of one length: inputs uniform over the range, targets uniform over the output range. */
export function randomExamples(config: RnnConfig, count: number, seqLen: number, seed: number, inputRange: IntRange = { min: 0, max: 2 }, outputRange: IntRange = { min: -1, max: 1 }): Example[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => ({
    x: Array.from({ length: seqLen }, () => Array.from({ length: config.inputDim }, () => rng.int(inputRange.min, inputRange.max))),
    y: Array.from({ length: seqLen }, () => Array.from({ length: config.outputDim }, () => rng.int(outputRange.min, outputRange.max))),
  }));
}

/** fast-check: a small config with any head, encoding and depths 1–3, with the ranges its data uses. */
export const arbitraryConfig = fc
  .record({
    inputDim: fc.integer({ min: 1, max: 3 }),
    outputDim: fc.integer({ min: 1, max: 2 }),
    hiddenSize: fc.integer({ min: 1, max: 6 }),
    transitionDepth: fc.integer({ min: 1, max: 3 }),
    readoutDepth: fc.integer({ min: 1, max: 3 }),
    width: fc.integer({ min: 1, max: 5 }),
    encoding: fc.constantFrom("raw" as const, "one-hot" as const),
    head: fc.constantFrom("log" as const, "mse" as const, "classification" as const),
    inputMin: fc.integer({ min: -3, max: 2 }),
    inputSize: fc.integer({ min: 1, max: 4 }),
    outputMin: fc.integer({ min: -2, max: 2 }),
    outputSize: fc.integer({ min: 1, max: 4 }),
  })
  .map((r) => {
    const inputRange = { min: r.inputMin, max: r.inputMin + r.inputSize - 1 };
    const outputRange = { min: r.outputMin, max: r.outputMin + r.outputSize - 1 };
    return { config: makeConfig({ ...r, inputRange, outputRange }), inputRange, outputRange };
  });
