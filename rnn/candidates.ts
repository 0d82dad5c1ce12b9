/**
 * The architecture search space, smallest first: hidden size, then MLP shape (parameter count).
 * Encoding and head follow the data: one-hot inputs and classification outputs where the alphabet
 * is small (DESIGN.md: encoding decides trainability), raw inputs and regression where it is not.
 */
import type { Dataset, IntRange } from "../task/types.js";
import { parameterCount } from "./params.js";
import type { InputEncoding, OutputHead, RnnConfig } from "./types.js";

/** One training attempt: a config, a seed and a step budget. */
export interface Candidate {
  readonly config: RnnConfig;
  readonly seed: number;
  readonly family: FamilyName;
  readonly maxSteps: number;
  readonly learningRate: number;
  /** Scale of the initial weights (1: PyTorch's default draw). */
  readonly initScale: number;
  /** Give up when the loss improved less than 5% over this many steps (see trainRnn's plateau)… */
  readonly plateauWindowSteps: number;
  /** …but not before this step. */
  readonly plateauAfterSteps: number;
}

export type FamilyName = "linear" | "linear-mlp-readout" | "linear-one-hot" | "mlp" | "mlp-raw" | "mlp-wide";

export interface SearchSpace {
  readonly hiddenSizes: readonly number[];
  readonly seedsPerShape: number;
  /** Width of the hidden layers of depth-2 MLPs. */
  readonly mlpWidth: number;
  /**
   * Budget of the fully affine family: the cheapest steps of all, but shift registers and sums of a
   * window sit on a flat, noisy loss until the learning rate decays, so they get more seeds and no
   * early give-up.
   */
  readonly affineBudget: StepBudget;
  /** Budget of the other families with an affine transition: they converge or stall fast. */
  readonly linearBudget: StepBudget;
  /** MLP transitions learn more slowly (long flat stretches before a finite-state task clicks). */
  readonly mlpBudget: StepBudget;
  /**
   * The wide family, tried at hidden size 1 over small input alphabets only: a one-number state that cycles (Add_Mod_3's
   * 0 → 1 → 2 → 0) needs a transition with many bends, and small initial weights, so that the
   * states start near one point and split apart in a consistent order instead of settling as
   * several copies of one remainder. Measured on Add_Mod_3 at hidden 1: width 64 with weights ×0.3
   * was perfect for 10 of 20 seeds (so four seeds find one 94% of the time); width 64 alone 1 of 8,
   * ×0.3 at width 16 0 of 8.
   */
  readonly wide: { readonly width: number; readonly initScale: number; readonly budget: StepBudget };
}

/**
 * At most `maxSteps` steps; give up when the loss improved less than 5% over `plateauWindowSteps`,
 * checked from `plateauAfterSteps` on (default: at once); `seeds` attempts per shape (default: the
 * space's `seedsPerShape`).
 */
export interface StepBudget {
  readonly maxSteps: number;
  readonly plateauWindowSteps: number;
  readonly plateauAfterSteps?: number;
  readonly seeds?: number;
}

export const defaultSearchSpace: SearchSpace = {
  hiddenSizes: [1, 2, 3, 4, 5, 6, 7, 8, 12, 16],
  seedsPerShape: 2,
  mlpWidth: 16,
  affineBudget: { maxSteps: 8000, plateauWindowSteps: 1500, plateauAfterSteps: 6500, seeds: 3 },
  linearBudget: { maxSteps: 8000, plateauWindowSteps: 1500 },
  mlpBudget: { maxSteps: 10000, plateauWindowSteps: 1000 },
  wide: { width: 64, initScale: 0.3, budget: { maxSteps: 10000, plateauWindowSteps: 1000, seeds: 4 } },
};

/** Alphabets at most this large are one-hot encoded / classified. */
export const SMALL_ALPHABET = 20;

const size = (r: IntRange): number => r.max - r.min + 1;

/** The candidates for a dataset, in the order the search tries them (smallest network first). */
export function searchCandidates(dataset: Dataset, space: SearchSpace, baseSeed: number): Candidate[] {
  const smallInput = dataset.inputRanges.every((r) => size(r) <= SMALL_ALPHABET);
  const smallOutput = dataset.outputRanges.every((r) => size(r) <= SMALL_ALPHABET);
  const raw: InputEncoding = { kind: "raw" };
  const oneHot: InputEncoding = { kind: "one-hot", ranges: dataset.inputRanges };
  const regression: OutputHead = { kind: "regression", loss: "log" };
  const classification: OutputHead = { kind: "classification", ranges: dataset.outputRanges };
  const w = space.mlpWidth;

  const candidates: Candidate[] = [];
  for (const hiddenSize of space.hiddenSizes) {
    const base = { inputDim: dataset.inputDim, outputDim: dataset.outputDim, hiddenSize };
    const shapes: Array<{ family: FamilyName; config: RnnConfig; initScale?: number; budget?: StepBudget }> = [
      { family: "linear", config: { ...base, transition: { depth: 1, width: 0 }, readout: { depth: 1, width: 0 }, encoding: raw, head: regression } },
      { family: "linear-mlp-readout", config: { ...base, transition: { depth: 1, width: 0 }, readout: { depth: 2, width: w }, encoding: raw, head: regression } },
      {
        family: "mlp",
        config: {
          ...base,
          transition: { depth: 2, width: w },
          readout: { depth: 2, width: w },
          encoding: smallInput ? oneHot : raw,
          head: smallOutput ? classification : regression,
        },
      },
    ];
    if (smallInput) {
      // Counters and detectors over small alphabets: a linear transition of one-hot inputs.
      shapes.push({
        family: "linear-one-hot",
        config: { ...base, transition: { depth: 1, width: 0 }, readout: { depth: 2, width: w }, encoding: oneHot, head: smallOutput ? classification : regression },
      });
      // Finite-state tasks over small alphabets may still want raw inputs (counters, comparisons).
      shapes.push({
        family: "mlp-raw",
        config: { ...base, transition: { depth: 2, width: w }, readout: { depth: 2, width: w }, encoding: raw, head: smallOutput ? classification : regression },
      });
    }
    if (hiddenSize === 1 && smallInput) {
      shapes.push({
        family: "mlp-wide",
        config: {
          ...base,
          transition: { depth: 2, width: space.wide.width },
          readout: { depth: 2, width: w },
          encoding: oneHot,
          head: smallOutput ? classification : regression,
        },
        initScale: space.wide.initScale,
        budget: space.wide.budget,
      });
    }
    shapes.sort((a, b) => parameterCount(a.config) - parameterCount(b.config));
    for (const { family, config, initScale, budget: own } of shapes) {
      const budget = own ?? (family === "linear" ? space.affineBudget : config.transition.depth > 1 ? space.mlpBudget : space.linearBudget);
      for (let s = 0; s < (budget.seeds ?? space.seedsPerShape); s++) {
        candidates.push({
          config,
          family,
          seed: baseSeed * 1000 + candidates.length,
          maxSteps: budget.maxSteps,
          learningRate: 1e-2,
          initScale: initScale ?? 1,
          plateauWindowSteps: budget.plateauWindowSteps,
          plateauAfterSteps: budget.plateauAfterSteps ?? 0,
        });
      }
    }
  }
  return candidates;
}
