/**
 * Hand-made machines for the symbolic tests (literal Machine values, no extraction), and a
 * reference runner that plays an input sequence through a machine's tables.
 */
import { Random } from "../../common/random.js";
import type { Machine, OutputRow, TransitionRow } from "../../fsm-extract/types.js";

/** A finite machine: states 0..n−1 (0 initial), next(s, x) and output(s) over the given input steps. */
export function finiteMachine(
  n: number,
  inputs: readonly (readonly number[])[],
  next: (s: number, x: readonly number[]) => number,
  output: (s: number) => number | null,
  centres?: readonly (readonly number[])[],
): Machine {
  const transitions: TransitionRow[] = [];
  const outputs: OutputRow[] = [];
  for (let s = 0; s < n; s++) {
    for (const x of inputs) transitions.push({ state: [s], input: x, next: [next(s, x)] });
    const y = output(s);
    if (y !== null) outputs.push({ state: [s], output: [y] });
  }
  return {
    kind: "machine",
    version: 1,
    path: "finite",
    inputDim: inputs[0]!.length,
    outputDim: 1,
    stateDim: 1,
    initial: [0],
    states: Array.from({ length: n }, (_, s) => [s]),
    inputs,
    transitions,
    outputs,
    ...(centres ? { clusters: { method: "explore" as const, parameter: 0.1, centres, statesBeforeMinimisation: n } } : {}),
  };
}

/**
 * A lattice machine: the rows a run of `sequences` random sequences of `length` steps (inputs drawn
 * from `alphabet`) visits, from the initial code, under step(z, x) and output(z).
 */
export function latticeMachine(
  initial: readonly number[],
  alphabet: readonly (readonly number[])[],
  step: (z: readonly number[], x: readonly number[]) => number[],
  output: (z: readonly number[]) => number[],
  sequences = 60,
  length = 10,
  seed = 1,
): Machine {
  const random = new Random(seed);
  const transitions = new Map<string, TransitionRow>();
  const outputs = new Map<string, OutputRow>();
  const states = new Map<string, readonly number[]>([[initial.join(","), initial]]);
  for (let n = 0; n < sequences; n++) {
    let z = initial;
    for (let t = 0; t < length; t++) {
      const x = alphabet[random.int(0, alphabet.length - 1)]!;
      const next = step(z, x);
      transitions.set(`${z}|${x}`, { state: z, input: x, next });
      outputs.set(next.join(","), { state: next, output: output(next) });
      states.set(next.join(","), next);
      z = next;
    }
  }
  return {
    kind: "machine",
    version: 1,
    path: "lattice",
    inputDim: alphabet[0]!.length,
    outputDim: output(initial).length,
    stateDim: initial.length,
    initial,
    states: [...states.values()],
    inputs: alphabet,
    transitions: [...transitions.values()],
    outputs: [...outputs.values()],
    lattice: { basis: [], offset: [], construction: "hand-made", maxResidual: 0, bits: 0 },
  };
}

/** The machine's outputs on an input sequence, up to the first step it has no transition (or output) for. */
export function runMachine(machine: Machine, xs: readonly (readonly number[])[]): number[][] {
  const next = new Map(machine.transitions.map((r) => [`${r.state}|${r.input}`, r.next]));
  const output = new Map(machine.outputs.map((o) => [o.state.join(","), o.output]));
  const ys: number[][] = [];
  let z = machine.initial;
  for (const x of xs) {
    const n = next.get(`${z}|${x}`);
    const y = n && output.get(n.join(","));
    if (!n || !y) break;
    ys.push([...y]);
    z = n;
  }
  return ys;
}

/** `count` random input sequences of `length` steps over the machine's inputs. */
export function randomSequences(machine: Machine, count: number, length: number, seed = 7): number[][][] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => Array.from({ length }, () => [...machine.inputs[random.int(0, machine.inputs.length - 1)]!]));
}

/** A permutation of 0..n−1 that keeps 0 in place (the initial state stays state 0). */
export function shuffledStates(n: number, seed: number): number[] {
  const rest = new Random(seed).shuffle(Array.from({ length: n - 1 }, (_, i) => i + 1));
  return [0, ...rest];
}
