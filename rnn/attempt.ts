/** One search attempt: train one candidate and summarise it. Runs in a worker thread or in-process. */
import type { Example } from "../task/types.js";
import type { Candidate } from "./candidates.js";
import { createKernel, type KernelChoice } from "./kernels.js";
import { trainRnn } from "./train.js";
import type { Rnn } from "./types.js";

export interface AttemptData {
  readonly train: readonly Example[];
  readonly heldOut: readonly Example[];
}

export interface AttemptOptions {
  readonly kernel: KernelChoice;
  readonly batchSize: number;
}

export function runAttempt(candidate: Candidate, data: AttemptData, options: AttemptOptions): Rnn {
  return trainRnn(candidate.config, { train: data.train, test: data.heldOut }, {
    seed: candidate.seed,
    kernel: (config) => createKernel(options.kernel, config, options.batchSize),
    maxSteps: candidate.maxSteps,
    batchSize: options.batchSize,
    learningRate: candidate.learningRate,
    heldOut: data.heldOut,
    plateau: { windowSteps: candidate.plateauWindowSteps, minImprovement: 0.05 },
  });
}
