/** One search attempt: train one candidate and summarise it. Runs in a worker thread or in-process. */
import type { Candidate } from "./candidates.js";
import { createKernel, type KernelChoice } from "./kernels.js";
import { trainRnn, type TrainingData } from "./train.js";
import type { Rnn } from "./types.js";

export interface AttemptOptions {
  readonly kernel: KernelChoice;
  readonly batchSize: number;
}

/** Train `candidate` on data.train; data.test is the held-out set that decides "perfect". */
export function runAttempt(candidate: Candidate, data: TrainingData, options: AttemptOptions): Rnn {
  return trainRnn(candidate.config, data, {
    seed: candidate.seed,
    kernel: (config) => createKernel(options.kernel, config, options.batchSize),
    maxSteps: candidate.maxSteps,
    batchSize: options.batchSize,
    learningRate: candidate.learningRate,
    initScale: candidate.initScale,
    plateau: { windowSteps: candidate.plateauWindowSteps, minImprovement: 0.05, afterSteps: candidate.plateauAfterSteps },
  });
}
