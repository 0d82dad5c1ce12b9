/**
 * Extraction: a trained network and data in, a checked machine out (or a typed failure saying why).
 *
 * A linear transition tries the lattice path first (a linear recurrence over integer inputs puts
 * its states on a lattice), an MLP transition the finite path first; a machine that fails its
 * check falls through to the other path. Data: `train` sequences build the machine (hidden states,
 * clusters, lattice rows); `heldOut` sequences (≥ 10,000 in real runs) check it against the
 * network's own predictions. Task targets are never read here.
 */
import type { Result } from "../common/result.js";
import { fail, ok } from "../common/result.js";
import type { Rnn } from "../rnn/types.js";
import type { Example } from "../task/types.js";
import { defaultFinitePathOptions, extractFinite } from "./finite-path.js";
import { collectHiddenStates, inputAlphabet, type HiddenTrace } from "./hidden-states.js";
import { defaultLatticePathOptions, extractLattice } from "./lattice-path.js";
import type { Machine, MachineCheck } from "./types.js";

export type ExtractionPath = "lattice" | "finite";

/** One machine tried: which path and method, its size, whether its check passed, and why not. */
export interface ExtractionAttempt {
  readonly path: ExtractionPath;
  readonly method: string;
  /** States (finite) or lattice rank; null when no machine was built. */
  readonly size: number | null;
  readonly exact: boolean;
  readonly detail: string;
}

export interface Extraction {
  readonly machine: Machine;
  readonly check: MachineCheck;
  readonly attempts: readonly ExtractionAttempt[];
  readonly seconds: number;
}

export interface ExtractionFailure {
  readonly reason: "no_exact_machine" | "no_data" | "internal_error";
  readonly detail: string;
  readonly attempts: readonly ExtractionAttempt[];
  readonly seconds: number;
}

export interface ExtractOptions {
  readonly seed: number;
  /** Sequences of `train` used to build machines (default 2,000). */
  readonly buildSequences?: number;
  /** performance.now() after which the finite path starts no further construction (default: none). */
  readonly deadline?: number;
}

export function extractMachine(
  rnn: Rnn,
  data: { readonly train: readonly Example[]; readonly heldOut: readonly Example[] },
  options: ExtractOptions,
): Result<Extraction, ExtractionFailure> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const attempts: ExtractionAttempt[] = [];
  if (data.train.length === 0 || data.heldOut.length === 0) {
    return fail({ reason: "no_data", detail: "extraction needs training and held-out sequences", attempts, seconds: seconds() });
  }
  const train = collectHiddenStates(rnn, data.train.slice(0, options.buildSequences ?? 2000));
  const heldOut = collectHiddenStates(rnn, data.heldOut);
  const order: ExtractionPath[] = rnn.transition.length === 1 ? ["lattice", "finite"] : ["finite", "lattice"];
  for (const path of order) {
    try {
      const found = runPath(path, rnn, train, heldOut, options, attempts);
      if (found) return ok({ ...found, attempts, seconds: seconds() });
    } catch (error) {
      // A bug in one path must not hide what the other path can do; it is reported, not swallowed.
      attempts.push({ path, method: path, size: null, exact: false, detail: `internal error: ${(error as Error).message}` });
    }
  }
  const failed = attempts.find((a) => a.detail.startsWith("internal error"));
  return fail({
    reason: failed ? "internal_error" : "no_exact_machine",
    detail: failed ? failed.detail : "neither the lattice nor the finite-state path gave a machine that reproduces the network",
    attempts,
    seconds: seconds(),
  });
}

function runPath(
  path: ExtractionPath,
  rnn: Rnn,
  train: readonly HiddenTrace[],
  heldOut: readonly HiddenTrace[],
  options: ExtractOptions,
  attempts: ExtractionAttempt[],
): { machine: Machine; check: MachineCheck } | null {
  if (path === "lattice") {
    const outcome = extractLattice(rnn, train, heldOut, defaultLatticePathOptions);
    for (const t of outcome.tried) attempts.push({ path, method: t.method, size: t.rank, exact: t.exact, detail: t.detail });
    return outcome.best;
  }
  const outcome = extractFinite(rnn, train, heldOut, inputAlphabet(train), { ...defaultFinitePathOptions, seed: options.seed, deadline: options.deadline ?? Infinity });
  for (const t of outcome.tried) attempts.push({ path, method: t.method, size: t.states, exact: t.exact, detail: t.detail });
  return outcome.best;
}
