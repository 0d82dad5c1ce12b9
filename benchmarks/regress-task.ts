/**
 * Symbolic regression on one task's committed machine (benchmarks/results/machines/<Task>.json):
 * the unit of work of `npm run bench:regress`, run in a worker thread so a slow task can be stopped.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Machine } from "../fsm-extract/types.js";
import { formatPython } from "../symbolic/expr.js";
import { programNames, type ProgramIR } from "../symbolic/program.js";
import { describeRegressFailure, regress } from "../symbolic/regress.js";
import type { RegressionMethod } from "../symbolic/types.js";

export interface RegressionRow {
  readonly task: string;
  readonly path: "lattice" | "finite" | null;
  /** Finite: states; lattice: distinct codes in the machine's sample of rows. */
  readonly states: number | null;
  /** True when every register and output got a formula (checked against the machine). */
  readonly found: boolean;
  /** The method of each formula, registers first: "integer-linear", "boolean", "search", "constant". */
  readonly methods: readonly RegressionMethod[];
  /** Total node count of the program's formulas. */
  readonly formulaSize: number | null;
  /** Finite machines: rows of the machine's tables (transitions + outputs), the size of the table a program could list instead. */
  readonly tableSize: number | null;
  readonly seconds: number;
  /** How the states were re-coded (ProgramIR.recoding). */
  readonly recoding: string | null;
  /** The program's lines as Python: "name = formula  # initially v" per register, then "y0 = formula". */
  readonly program: readonly string[];
  readonly reason: string | null;
}

export async function regressTask(name: string, machinesDir: string, timeLimitMs: number, seed: number): Promise<RegressionRow> {
  const started = performance.now();
  const file = `${machinesDir}${name}.json`;
  const empty = { task: name, path: null, states: null, found: false, methods: [], formulaSize: null, tableSize: null, recoding: null, program: [] };
  if (!existsSync(file)) return { ...empty, seconds: 0, reason: "no machine (extraction found none)" };
  const machine = JSON.parse(readFileSync(file, "utf8")) as Machine;
  const described = {
    ...empty,
    path: machine.path,
    states: machine.states.length,
    tableSize: machine.path === "finite" ? machine.transitions.length + machine.outputs.length : null,
  };
  // Tasks run two at a time, one worker thread each: the searches stay in the task's thread.
  const result = await regress(machine, { timeLimitMs, searchThreads: 0, seed });
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  if (!result.ok) return { ...described, seconds, reason: describeRegressFailure(result.failure) };
  const { program, perTarget } = result.value;
  return {
    ...described,
    found: true,
    methods: perTarget.map((t) => t.method),
    formulaSize: perTarget.reduce((s, t) => s + t.size, 0),
    seconds,
    recoding: program.recoding,
    program: programLines(program),
    reason: null,
  };
}

function programLines(program: ProgramIR): string[] {
  const names = programNames(program);
  return [
    ...program.registers.map((r) => `${r.name} = ${formatPython(r.update.expr, names)}  # initially ${r.initial}`),
    ...program.outputs.map((f, j) => `y${j} = ${formatPython(f.expr, names)}`),
  ];
}
