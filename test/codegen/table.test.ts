import { describe, expect, it } from "vitest";
import { emitPython, emitPythonTable } from "../../codegen/python.js";
import { runTable, tableProgram, tableSize } from "../../codegen/table.js";
import { emitTypeScript } from "../../codegen/typescript.js";
import { verifyProgram, verifyPython } from "../../codegen/verify.js";
import type { Machine } from "../../fsm-extract/types.js";
import { builtinTask } from "../../benchmarks/builtin.js";
import { add, c, exprSize, mod, v } from "../../symbolic/expr.js";
import type { ProgramIR } from "../../symbolic/program.js";

/** (s + x) mod 3 as a finite machine, states numbered as s; input 2 never seen in state 2. */
function addMod3Machine(complete: boolean): Machine {
  const transitions = [];
  for (let s = 0; s < 3; s++) {
    for (let x = 0; x < 3; x++) {
      if (!complete && s === 2 && x === 2) continue;
      transitions.push({ state: [s], input: [x], next: [(s + x) % 3] });
    }
  }
  return {
    kind: "machine", version: 1, path: "finite", inputDim: 1, outputDim: 1, stateDim: 1, initial: [0],
    states: [[0], [1], [2]], inputs: [[0], [1], [2]], transitions,
    outputs: [0, 1, 2].map((s) => ({ state: [s], output: [s] })),
  };
}

const task = builtinTask("Add_Mod_3", { seed: 1, trainSize: 10, testSize: 10 })!;
const header = { title: "Add_Mod_3", lines: ["a table"] };

describe("tableProgram / runTable", () => {
  it("numbers states and inputs and runs the machine", () => {
    const table = tableProgram(addMod3Machine(true));
    expect(table).toMatchObject({ states: 3, initial: 0, next: [0, 1, 2, 1, 2, 0, 2, 0, 1] });
    expect(tableSize(table)).toBe(9 + 3);
    expect(runTable(table, [[1], [2], [2]])).toEqual([[1], [0], [2]]);
  });

  it("returns null when a sequence leaves the table", () => {
    const table = tableProgram(addMod3Machine(false));
    expect(table.next[8]).toBeNull();
    expect(runTable(table, [[2], [2]])).toBeNull();
    expect(runTable(table, [[7]])).toBeNull();
  });
});

describe("the Python table program", () => {
  it("reproduces the task on 2,000 sequences and agrees with runTable", async () => {
    const table = tableProgram(addMod3Machine(true));
    const examples = task.sample!(2000, 5);
    expect(await verifyPython(emitPythonTable(table, header), examples)).toMatchObject({ exact: true, passed: 2000 });
    for (const e of examples.slice(0, 50)) expect(runTable(table, e.x)).toEqual(e.y);
  });

  it("raises a ValueError naming the step that leaves the table", async () => {
    const source = emitPythonTable(tableProgram(addMod3Machine(false)), header);
    const result = await verifyPython(source, [{ x: [[2], [2]], y: [[2], [1]] }]);
    expect(result.exact).toBe(false);
    expect(result.error).toMatch(/ValueError: input \[2\] in state 2 is outside the transition table/);
  });

  it("labels itself as a table and has the same bytes every time", () => {
    const source = emitPythonTable(tableProgram(addMod3Machine(true)), header);
    expect(source).toContain("# Transition table: the extracted machine, listed (the docstring says why there are no formulas).");
    expect(emitPythonTable(tableProgram(addMod3Machine(true)), header)).toBe(source);
  });
});

describe("verifyProgram", () => {
  const formula = (k: number): ProgramIR => {
    const update = mod(add(v.state(0), v.input(0)), c(k));
    return {
      kind: "program", version: 1, inputDim: 1, outputDim: 1,
      registers: [{ name: "a", initial: 0, update: { expr: update, method: "search", size: exprSize(update) } }],
      outputs: [{ expr: v.state(0), method: "integer-linear", size: 1 }],
      recoding: "test",
    };
  };
  const emitBoth = (ir: ProgramIR): [string, string] => {
    const ts = emitTypeScript(ir, header);
    if (!ts.ok) throw new Error(ts.failure.diagnostics.join("\n"));
    return [emitPython(ir, header), ts.value];
  };
  const suites = [
    { name: "held-out", description: "500 sequences", required: true, examples: task.sample!(500, 11) },
    { name: "length-5x", description: "100 long sequences", required: false, examples: task.sample!(100, 12, 50) },
  ];

  it("verifies a correct program in both languages, suite by suite", async () => {
    const record = await verifyProgram(...emitBoth(formula(3)), suites);
    expect(record.verified).toBe(true);
    expect(record.generalises).toBe(true);
    expect(record.suites.map((s) => [s.name, s.sequences, s.length, s.python.exact, s.typescript?.exact])).toEqual([
      ["held-out", 500, 10, true, true],
      ["length-5x", 100, 50, true, true],
    ]);
  });

  it("does not verify a wrong program and names the first counterexample in both languages", async () => {
    const record = await verifyProgram(...emitBoth(formula(4)), suites);
    expect(record.verified).toBe(false);
    const heldOut = record.suites[0]!;
    expect(heldOut.python.counterexample).toBeDefined();
    expect(heldOut.typescript?.counterexample).toEqual(heldOut.python.counterexample);
  });

  it("a failure only at longer lengths leaves the program verified but not generalising", async () => {
    const long = { ...suites[1]!, examples: suites[1]!.examples.map((e) => ({ x: e.x, y: e.y.map((s, t) => (t === 40 ? [s[0]! + 1] : s)) })) };
    const record = await verifyProgram(...emitBoth(formula(3)), [suites[0]!, long]);
    expect(record.verified).toBe(true);
    expect(record.generalises).toBe(false);
  });

  it("an empty required suite verifies nothing", async () => {
    const record = await verifyProgram(...emitBoth(formula(3)), [{ name: "held-out", description: "none", required: true, examples: [] }]);
    expect(record.verified).toBe(false);
  });
});
