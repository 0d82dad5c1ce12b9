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
  readonly method: "explore" | "behaviour" | "kmeans" | "merge";
  /** Exploration: the L∞ merge tolerance. Behaviour: the suffix length m. k-means: the number of clusters before minimisation. Merging: prefix-tree nodes. */
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
  /** Sorted rows; for a finite machine one per (state, input) seen. */
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
}

/**
 * Why a grouping of hidden states is not a machine: in one state, one input led to two different
 * next states (or one state showed two outputs), with the input sequences that show each.
 */
export interface Conflict {
  readonly kind: "transition" | "output";
  readonly state: StateCode;
  /** The input read (transition conflicts only). */
  readonly input?: Step;
  /** The two next states (transition) or the two outputs (output). */
  readonly values: readonly [StateCode, StateCode];
  /** For each of the two, an input prefix that ends with it. */
  readonly witnesses: readonly [readonly Step[], readonly Step[]];
}

/** One line: "state [3] on input [1] → [4] after 0 1 1, → [5] after 1 0 1". */
export function describeConflict(c: Conflict): string {
  const seq = (w: readonly Step[]): string => w.map((x) => (x.length === 1 ? String(x[0]) : `(${x.join(",")})`)).join(" ");
  const what = c.kind === "transition" ? `state [${c.state}] on input [${c.input}] goes` : `state [${c.state}] outputs`;
  return `${what} to [${c.values[0]}] after inputs ${seq(c.witnesses[0])} and to [${c.values[1]}] after inputs ${seq(c.witnesses[1])}`;
}
