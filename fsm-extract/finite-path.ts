/**
 * The finite-state path: explore from h_{-1} = 0 over a sweep of merge tolerances, then by behaviour
 * (states = outputs on short input suffixes, fsm-extract/explore-behaviour.ts), then k-means
 * clusters of the hidden states on data, then red–blue state merging of the training prefixes
 * (fsm-extract/prefix-merge.ts); minimise each machine and keep the smallest one that reproduces
 * the network on held-out sequences.
 */
import type { Rnn } from "../rnn/types.js";
import type { Step } from "../task/types.js";
import { checkMachine, type MachineRunner } from "./check.js";
import { CLUSTER_COUNTS, clusterMachine } from "./clusters.js";
import { exploreStates } from "./explore.js";
import { exploreBehaviour, signatureLength } from "./explore-behaviour.js";
import { symbolIndex, type FiniteTable } from "./finite-table.js";
import { stepKey, type HiddenTrace } from "./hidden-states.js";
import { mergeCompatible, mergeVerified, refinePartition, type MergeEvidence } from "./minimize.js";
import { mergedMachine } from "./prefix-merge.js";
import type { ClusterDescription, Machine, MachineCheck, OutputRow, TransitionRow } from "./types.js";

export const EXPLORE_TOLERANCES = [0.1, 0.05, 0.03, 0.01, 0.001];

export interface FinitePathOptions {
  readonly seed: number;
  /** Exploration gives up beyond this many states (before minimisation). */
  readonly maxStates: number;
  /** Points given to k-means. */
  readonly maxClusterPoints: number;
  /** Greedy don't-care merging is quadratic: only machines up to this size get it. */
  readonly maxMergeStates: number;
  /** State merging starts from the prefix tree of the training sequences: at most this many nodes. */
  readonly maxTreeNodes: number;
  /** performance.now() after which no further machine is built (the best so far stands). */
  readonly deadline: number;
}

export const defaultFinitePathOptions: FinitePathOptions = { seed: 0, maxStates: 5000, maxClusterPoints: 6000, maxMergeStates: 1000, maxTreeNodes: 200_000, deadline: Infinity };

export interface FiniteCandidate {
  readonly machine: Machine;
  readonly check: MachineCheck;
}

/** Every machine the path built, in the order tried, with its check; `best` is the smallest exact one. */
export interface FinitePathOutcome {
  readonly best: FiniteCandidate | null;
  readonly tried: readonly { readonly method: string; readonly states: number | null; readonly exact: boolean; readonly detail: string }[];
}

export function extractFinite(
  rnn: Rnn,
  train: readonly HiddenTrace[],
  heldOut: readonly HiddenTrace[],
  alphabet: readonly Step[],
  options: FinitePathOptions = defaultFinitePathOptions,
): FinitePathOutcome {
  const tried: Array<FinitePathOutcome["tried"][number]> = [];
  const maxDepth = Math.max(1, ...train.map((t) => t.inputs.length));
  let best: FiniteCandidate | null = null;
  const evidence = mergeEvidence(train, alphabet);
  const consider = (raw: FiniteTable, centres: number[][], cluster: Omit<ClusterDescription, "centres" | "statesBeforeMinimisation">): void => {
    const label = `${cluster.method} ${cluster.parameter}`;
    for (const { table, centresOf } of minimisations(raw, centres, options.maxMergeStates, evidence)) {
      const runner = finiteRunner(table);
      const check = checkMachine(runner, heldOut);
      tried.push({ method: label, states: table.size, exact: check.exact, detail: check.exact ? `${raw.size} states before minimisation` : check.counterexample!.reason });
      if (check.exact) {
        if (!best || table.size < best.machine.states.length) {
          best = { machine: finiteMachine(rnn, table, { ...cluster, centres: centresOf, statesBeforeMinimisation: raw.size }), check };
        }
        return;
      }
    }
  };

  const bestStates = (): number => best?.machine.states.length ?? Infinity;
  const late = (method: string): boolean => {
    if (performance.now() <= options.deadline) return false;
    tried.push({ method, states: null, exact: false, detail: "not tried: the time limit ran out" });
    return true;
  };
  for (const tolerance of EXPLORE_TOLERANCES) {
    if (late(`explore ${tolerance}`)) break;
    const explored = exploreStates(rnn, alphabet, { tolerance, maxStates: options.maxStates, maxDepth });
    if (!explored.ok) {
      // A finer tolerance only finds more states.
      tried.push({ method: `explore ${tolerance}`, states: null, exact: false, detail: explored.failure.detail });
      break;
    }
    consider(explored.value.table, explored.value.centres, { method: "explore", parameter: tolerance });
  }
  // States told apart by behaviour, not position: for drifting networks, whose geometric
  // exploration splits one state into many or, at coarse tolerances, merges two.
  if (bestStates() > SMALL_FINITE && !late("behaviour")) {
    const suffixLength = signatureLength(alphabet.length);
    const deadline = Math.min(options.deadline, performance.now() + BEHAVIOUR_MS);
    const explored = exploreBehaviour(rnn, alphabet, { suffixLength, maxStates: options.maxStates, maxDepth, deadline });
    if (explored.ok) consider(explored.value.table, explored.value.centres, { method: "behaviour", parameter: suffixLength });
    else tried.push({ method: `behaviour ${suffixLength}`, states: null, exact: false, detail: explored.failure.detail });
  }
  // Drifting states make exploration's machines exact but far from minimal (the depth-bounded
  // prefix structure survives); k-means can still find a smaller one, so it always gets a try
  // below the best size so far.
  const bestSize = bestStates();
  const counts = CLUSTER_COUNTS.filter((k) => k < bestSize);
  if (counts.length > 0 && !late("kmeans")) {
    const clustered = clusterMachine(train, alphabet, { seed: options.seed, maxPoints: options.maxClusterPoints, counts });
    if (clustered.ok) consider(clustered.value.table, clustered.value.centres, { method: "kmeans", parameter: clustered.value.k });
    else tried.push({ method: "kmeans", states: null, exact: false, detail: `no consistent clustering up to k = ${clustered.failure.k}: ${clustered.failure.detail}` });
  }
  // State merging on the network's outputs over the training prefixes, nearest hidden states first:
  // for drifting networks, where neither exploration nor k-means gives a small machine.
  if (bestStates() > SMALL_FINITE && !late("merge")) {
    const merged = mergedMachine(train, alphabet, { maxNodes: options.maxTreeNodes, deadline: Math.min(options.deadline, performance.now() + MERGE_MS) });
    if (merged.ok) consider(merged.value.table, merged.value.centres, { method: "merge", parameter: merged.value.nodes });
    else tried.push({ method: "merge", states: null, exact: false, detail: merged.detail });
  }
  return { best, tried };
}

/** A machine this small is not worth the merging path. */
const SMALL_FINITE = 4;
const MERGE_MS = 20_000;
/** Each state costs up to SIGNATURE_NODES network steps per input symbol: k-means and merging must still get their turn. */
const BEHAVIOUR_MS = 10_000;

/**
 * The minimised machines to try, smallest first: merging checked against the network on training
 * sequences, don't-care merging, then safe refinement only.
 */
function minimisations(raw: FiniteTable, centres: number[][], maxMergeStates: number, evidence: MergeEvidence): Array<{ table: FiniteTable; centresOf: number[][] }> {
  const safe = refinePartition(raw);
  const safeCentres = representatives(safe.blockOf, centres, safe.table.size);
  const out: Array<{ table: FiniteTable; centresOf: number[][] }> = [];
  const compose = (merged: { table: FiniteTable; blockOf: Int32Array }): void => {
    if (merged.table.size >= safe.table.size) return;
    const composed = safe.blockOf.map((b) => (b >= 0 ? merged.blockOf[b]! : -1));
    out.push({ table: merged.table, centresOf: representatives(composed, centres, merged.table.size) });
  };
  if (safe.table.size <= maxMergeStates) {
    if (safe.table.size <= VERIFIED_MERGE_STATES) compose(mergeVerified(safe.table, evidence, safeCentres, performance.now() + VERIFIED_MERGE_MS));
    compose(mergeCompatible(safe.table, safeCentres));
  }
  out.sort((p, q) => p.table.size - q.table.size);
  out.push({ table: safe.table, centresOf: safeCentres });
  return out;
}

/** Checked merging runs every training sequence per trial merge: machines up to this size, for at most this long. */
const VERIFIED_MERGE_STATES = 400;
const VERIFIED_MERGE_MS = 15_000;

/** The network's outputs on the training sequences, as symbol indices and output keys (sequences with unseen symbols left out). */
export function mergeEvidence(traces: readonly HiddenTrace[], alphabet: readonly Step[]): MergeEvidence {
  const index = symbolIndex(alphabet);
  const symbols: Int32Array[] = [];
  const outputs: string[][] = [];
  const seen = new Set<string>();
  for (const trace of traces) {
    const keys = trace.inputs.map((x) => index.get(stepKey(x)) ?? -1);
    if (keys.some((k) => k < 0)) continue;
    // Identical input sequences give identical network outputs: one copy is enough.
    const id = keys.join(",");
    if (seen.has(id)) continue;
    seen.add(id);
    symbols.push(Int32Array.from(keys));
    outputs.push(trace.predictions.map((p) => stepKey(p)));
  }
  return { symbols, outputs };
}

/** The hidden vector of the first original state in each block. */
function representatives(blockOf: Int32Array, centres: number[][], count: number): number[][] {
  const out: number[][] = new Array(count);
  blockOf.forEach((b, s) => {
    if (b >= 0 && out[b] === undefined) out[b] = centres[s]!;
  });
  return out;
}

export function finiteRunner(table: FiniteTable): MachineRunner {
  const symbols = symbolIndex(table.alphabet);
  const a = table.alphabet.length;
  return {
    initial: [0],
    step(state, input) {
      const k = symbols.get(stepKey(input));
      if (k === undefined) return { error: `input [${input}] never seen during extraction` };
      const next = table.next[state[0]! * a + k]!;
      if (next < 0) return { error: `transition from state ${state[0]} on input [${input}] never seen during extraction` };
      const output = table.outputs[next];
      if (!output) return { error: `output of state ${next} never seen during extraction` };
      return { next: [next], output };
    },
  };
}

/** The Machine value of a finite table: state i is the code [i]. */
export function finiteMachine(rnn: Rnn, table: FiniteTable, clusters: ClusterDescription): Machine {
  const a = table.alphabet.length;
  const transitions: TransitionRow[] = [];
  const outputs: OutputRow[] = [];
  for (let s = 0; s < table.size; s++) {
    for (let k = 0; k < a; k++) {
      const t = table.next[s * a + k]!;
      if (t >= 0) transitions.push({ state: [s], input: table.alphabet[k]!, next: [t] });
    }
    const y = table.outputs[s];
    if (y) outputs.push({ state: [s], output: y });
  }
  return {
    kind: "machine",
    version: 1,
    path: "finite",
    inputDim: rnn.config.inputDim,
    outputDim: rnn.config.outputDim,
    stateDim: 1,
    initial: [0],
    states: Array.from({ length: table.size }, (_, s) => [s]),
    inputs: table.alphabet,
    transitions,
    outputs,
    clusters,
  };
}
