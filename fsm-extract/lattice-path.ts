/**
 * The lattice path: hidden states on an integer lattice h ≈ z·A + b (fsm-extract/lattice.ts fits
 * it), the machine's state is the code z. The machine steps by decoding z, applying the network's
 * transition and rounding back to a code ("the network, snapped to the lattice every step"), so no
 * drift can accumulate; the observed (z, x) → z' rows, read from the network's own trajectories,
 * are what symbolic regression sees. A lattice is rejected when two rows contradict each other
 * (the codes do not determine the next code or the output) or when the snapped machine disagrees
 * with the network on held-out sequences.
 */
import { headOutputs, nextHidden, predict } from "../rnn/reference.js";
import type { Rnn } from "../rnn/types.js";
import type { Step } from "../task/types.js";
import { checkMachine, type MachineRunner } from "./check.js";
import { compareSteps, stepKey, type HiddenTrace } from "./hidden-states.js";
import { MAX_COORDINATE_ERROR, coordinateMap, fitLattices, type LatticeFit } from "./lattice.js";
import { describeConflict, type Machine, type MachineCheck, type OutputRow, type StateCode, type TransitionRow } from "./types.js";

export interface LatticePathOptions {
  /** Distinct hidden states given to the fitter. */
  readonly maxPoints: number;
  /** Impulse responses W^k·U for k below this. */
  readonly impulseSteps: number;
  /** Largest |coordinate − round(coordinate)| accepted when snapping a state to the lattice. */
  readonly maxCoordinateError: number;
  /**
   * Rows kept in the machine (in order of first visit). Every row of the data is still checked for
   * contradictions; the cap keeps machine.json small where inputs are many (Sum_Last2 visits
   * thousands of codes), and a few thousand rows are plenty for regression.
   */
  readonly maxRows: number;
}

// Snapping accepts exactly what the fitter accepted when it built the lattice.
export const defaultLatticePathOptions: LatticePathOptions = { maxPoints: 3000, impulseSteps: 24, maxCoordinateError: MAX_COORDINATE_ERROR, maxRows: 3000 };

export interface LatticeCandidate {
  readonly machine: Machine;
  readonly check: MachineCheck;
}

export interface LatticePathOutcome {
  readonly best: LatticeCandidate | null;
  readonly tried: readonly { readonly method: string; readonly rank: number | null; readonly exact: boolean; readonly detail: string }[];
}

export function extractLattice(
  rnn: Rnn,
  train: readonly HiddenTrace[],
  heldOut: readonly HiddenTrace[],
  options: LatticePathOptions = defaultLatticePathOptions,
): LatticePathOutcome {
  const tried: Array<LatticePathOutcome["tried"][number]> = [];
  const points = distinctStates(train, options.maxPoints);
  const origin = new Array<number>(rnn.config.hiddenSize).fill(0);
  const generators = impulseResponses(rnn, options.impulseSteps);
  const fits = fitLattices(points, { origin, ...(generators ? { generators } : {}) });
  if (!fits.ok) {
    for (const f of fits.failure) tried.push({ method: "lattice", rank: null, exact: false, detail: `${f.reason}: ${f.detail}` });
    return { best: null, tried };
  }
  for (const fit of fits.value) {
    const method = `lattice ${fit.construction}`;
    const codec = latticeCodec(fit, options.maxCoordinateError);
    const rows = readRows(train, codec, options.maxRows);
    if ("conflict" in rows) {
      tried.push({ method, rank: fit.basis.length, exact: false, detail: rows.conflict });
      continue;
    }
    const runner = snappedRunner(rnn, codec);
    const check = checkMachine(runner, heldOut);
    tried.push({ method, rank: fit.basis.length, exact: check.exact, detail: check.exact ? `${rows.states.length} codes seen` : check.counterexample!.reason });
    if (check.exact) return { best: { machine: latticeMachine(rnn, fit, rows), check }, tried };
  }
  return { best: null, tried };
}

/** Encoding and decoding hidden vectors as lattice codes. */
export interface LatticeCodec {
  readonly rank: number;
  decode(z: StateCode): number[];
  /** The code of h, or null when h is not within maxCoordinateError of a lattice point. */
  encode(h: readonly number[]): number[] | null;
}

export function latticeCodec(fit: Pick<LatticeFit, "basis" | "offset">, maxCoordinateError: number): LatticeCodec {
  const A = fit.basis;
  const b = fit.offset;
  const coordinates = coordinateMap(A);
  const decode = (z: StateCode): number[] => b.map((bj, j) => bj + z.reduce((s, zi, i) => s + zi * A[i]![j]!, 0));
  const shortestStep = Math.min(...A.map((ai) => Math.max(...ai.map(Math.abs))));
  return {
    rank: A.length,
    decode,
    encode: (h) => {
      const z: number[] = [];
      for (const c of coordinates(h.map((v, j) => v - b[j]!))) {
        const rounded = Math.round(c) + 0;
        if (!(Math.abs(c - rounded) <= maxCoordinateError)) return null;
        z.push(rounded);
      }
      // The part of h outside the basis's span must be as small, relative to the shortest step.
      const back = decode(z);
      for (let j = 0; j < h.length; j++) if (Math.abs(back[j]! - h[j]!) > maxCoordinateError * shortestStep) return null;
      return z;
    },
  };
}

/** The machine as the network snapped to the lattice after every step. */
export function snappedRunner(rnn: Rnn, codec: LatticeCodec): MachineRunner {
  return {
    initial: codec.encode(new Array<number>(rnn.config.hiddenSize).fill(0)) ?? new Array<number>(codec.rank).fill(0),
    step(state, input) {
      const next = codec.encode(nextHidden(rnn, codec.decode(state), input));
      if (next === null) return { error: `the state after input [${input}] is not on the lattice` };
      return { next, output: predict(rnn.config.head, headOutputs(rnn, codec.decode(next))) };
    },
  };
}

interface Rows {
  readonly states: StateCode[];
  readonly inputs: Step[];
  readonly transitions: TransitionRow[];
  readonly outputs: OutputRow[];
}

/** The (code, input) → code and code → output rows of the network's own trajectories. */
function readRows(traces: readonly HiddenTrace[], codec: LatticeCodec, maxRows: number): Rows | { conflict: string } {
  const transitions = new Map<string, TransitionRow>();
  const outputs = new Map<string, OutputRow>();
  const inputs = new Map<string, Step>();
  // Every row's key and where it was first seen (trace, step), for the contradiction check; rows
  // themselves are kept up to the cap.
  const nextOf = new Map<string, { next: StateCode; at: [number, number] }>();
  const outputOf = new Map<string, { output: Step; at: [number, number] }>();
  const prefix = ([i, t]: [number, number]): Step[] => traces[i]!.inputs.slice(0, t + 1);
  for (let i = 0; i < traces.length; i++) {
    const trace = traces[i]!;
    let z = codec.encode(trace.hidden[0]!);
    if (z === null) return { conflict: "the initial state h₋₁ = 0 is not on the lattice" };
    for (let t = 0; t < trace.inputs.length; t++) {
      const x = trace.inputs[t]!;
      const next = codec.encode(trace.hidden[t + 1]!);
      if (next === null) return { conflict: `the hidden state after inputs ${prefix([i, t]).join(" ")} is not on the lattice` };
      inputs.set(stepKey(x), x);
      const key = `${stepKey(z)}|${stepKey(x)}`;
      const seen = nextOf.get(key);
      if (seen !== undefined && stepKey(seen.next) !== stepKey(next)) {
        return { conflict: describeConflict({ kind: "transition", state: z, input: x, values: [seen.next, next], witnesses: [prefix(seen.at), prefix([i, t])] }) };
      }
      if (seen === undefined) {
        nextOf.set(key, { next, at: [i, t] });
        if (transitions.size < maxRows) transitions.set(key, { state: z, input: x, next });
      }
      const y = trace.predictions[t]!;
      const seenOutput = outputOf.get(stepKey(next));
      if (seenOutput !== undefined && stepKey(seenOutput.output) !== stepKey(y)) {
        return { conflict: describeConflict({ kind: "output", state: next, values: [seenOutput.output, y], witnesses: [prefix(seenOutput.at), prefix([i, t])] }) };
      }
      if (seenOutput === undefined) {
        outputOf.set(stepKey(next), { output: y, at: [i, t] });
        if (outputs.size < maxRows) outputs.set(stepKey(next), { state: next, output: y });
      }
      z = next;
    }
  }
  const states = new Map<string, StateCode>();
  for (const row of transitions.values()) {
    states.set(stepKey(row.state), row.state);
    states.set(stepKey(row.next), row.next);
  }
  return {
    states: [...states.values()].sort(compareSteps),
    inputs: [...inputs.values()].sort(compareSteps),
    transitions: [...transitions.values()].sort((p, q) => compareSteps(p.state, q.state) || compareSteps(p.input, q.input)),
    outputs: [...outputs.values()].sort((p, q) => compareSteps(p.state, q.state)),
  };
}

function latticeMachine(rnn: Rnn, fit: LatticeFit, rows: Rows): Machine {
  return {
    kind: "machine",
    version: 1,
    path: "lattice",
    inputDim: rnn.config.inputDim,
    outputDim: rnn.config.outputDim,
    stateDim: fit.basis.length,
    initial: new Array<number>(fit.basis.length).fill(0),
    states: rows.states,
    inputs: rows.inputs,
    transitions: rows.transitions,
    outputs: rows.outputs,
    lattice: { basis: fit.basis, offset: fit.offset, construction: fit.construction, maxResidual: fit.maxResidual, bits: fit.bits },
  };
}

/** Distinct hidden states (h₋₁ first), to 1e-9, at most `max`, in order of first visit. */
function distinctStates(traces: readonly HiddenTrace[], max: number): number[][] {
  const seen = new Map<string, number[]>();
  for (const trace of traces) {
    for (const h of trace.hidden) {
      if (seen.size >= max) break;
      const key = h.map((v) => Math.round(v * 1e9)).join(",");
      if (!seen.has(key)) seen.set(key, h.slice());
    }
  }
  return [...seen.values()];
}

/**
 * For a linear transition h' = W·h + U·e(x) + c: the impulse responses W^k·v of what one step adds,
 * v = U·e(x) + c. With raw inputs the steps add integer combinations of U's columns and c; with
 * one-hot inputs exactly one of the vectors U·e_j + c (one-hot columns are only defined together with
 * the bias: moving a vector from every column into c changes nothing). Either way every reachable
 * state is an integer combination of these generators: the paper's "linear" lattice construction.
 * Null for MLP transitions.
 */
export function impulseResponses(rnn: Rnn, steps: number): number[][] | null {
  if (rnn.transition.length !== 1) return null;
  const layer = rnn.transition[0]!;
  const n = rnn.config.hiddenSize;
  const columns = layer.inSize - n;
  const W = (i: number, j: number): number => layer.weight[i * layer.inSize + j]!;
  const column = (c: number): number[] => Array.from({ length: n }, (_, i) => layer.weight[i * layer.inSize + n + c]!);
  const oneHot = rnn.config.encoding.kind === "one-hot";
  const vectors: number[][] = Array.from({ length: columns }, (_, c) => (oneHot ? column(c).map((v, i) => v + layer.bias[i]!) : column(c)));
  if (!oneHot && layer.bias.some((v) => Math.abs(v) > 1e-12)) vectors.push([...layer.bias]);
  const out: number[][] = [];
  for (let v of vectors) {
    for (let k = 0; k < steps; k++) {
      if (v.every((x) => Math.abs(x) < 1e-12)) break;
      out.push(v);
      const u = v;
      v = Array.from({ length: n }, (_, i) => u.reduce((s, uj, j) => s + W(i, j) * uj, 0));
    }
  }
  return out;
}
