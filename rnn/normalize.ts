/**
 * Function-preserving normalizers, gated on held-out accuracy: a trained network in, a simpler
 * network that computes the same predictions out (the "normalizers" of MIPS, Michaud et al. 2024).
 *
 * Steps, in order (each a transform Rnn → Rnn, rnn/normalize-*.ts):
 *   prune-dead-units       MLP units never active and hidden components always 0 (exact on the data)
 *   prune-constant-units   hidden components constant but not 0 (folded into biases; differs at t = 0)
 *   prune-duplicate-units  hidden components that are multiples of another; proportional MLP units
 *   prune-unread-units     hidden components that cannot reach the output (exact zeros in the weights)
 *   whiten                 hidden coordinates with identity covariance on the data
 *   jordan                 real Jordan form of W (linear transitions)
 *   toeplitz               Krylov basis [u, Wu, W²u, …] (linear transition, one raw input): shift registers
 *   debias                 drop the transition bias into the readout bias (linear transitions)
 *   snap-integers          weights near an integer set to it (rnn/normalize-snap.ts says how near)
 *   retrain-snapped        a short retraining with the snapped weights frozen, then snap again
 * and, when snapping changed the network, prune-dead-units and prune-unread-units once more; then
 *   prune-weak-reads       hidden components only the readout reads, dropped while the gate allows
 *
 * The gate: a step is kept only if held-out accuracy stays 100% (when the network was not perfect
 * to begin with: only if accuracy does not drop). Every step is recorded, kept or not, with why.
 * The result is a valid Rnn of the same config shape (hiddenSize and MLP widths may shrink); its
 * training record is the input's.
 */
import type { Result } from "../common/result.js";
import { formatTextTable } from "../common/text-table.js";
import type { Example } from "../task/types.js";
import { measureAccuracy, type Accuracy } from "./accuracy.js";
import { debiasCandidates, jordan, toeplitz, whiten } from "./normalize-basis.js";
import {
  pruneConstantUnits,
  pruneDeadUnits,
  pruneDuplicateUnits,
  pruneUnreadUnits,
  stateStatistics,
  weakReadCandidates,
  type StateStatistics,
} from "./normalize-prune.js";
import { countEntries, layerSlots, nearIntegers, retrainFrozen, roundEntries, snapIntegers } from "./normalize-snap.js";
import type { Rnn } from "./types.js";

export type NormalizerName =
  | "prune-dead-units"
  | "prune-constant-units"
  | "prune-duplicate-units"
  | "prune-unread-units"
  | "whiten"
  | "jordan"
  | "toeplitz"
  | "debias"
  | "snap-integers"
  | "retrain-snapped"
  | "prune-weak-reads";

export interface NormalizerStep {
  readonly name: NormalizerName;
  /** False when the gate rejected the step or it did not apply. */
  readonly kept: boolean;
  /** What the step did, or why it did not apply / was rejected. */
  readonly reason?: string;
  readonly hiddenSizeBefore: number;
  readonly hiddenSizeAfter: number;
  /** Exact-zero weights and biases. */
  readonly zerosBefore: number;
  readonly zerosAfter: number;
  /** Nonzero weights and biases that are exact integers. */
  readonly integersBefore: number;
  readonly integersAfter: number;
  /** Held-out accuracy after the step (before the gate's decision). */
  readonly accuracy: number;
}

export interface NormalizeResult {
  readonly rnn: Rnn;
  readonly steps: readonly NormalizerStep[];
}

export interface NormalizeOptions {
  readonly seed: number;
  /** Optimizer steps of each retraining with snapped weights frozen. Default 300. */
  readonly retrainSteps?: number;
  /** Retraining rounds (retrain, then snap again). Default 2; 0 turns retraining off. */
  readonly retrainRounds?: number;
  /** Peak learning rate of the retraining. Default 3e-3. */
  readonly retrainLearningRate?: number;
  /**
   * Sequences to retrain on. Default: the held-out sequences themselves, which weakens the gate for
   * the retraining step (it is then checked on data it was fitted to); pass training data if you have it.
   */
  readonly train?: readonly Example[];
  /** Snap tolerance as a fraction of each layer's scale (rnn/normalize-snap.ts). Default 0.02. */
  readonly snapThreshold?: number;
  /** Run only these normalizers (in the usual order). Default: all. */
  readonly only?: readonly NormalizerName[];
}

/** Smaller thresholds tried when snapping everything at the full threshold fails the gate. */
const SMALLER_THRESHOLDS = [0.5, 0.25];

/** Normalize `rnn`, gating every step on `heldOut` (use >= 10,000 sequences; with none, nothing is done). */
export function normalize(rnn: Rnn, heldOut: readonly Example[], options: NormalizeOptions): NormalizeResult {
  if (heldOut.length === 0) return { rnn, steps: [] };
  const run = new GatedRun(rnn, heldOut, options.only);
  const statsOf = memoStatistics(heldOut);

  run.attempt("prune-dead-units", (cur) => pruneDeadUnits(cur, statsOf(cur)));
  run.attempt("prune-constant-units", (cur) => pruneConstantUnits(cur, statsOf(cur)));
  run.attempt("prune-duplicate-units", (cur) => pruneDuplicateUnits(cur, statsOf(cur)));
  run.attempt("prune-unread-units", (cur) => pruneUnreadUnits(cur));

  run.attempt("whiten", (cur) => described(whiten(cur, statsOf(cur)), "identity covariance on the data"));
  run.attempt("jordan", (cur) => described(jordan(cur), "W in real Jordan form"));
  run.attempt("toeplitz", (cur) => described(toeplitz(cur), "W a companion matrix, input into the first coordinate"));
  debias(run, statsOf);

  const beforeSnap = run.current;
  snap(run, heldOut, options);
  if (run.current !== beforeSnap) {
    // Snapping makes exact zeros: units may now be dead or unread.
    run.attempt("prune-dead-units", (cur) => pruneDeadUnits(cur, statsOf(cur)));
    run.attempt("prune-unread-units", (cur) => pruneUnreadUnits(cur));
  }
  pruneWeakReads(run, statsOf);
  return { rnn: run.current, steps: run.steps };
}

/** The steps as a plain-text table, one row per step. */
export function formatNormalizeSteps(steps: readonly NormalizerStep[]): string {
  return formatTextTable(
    ["step", "kept", "hidden", "zeros", "integers", "accuracy", "note"],
    steps.map((s) => [
      s.name,
      s.kept ? "yes" : "no",
      `${s.hiddenSizeBefore} → ${s.hiddenSizeAfter}`,
      `${s.zerosBefore} → ${s.zerosAfter}`,
      `${s.integersBefore} → ${s.integersAfter}`,
      `${(100 * s.accuracy).toFixed(2)}%`,
      s.reason ?? "",
    ]),
  ).join("\n");
}

// ---------------------------------------------------------------------------------------------

type Attempt = Result<{ readonly rnn: Rnn; readonly what: string }, string>;

function described(result: Result<Rnn, string>, what: string): Attempt {
  return result.ok ? { ok: true, value: { rnn: result.value, what } } : result;
}

/** The network being normalized, the steps so far, and the gate. */
class GatedRun {
  current: Rnn;
  readonly steps: NormalizerStep[] = [];
  private accuracy: Accuracy;

  constructor(
    rnn: Rnn,
    private readonly heldOut: readonly Example[],
    private readonly only: readonly NormalizerName[] | undefined,
  ) {
    this.current = rnn;
    this.accuracy = measureAccuracy(rnn, heldOut);
  }

  enabled(name: NormalizerName): boolean {
    return this.only === undefined || this.only.includes(name);
  }

  /** Run a transform on the current network; gate and record it. True when kept. */
  attempt(name: NormalizerName, transform: (rnn: Rnn) => Attempt): boolean {
    if (!this.enabled(name)) return false;
    const result = transform(this.current);
    if (!result.ok) {
      this.record(name, false, result.failure, this.current, this.accuracy.accuracy);
      return false;
    }
    return this.offer(name, result.value.rnn, result.value.what);
  }

  /** The gate: held-out accuracy (correct positions) does not drop below the current network's. */
  passes(candidate: Rnn): { readonly kept: boolean; readonly accuracy: Accuracy } {
    const acc = measureAccuracy(candidate, this.heldOut);
    return { kept: acc.correctPositions >= this.accuracy.correctPositions && acc.positions === this.accuracy.positions, accuracy: acc };
  }

  /** Gate a candidate network and record it; it becomes the current network when kept. */
  offer(name: NormalizerName, candidate: Rnn, what: string): boolean {
    const { kept, accuracy: acc } = this.passes(candidate);
    const reason = kept ? what : `${what}; rejected: held-out accuracy ${percent(acc.accuracy)} < ${percent(this.accuracy.accuracy)}`;
    this.record(name, kept, reason, candidate, acc.accuracy);
    if (kept) {
      this.current = candidate;
      this.accuracy = acc;
    }
    return kept;
  }

  skip(name: NormalizerName, reason: string): void {
    this.record(name, false, reason, this.current, this.accuracy.accuracy);
  }

  private record(name: NormalizerName, kept: boolean, reason: string, after: Rnn, accuracy: number): void {
    const before = countEntries(this.current);
    const counted = countEntries(after);
    this.steps.push({
      name,
      kept,
      reason,
      hiddenSizeBefore: this.current.config.hiddenSize,
      hiddenSizeAfter: after.config.hiddenSize,
      zerosBefore: before.zeros,
      zerosAfter: counted.zeros,
      integersBefore: before.integers,
      integersAfter: counted.integers,
      accuracy,
    });
  }
}

function percent(x: number): string {
  return `${(100 * x).toFixed(3)}%`;
}

/** State statistics per network, computed once. */
function memoStatistics(heldOut: readonly Example[]): (rnn: Rnn) => StateStatistics {
  const cache = new WeakMap<Rnn, StateStatistics>();
  return (rnn) => {
    let stats = cache.get(rnn);
    if (stats === undefined) {
      stats = stateStatistics(rnn, heldOut);
      cache.set(rnn, stats);
    }
    return stats;
  };
}

/** Try each debias candidate until one passes the gate. */
function debias(run: GatedRun, statsOf: (rnn: Rnn) => StateStatistics): void {
  if (!run.enabled("debias")) return;
  const candidates = debiasCandidates(run.current, statsOf(run.current).positionsPerStep);
  if (!candidates.ok) return run.skip("debias", candidates.failure);
  for (const { variant, rnn } of candidates.value) {
    if (run.offer("debias", rnn, `transition bias → readout bias (${variant})`)) return;
  }
}

/**
 * Snap everything at the threshold; if the gate says no, smaller thresholds, then one layer at a
 * time; then retraining rounds: snap everything, freeze the integers, retrain the rest, snap again.
 */
function snap(run: GatedRun, heldOut: readonly Example[], options: NormalizeOptions): void {
  if (!run.enabled("snap-integers")) return;
  const threshold = options.snapThreshold ?? 0.02;
  const trySnap = (t: number, layers?: Parameters<typeof snapIntegers>[2]): boolean | null => {
    const snapped = snapIntegers(run.current, t, layers);
    if (snapped.moved === 0) return null;
    const where = layers === undefined ? "all layers" : layers.join(", ");
    return run.offer("snap-integers", snapped.rnn, `${snapped.moved} entries within ${t} × layer scale of an integer (${where})`);
  };

  const full = trySnap(threshold);
  if (full === null) run.skip("snap-integers", `no entry within ${threshold} × layer scale of an integer that is not one already`);
  if (full === false) {
    const smaller = SMALLER_THRESHOLDS.some((fraction) => trySnap(threshold * fraction) === true);
    if (!smaller) for (const { name } of layerSlots(run.current)) trySnap(threshold, [name]);
    retrainRounds(run, heldOut, options, threshold, trySnap);
  }
  snapOneAtATime(run);
}

/** Up to this many leftover entries are tried one at a time, nearest to an integer first. */
const SINGLE_TRIES = 24;
/** How far (× layer scale) a leftover entry may be from an integer to be tried alone. */
const SINGLE_MAX_FRACTION = 0.5;

/**
 * Leftover entries rounded one at a time, each kept if the gate allows: catches entries that only
 * matter a little (a regression head's bias of 0.07 before round(ŷ)) or that fail only together
 * with others. One step is recorded for the lot.
 */
function snapOneAtATime(run: GatedRun): void {
  const candidates = nearIntegers(run.current, SINGLE_MAX_FRACTION).slice(0, SINGLE_TRIES);
  if (candidates.length === 0) return;
  let current = run.current;
  const rounded: string[] = [];
  for (const c of candidates) {
    const next = roundEntries(current, [c.index]);
    if (run.passes(next).kept) {
      current = next;
      rounded.push(`${c.layer} ${c.value.toPrecision(3)}`);
    }
  }
  if (rounded.length === 0) {
    run.skip("snap-integers", `one at a time: none of ${candidates.length} entries within ${SINGLE_MAX_FRACTION} × layer scale can be rounded alone`);
    return;
  }
  run.offer("snap-integers", current, `one at a time: ${rounded.length} of ${candidates.length} entries rounded (${rounded.slice(0, 4).join(", ")}${rounded.length > 4 ? ", …" : ""})`);
}

/** Snap everything, freeze the integers, retrain the rest, snap again; up to retrainRounds times. */
function retrainRounds(
  run: GatedRun,
  heldOut: readonly Example[],
  options: NormalizeOptions,
  threshold: number,
  trySnap: (t: number) => boolean | null,
): void {
  const rounds = run.enabled("retrain-snapped") ? (options.retrainRounds ?? 2) : 0;
  const train = options.train ?? heldOut;
  for (let round = 0; round < rounds; round++) {
    const snapped = snapIntegers(run.current, threshold);
    if (snapped.moved === 0) return;
    const retrained = retrainFrozen(snapped.rnn, snapped.integer, train, heldOut, {
      seed: options.seed + round,
      steps: options.retrainSteps ?? 300,
      learningRate: options.retrainLearningRate ?? 3e-3,
    });
    const frozenCount = snapped.integer.reduce((s, x) => s + x, 0);
    const kept = run.offer("retrain-snapped", retrained, `round ${round + 1}: ${snapped.moved} entries snapped, ${frozenCount} integers frozen, the rest retrained`);
    if (!kept) return;
    // The retrained free weights may now sit near integers too.
    if (trySnap(threshold) !== false) return;
  }
}

/**
 * Drop hidden components that only the readout reads, one at a time while the gate allows, weakest
 * first (the oldest tap of a shift register that the readout barely uses, say). One step records
 * what was dropped.
 */
function pruneWeakReads(run: GatedRun, statsOf: (rnn: Rnn) => StateStatistics): void {
  if (!run.enabled("prune-weak-reads")) return;
  let current = run.current;
  const dropped: string[] = [];
  let tried = 0;
  for (let progress = true; progress; ) {
    progress = false;
    for (const candidate of weakReadCandidates(current, statsOf(current))) {
      tried++;
      if (run.passes(candidate.rnn).kept) {
        dropped.push(`h${candidate.component} (contribution ≤ ${candidate.contribution.toPrecision(3)})`);
        current = candidate.rnn;
        progress = true;
        break;
      }
    }
  }
  if (dropped.length === 0) {
    run.skip("prune-weak-reads", tried === 0 ? "no hidden component is read by the readout alone" : `none of ${tried} components read only by the readout can be dropped`);
    return;
  }
  run.offer("prune-weak-reads", current, `dropped, in order: ${dropped.join(", ")} (indices at the time)`);
}
