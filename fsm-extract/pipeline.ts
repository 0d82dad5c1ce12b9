/**
 * The whole extraction stage for one trained network: normalize it (function-preserving, gated on
 * held-out accuracy), extract a machine from the normalized network, and fall back to the network
 * as trained when the normalized one gives no exact machine.
 */
import { normalize, type NormalizerStep } from "../rnn/normalize.js";
import type { Rnn } from "../rnn/types.js";
import type { Dataset } from "../task/types.js";
import { extractMachine, type ExtractionAttempt, type ExtractionFailure } from "./extract.js";
import type { Machine, MachineCheck } from "./types.js";

export interface ModelExtraction {
  readonly hiddenSize: { readonly before: number; readonly after: number };
  readonly normalization: readonly NormalizerStep[];
  /** The network the machine was read from (the normalized one, or the trained one as a fallback). */
  readonly network: "normalized" | "trained";
  readonly model: Rnn;
  readonly machine: Machine | null;
  readonly check: MachineCheck | null;
  readonly failure: Pick<ExtractionFailure, "reason" | "detail"> | null;
  readonly attempts: readonly (ExtractionAttempt & { readonly network: "normalized" | "trained" })[];
  readonly seconds: number;
}

export function extractModel(rnn: Rnn, dataset: Pick<Dataset, "train" | "test">, options: { readonly seed: number; readonly deadline?: number }): ModelExtraction {
  const started = performance.now();
  // Retraining (when snapping needs it) fits the training data; the gate checks held-out data.
  const normalized = normalize(rnn, dataset.test, { seed: options.seed, train: dataset.train });
  const attempts: Array<ModelExtraction["attempts"][number]> = [];
  const data = { train: dataset.train, heldOut: dataset.test };
  const candidates: Array<["normalized" | "trained", Rnn]> = [["normalized", normalized.rnn]];
  if (normalized.steps.some((s) => s.kept)) candidates.push(["trained", rnn]);
  let failure: ModelExtraction["failure"] = null;
  let found: { network: "normalized" | "trained"; model: Rnn; machine: Machine; check: MachineCheck } | null = null;
  for (const [network, model] of candidates) {
    // A lattice from the normalized network is the prize (integer structure); a finite machine may
    // come out smaller from the trained one, whose states can drift less after no retraining.
    if (found && (found.machine.path === "lattice" || found.machine.states.length <= SMALL_MACHINE)) break;
    const result = extractMachine(model, data, { seed: options.seed, ...(options.deadline !== undefined ? { deadline: options.deadline } : {}) });
    const tried = result.ok ? result.value.attempts : result.failure.attempts;
    attempts.push(...tried.map((a) => ({ ...a, network })));
    if (result.ok) {
      const better = !found || (result.value.machine.path === "finite" && result.value.machine.states.length < found.machine.states.length);
      if (better) found = { network, model, machine: result.value.machine, check: result.value.check };
    } else {
      failure ??= { reason: result.failure.reason, detail: result.failure.detail };
    }
  }
  if (found) return summary(rnn, normalized.rnn, normalized.steps, found.network, found.model, found.machine, found.check, null, attempts, started);
  return summary(rnn, normalized.rnn, normalized.steps, "normalized", normalized.rnn, null, null, failure, attempts, started);
}

/** Finite machines this small are not worth a second extraction from the trained network. */
const SMALL_MACHINE = 16;

function summary(
  trained: Rnn,
  normalizedRnn: Rnn,
  steps: readonly NormalizerStep[],
  network: ModelExtraction["network"],
  model: Rnn,
  machine: Machine | null,
  check: MachineCheck | null,
  failure: ModelExtraction["failure"],
  attempts: ModelExtraction["attempts"],
  started: number,
): ModelExtraction {
  return {
    hiddenSize: { before: trained.config.hiddenSize, after: normalizedRnn.config.hiddenSize },
    normalization: steps,
    network,
    model,
    machine,
    check,
    failure,
    attempts,
    seconds: (performance.now() - started) / 1000,
  };
}
