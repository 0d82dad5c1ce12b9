/**
 * The machine read out of a trained network: discrete states that are integer vectors, an initial
 * state, a transition relation (state, input) → state and an output per state. Plain JSON data.
 *
 * The network is a Moore machine (y_t = g(h_t) reads the state after it consumed x_t), and so is
 * the extracted machine: outputs belong to states. Two paths produce one:
 * - "lattice": hidden states sit on an integer lattice h ≈ z·A + b; the state is the code z, and
 *   the tables hold every (z, x) → z' row observed on the data (the state set is unbounded).
 * - "finite": a finite set of hidden-state clusters; the state is its index (a 1-vector), and the
 *   transition table is complete over the inputs seen.
 */
import type { Step } from "../task/types.js";

/** An integer state vector (lattice codes, or [cluster index]). */
export type StateCode = readonly number[];

/** One observed transition: in `state`, reading `input`, the machine moves to `next`. */
export interface TransitionRow {
  readonly state: StateCode;
  readonly input: Step;
  readonly next: StateCode;
}

/** The output the machine emits on entering `state`. */
export interface OutputRow {
  readonly state: StateCode;
  readonly output: Step;
}

/** h ≈ z·basis + offset: `basis` has one row per code component, each of hiddenSize reals. */
export interface LatticeDescription {
  readonly basis: readonly (readonly number[])[];
  readonly offset: readonly number[];
  /** Which construction found it (see fsm-extract/lattice.ts). */
  readonly construction: string;
  /** Largest ‖h − (z·A + b)‖∞ over the hidden states fitted. */
  readonly maxResidual: number;
  /** Description length (integer bits + residual bits), the selection criterion. */
  readonly bits: number;
}

/** How the finite states were grouped. */
export interface ClusterDescription {
  readonly method: "explore" | "kmeans";
  /** Exploration: the L∞ merge tolerance. k-means: the number of clusters before minimisation. */
  readonly parameter: number;
  /** Hidden-state centre of each state (after minimisation: of one representative cluster). */
  readonly centres: readonly (readonly number[])[];
  /** States before minimisation. */
  readonly statesBeforeMinimisation: number;
}

export interface Machine {
  readonly kind: "machine";
  readonly version: 1;
  readonly path: "lattice" | "finite";
  readonly inputDim: number;
  readonly outputDim: number;
  /** Length of every state code. */
  readonly stateDim: number;
  readonly initial: StateCode;
  /** Distinct states seen (finite: all of them, numbered 0…n−1 as [i]). */
  readonly states: readonly StateCode[];
  /** Distinct input steps seen. */
  readonly inputs: readonly Step[];
  /** Deduplicated, sorted rows; for a finite machine one per (state, input) seen. */
  readonly transitions: readonly TransitionRow[];
  readonly outputs: readonly OutputRow[];
  readonly lattice?: LatticeDescription;
  readonly clusters?: ClusterDescription;
}

/** Running a machine against the network on held-out sequences. */
export interface MachineCheck {
  readonly sequences: number;
  readonly positions: number;
  /** True when the machine's outputs equal the network's predictions at every position. */
  readonly exact: boolean;
  /** The first disagreement, if any: which sequence and step, and what each side gave. */
  readonly counterexample?: {
    readonly sequence: number;
    readonly step: number;
    readonly input: readonly Step[];
    readonly expected: Step;
    readonly got: Step | null;
    readonly reason: string;
  };
  /** (state, input) pairs that led to two different next states, with an input sequence showing each. */
  readonly conflicts: readonly { readonly state: StateCode; readonly input: Step; readonly nexts: readonly StateCode[] }[];
}
