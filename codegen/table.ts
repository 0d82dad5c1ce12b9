/**
 * The transition-table program: the honest fallback when symbolic regression finds no formula (or
 * only one larger than the table it would replace). It is the extracted machine itself, listed:
 * states numbered 0…n−1, the inputs seen numbered 0…m−1, a next-state table and an output per
 * state. A (state, input) pair the machine never saw has no entry; running into one is an error
 * of the program, never a silent guess.
 *
 * Invariants: next.length === states × inputs.length; every non-null entry and `initial` are state
 * numbers < states; outputs.length === states, each null (the state is never entered) or a list of
 * outputDim ints; inputs are distinct, each of inputDim ints.
 */
import type { Machine } from "../fsm-extract/types.js";
import type { Step } from "../task/types.js";

export interface TableProgram {
  readonly kind: "table";
  readonly version: 1;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly states: number;
  readonly initial: number;
  /** The input steps the machine saw, in the machine's order. */
  readonly inputs: readonly Step[];
  /** next[state × inputs.length + input]: the state entered, or null when the pair was never seen. */
  readonly next: readonly (number | null)[];
  /** The output on entering each state (null: no transition enters it). */
  readonly outputs: readonly (Step | null)[];
}

/** The machine as a table program (any machine: a lattice machine's observed codes become states). */
export function tableProgram(machine: Machine): TableProgram {
  const stateIndex = new Map(machine.states.map((s, i) => [s.join(","), i]));
  const inputIndex = new Map(machine.inputs.map((x, i) => [x.join(","), i]));
  const index = (map: Map<string, number>, code: readonly number[], what: string): number => {
    const i = map.get(code.join(","));
    if (i === undefined) throw new RangeError(`tableProgram: the machine's ${what} [${code.join(",")}] is not in its list`);
    return i;
  };
  const m = machine.inputs.length;
  const next: (number | null)[] = new Array<number | null>(machine.states.length * m).fill(null);
  for (const row of machine.transitions) {
    next[index(stateIndex, row.state, "state") * m + index(inputIndex, row.input, "input")] = index(stateIndex, row.next, "state");
  }
  const outputs: (Step | null)[] = new Array<Step | null>(machine.states.length).fill(null);
  for (const row of machine.outputs) outputs[index(stateIndex, row.state, "state")] = row.output;
  return {
    kind: "table",
    version: 1,
    inputDim: machine.inputDim,
    outputDim: machine.outputDim,
    states: machine.states.length,
    initial: index(stateIndex, machine.initial, "initial state"),
    inputs: machine.inputs,
    next,
    outputs,
  };
}

/** Table size as the leaderboard counts it: known transitions plus known outputs. */
export function tableSize(table: TableProgram): number {
  return table.next.filter((n) => n !== null).length + table.outputs.filter((o) => o !== null).length;
}

/** The outputs at every step, or null when the sequence leaves the table (an unseen state/input pair, or a state without output). */
export function runTable(table: TableProgram, xs: readonly Step[]): number[][] | null {
  const inputIndex = new Map(table.inputs.map((x, i) => [x.join(","), i]));
  let state = table.initial;
  const ys: number[][] = [];
  for (const x of xs) {
    const i = inputIndex.get(x.join(","));
    if (i === undefined) return null;
    const next = table.next[state * table.inputs.length + i];
    if (next === null || next === undefined) return null;
    state = next;
    const output = table.outputs[state];
    if (!output) return null;
    ys.push([...output]);
  }
  return ys;
}
