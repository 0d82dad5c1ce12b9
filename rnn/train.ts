/**
 * Training one network: AdamW on minibatches, stopping as soon as it is 100% right on held-out data.
 *
 * Learning-rate schedule: linear warm-up over the first `warmupSteps` (default min(100, 5% of
 * maxSteps)), then cosine decay from `learningRate` to `learningRate · finalLearningRateFraction`
 * (default 0.05) at maxSteps. The warm-up keeps Adam's first, badly-scaled steps from throwing small
 * networks into dead-ReLU states; the decay matters for regression heads, whose predictions are
 * round(ŷ): exact accuracy needs |ŷ − y| < ½ everywhere, and shrinking steps stop the jitter that
 * a constant rate leaves on the last few positions. Training usually stops (perfect) long before the
 * rate is small.
 *
 * Early stopping: every `evalEvery` steps the network is scored on a slice of the held-out set
 * (its first `checkSliceSize` sequences); only when the slice is perfect is the whole set scored.
 * Deterministic for a given seed unless the wall-clock limit fires.
 */
import { Random } from "../common/random.js";
import type { Example } from "../task/types.js";
import { createAccuracyMeter, type Accuracy, type AccuracyMeter } from "./accuracy.js";
import { AdamW, clipGradientNorm } from "./adamw.js";
import { createBatchSampler } from "./batch.js";
import { initParams, rnnFromParams } from "./init.js";
import { createTypeScriptKernel } from "./kernel-ts.js";
import { paramLayout } from "./params.js";
import type { Kernel, Rnn, RnnConfig, TrainingRecord } from "./types.js";

/** Builds a kernel for one config (createTypeScriptKernel, or another engine's). */
export type KernelFactory = (config: RnnConfig) => Kernel;

export interface TrainingData {
  readonly train: readonly Example[];
  readonly test: readonly Example[];
}

export interface TrainOptions {
  readonly seed: number;
  readonly maxSteps: number;
  /** Default: createTypeScriptKernel. */
  readonly kernel?: KernelFactory;
  /** Default 256. */
  readonly batchSize?: number;
  /** Peak learning rate. Default 1e-2. */
  readonly learningRate?: number;
  /** AdamW decoupled weight decay. Default 0. */
  readonly weightDecay?: number;
  /** Steps between held-out checks. Default 50. */
  readonly evalEvery?: number;
  /** Safety net: stop after this much wall-clock time (the run is then not reproducible). */
  readonly timeLimitMs?: number;
  /** Held-out sequences that decide "perfect" (use >= 10,000). Default: data.test. */
  readonly heldOut?: readonly Example[];
  /** Sequences in the cheap check before a full held-out check. Default 1,000. */
  readonly checkSliceSize?: number;
  /** Clip the gradient to this global L2 norm. Default: no clipping. */
  readonly gradientClipNorm?: number;
  /** Default min(100, 5% of maxSteps). */
  readonly warmupSteps?: number;
  /** Learning rate at maxSteps as a fraction of the peak. Default 0.05. */
  readonly finalLearningRateFraction?: number;
  /** Start from these parameters instead of a fresh initialisation (copied, not modified). */
  readonly initialParams?: Float64Array;
  /** Multiply the fresh initialisation by this (default 1; ignored with initialParams). */
  readonly initScale?: number;
  /**
   * Parameters held fixed (1 = frozen), in the flat layout: their gradient is zeroed before each
   * optimizer step, and their value is restored after it (decoupled weight decay would move it).
   */
  readonly frozen?: Uint8Array;
  /**
   * Give up early when the training loss stalls: stop ("plateau") once the best mean loss of the
   * last `windowSteps` is not `minImprovement` (a fraction) below the best before it. A search
   * tries many shapes that cannot fit; this lets them fail in a fraction of the step budget.
   * Never before `afterSteps` (default 2 windows): some fits sit on a noisy, flat loss for most of
   * their budget and converge only once the learning rate has decayed (Sum_Last7 at hidden 7).
   * Deterministic (it reads losses, not clocks). Default: never.
   */
  readonly plateau?: { readonly windowSteps: number; readonly minImprovement: number; readonly afterSteps?: number };
  /** Called after each held-out check with the step count, the mean training loss since the previous check and the accuracy measured (slice or full). */
  readonly onProgress?: (step: number, loss: number, accuracy: number) => void;
}

/** The learning rate for step `step` (0-based) of `maxSteps`: linear warm-up, then cosine decay. */
export function learningRateAt(step: number, maxSteps: number, peak: number, warmupSteps: number, finalFraction: number): number {
  const warm = warmupSteps > 0 ? Math.min(1, (step + 1) / warmupSteps) : 1;
  const progress = maxSteps > 1 ? Math.min(1, step / (maxSteps - 1)) : 1;
  const cosine = finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * progress));
  return peak * warm * cosine;
}

/** Train a network on data.train until it is perfect on the held-out set or a limit is reached. */
export function trainRnn(config: RnnConfig, data: TrainingData, opts: TrainOptions): Rnn {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 256;
  const peak = opts.learningRate ?? 1e-2;
  const weightDecay = opts.weightDecay ?? 0;
  const evalEvery = Math.max(1, opts.evalEvery ?? 50);
  const maxSteps = Math.max(0, Math.floor(opts.maxSteps));
  const warmupSteps = opts.warmupSteps ?? Math.min(100, Math.floor(maxSteps * 0.05));
  const finalFraction = opts.finalLearningRateFraction ?? 0.05;
  const heldOut = opts.heldOut ?? data.test;
  const sliceSize = opts.checkSliceSize ?? 1000;

  const kernel = (opts.kernel ?? createTypeScriptKernel)(config);
  const size = paramLayout(config).size;
  const params = opts.initialParams ? Float64Array.from(opts.initialParams) : initParams(config, Random.derive(opts.seed, "rnn/init"));
  if (!opts.initialParams && opts.initScale !== undefined && opts.initScale !== 1) for (let i = 0; i < params.length; i++) params[i] = params[i]! * opts.initScale;
  if (params.length !== size) throw new Error(`initialParams has ${params.length} entries, the config needs ${size}`);
  const frozen = opts.frozen;
  if (frozen !== undefined && frozen.length !== size) throw new Error(`frozen has ${frozen.length} entries, the config needs ${size}`);
  const frozenValues = frozen === undefined ? null : Float64Array.from(params);
  const grad = new Float64Array(size);
  const optimizer = new AdamW(size, { weightDecay });
  const sample = createBatchSampler(config, data.train);
  const rng = Random.derive(opts.seed, "rnn/batches");
  const fullMeter = createAccuracyMeter(config, kernel, heldOut);
  const sliceMeter: AccuracyMeter = heldOut.length > sliceSize ? createAccuracyMeter(config, kernel, heldOut.slice(0, sliceSize)) : fullMeter;

  let step = 0;
  // Mean training loss since the last check, and over the interval before it.
  let lossSum = 0;
  let lossCount = 0;
  let previousMeanLoss = Number.NaN;
  let full: Accuracy | null = null;
  let stopReason: TrainingRecord["stopReason"] = "step_limit";
  const lossHistory: Array<{ step: number; loss: number }> = [];

  /** The cheap check, then the full one if the slice is perfect; `full` is set when the whole set was scored. */
  const check = (): { measured: Accuracy; full: Accuracy | null } => {
    const slice = sliceMeter(params);
    if (sliceMeter === fullMeter) return { measured: slice, full: slice };
    if (!isPerfect(slice)) return { measured: slice, full: null };
    const whole = fullMeter(params);
    return { measured: whole, full: whole };
  };

  while (step < maxSteps) {
    const batch = sample(rng, batchSize);
    const loss = kernel.lossAndGradient(params, batch, grad);
    if (!Number.isFinite(loss) || !allFinite(grad)) {
      stopReason = "diverged";
      break;
    }
    if (frozen !== undefined) for (let i = 0; i < size; i++) if (frozen[i] === 1) grad[i] = 0;
    if (opts.gradientClipNorm !== undefined) clipGradientNorm(grad, opts.gradientClipNorm);
    optimizer.step(params, grad, learningRateAt(step, maxSteps, peak, warmupSteps, finalFraction));
    if (frozen !== undefined) for (let i = 0; i < size; i++) if (frozen[i] === 1) params[i] = frozenValues![i]!;
    step++;
    full = null;
    lossSum += loss;
    lossCount++;
    if (step % evalEvery === 0 || step === maxSteps) {
      const result = check();
      full = result.full;
      previousMeanLoss = lossSum / lossCount;
      opts.onProgress?.(step, previousMeanLoss, result.measured.accuracy);
      lossSum = 0;
      lossCount = 0;
      if (full !== null && isPerfect(full)) {
        stopReason = "perfect";
        break;
      }
      lossHistory.push({ step, loss: previousMeanLoss });
      if (opts.plateau && step >= (opts.plateau.afterSteps ?? 0) && hasPlateaued(lossHistory, opts.plateau.windowSteps, opts.plateau.minImprovement)) {
        stopReason = "plateau";
        break;
      }
    }
    if (opts.timeLimitMs !== undefined && performance.now() - started > opts.timeLimitMs) {
      stopReason = "time_limit";
      break;
    }
  }

  const final: Accuracy = full ?? fullMeter(params);
  const perfect = isPerfect(final);
  if (perfect && stopReason === "step_limit") stopReason = "perfect";
  const training: TrainingRecord = {
    seed: opts.seed,
    kernel: kernel.name,
    steps: step,
    seconds: (performance.now() - started) / 1000,
    batchSize,
    learningRate: peak,
    weightDecay,
    // Mean training loss over the last check interval (NaN if no step was taken).
    finalLoss: lossCount > 0 ? lossSum / lossCount : previousMeanLoss,
    heldOutAccuracy: final.accuracy,
    heldOutSequences: final.sequences,
    perfect,
    stopReason,
  };
  return rnnFromParams(config, params, training);
}

/** True when the best loss in the last `window` steps is not `minImprovement` below the best before. */
export function hasPlateaued(history: ReadonlyArray<{ step: number; loss: number }>, window: number, minImprovement: number): boolean {
  const last = history[history.length - 1];
  if (last === undefined || last.step < 2 * window) return false;
  let before = Infinity;
  let recent = Infinity;
  for (const { step, loss } of history) {
    if (step <= last.step - window) before = Math.min(before, loss);
    else recent = Math.min(recent, loss);
  }
  return recent > before * (1 - minImprovement);
}

function isPerfect(acc: Accuracy): boolean {
  return acc.sequences > 0 && acc.correctPositions === acc.positions;
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}
