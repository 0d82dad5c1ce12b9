/**
 * A built-in benchmark task as a pipeline `Task`: a generated train/test dataset plus a sampler
 * for fresh held-out data of any length.
 */
import { Random } from "../common/random.js";
import { componentRanges } from "../task/ranges.js";
import type { Dataset, Task } from "../task/types.js";
import { inSupport, sampleExamples } from "./sample.js";
import { findBenchmarkTask } from "./tasks.js";

export interface BuiltinTaskOptions {
  /** Seed for the whole dataset; train and test get independent seeds derived from it. Default 0. */
  readonly seed?: number | undefined;
  /** Default 10,000. */
  readonly trainSize?: number | undefined;
  /** Default 10,000. */
  readonly testSize?: number | undefined;
  /** Sequence length of train and test (and the sampler's default); defaults to the task's seqLen. */
  readonly length?: number | undefined;
}

/**
 * The built-in task `name` (exact name), or undefined if there is none: the caller owns the error
 * message (see suggestBenchmarkTaskNames). Throws a RangeError for sizes < 1, which callers validate.
 */
export function builtinTask(name: string, options: BuiltinTaskOptions = {}): Task | undefined {
  const spec = findBenchmarkTask(name);
  if (spec === undefined) return undefined;
  const seed = options.seed ?? 0;
  const trainSize = options.trainSize ?? 10_000;
  const testSize = options.testSize ?? 10_000;
  const length = options.length ?? spec.seqLen;
  // A Dataset promises non-empty train and test.
  if (trainSize < 1 || testSize < 1) {
    throw new RangeError(`builtinTask: trainSize and testSize must be >= 1, got ${trainSize} and ${testSize}`);
  }

  const makeDataset = (): Dataset => {
    const train = sampleExamples(spec, { n: trainSize, seed: deriveSeed(seed, "train"), length });
    const test = sampleExamples(spec, { n: testSize, seed: deriveSeed(seed, "test"), length });
    return {
      kind: "dataset",
      version: 1,
      name: spec.name,
      inputDim: spec.inputDim,
      outputDim: spec.outputDim,
      inputRanges: Array.from({ length: spec.inputDim }, () => ({ min: spec.input.min, max: spec.input.max })),
      outputRanges: componentRanges(train, "y", spec.outputDim),
      train,
      test,
    };
  };
  let dataset: Dataset | undefined;
  return {
    name: spec.name,
    inputDim: spec.inputDim,
    outputDim: spec.outputDim,
    source: { kind: "builtin", builtin: spec.name },
    // Drawn on first use: listing or sampling a task should not pay for 20,000 sequences.
    get dataset(): Dataset {
      dataset ??= makeDataset();
      return dataset;
    },
    // Held-out data defaults to the dataset's own length; verification passes longer lengths explicitly.
    sample: (n, sampleSeed, sampleLength) =>
      sampleExamples(spec, { n, seed: sampleSeed, length: sampleLength ?? length }),
    reference: spec.reference,
    inSupport: (x) => inSupport(spec, x),
  };
}

/** A fresh 32-bit seed for one purpose ("train", "test"), so the two splits never share a stream. */
function deriveSeed(seed: number, label: string): number {
  return Random.derive(seed, label).nextUint32();
}
