import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, c, eq, exprSize, floordiv, formatPython, mod, v, xor } from "../../symbolic/expr.js";
import {
  formatProgram, plainRegisterNames, programNames, programSize, runProgram, stepProgram, validRegisterName,
  type ProgramIR,
} from "../../symbolic/program.js";
import type { Expr, Formula, RegressionMethod } from "../../symbolic/types.js";

const formula = (expr: Expr, method: RegressionMethod = "integer-linear"): Formula => ({ expr, method, size: exprSize(expr) });

function program(registers: Array<[string, number, Expr]>, outputs: Expr[], inputDim = 1): ProgramIR {
  return {
    kind: "program",
    version: 1,
    inputDim,
    outputDim: outputs.length,
    registers: registers.map(([name, initial, update]) => ({ name, initial, update: formula(update) })),
    outputs: outputs.map((e) => formula(e)),
    recoding: "hand-made",
  };
}

const [a, b] = [v.state(0), v.state(1)];
const x = v.input(0);
/** Sum_Last2: a' = x, b' = a, y = a + b (of the new registers). */
const sumLast2 = program([["a", 0, x], ["b", 0, a]], [add(a, b)]);
/** Add_Mod_5: a' = (a + x) % 5, y = a. */
const addMod5 = program([["a", 0, mod(add(a, x), c(5))]], [a]);

describe("runProgram", () => {
  it("updates registers from the old values, then reads outputs from the new ones", () => {
    expect(runProgram(sumLast2, [[3], [4], [10], [0]])).toEqual([[3], [7], [14], [10]]);
    expect(runProgram(addMod5, [[3], [4], [1], [2]])).toEqual([[3], [2], [3], [0]]);
  });

  it("updates every register at once (a swap needs no temporary)", () => {
    const swap = program([["a", 1, b], ["b", 2, a]], [a]);
    expect(runProgram(swap, [[0], [0], [0]])).toEqual([[2], [1], [2]]);
  });

  it("returns null when a formula fails (division by zero), and [] on no input", () => {
    const divide = program([["a", 0, floordiv(c(6), x)]], [a]);
    expect(runProgram(divide, [[2], [3]])).toEqual([[3], [2]]);
    expect(runProgram(divide, [[2], [0]])).toBeNull();
    expect(runProgram(divide, [])).toEqual([]);
  });

  it("steps once with stepProgram", () => {
    expect(stepProgram(sumLast2, [5, 6], [1])).toEqual({ registers: [1, 5], outputs: [6] });
  });

  it("is plain data: JSON gives back an equal program that runs the same", () => {
    const copy = JSON.parse(JSON.stringify(sumLast2)) as ProgramIR;
    expect(copy).toEqual(sumLast2);
    expect(runProgram(copy, [[1], [2]])).toEqual(runProgram(sumLast2, [[1], [2]]));
  });
});

describe("names and printing", () => {
  it("register names never shadow Python keywords, builtins or the emitted program's names", () => {
    for (const name of ["a", "carry", "last1", "bit0", "total", "q3"]) expect(validRegisterName(name), name).toBe(true);
    for (const name of ["x", "t", "xs", "ys", "run", "sum", "max", "min", "abs", "int", "if", "in", "x0", "A", "1a", ""]) {
      expect(validRegisterName(name), name).toBe(false);
    }
    expect(plainRegisterNames(4)).toEqual(["a", "b", "c", "d"]);
    expect(plainRegisterNames(30).every(validRegisterName)).toBe(true);
    expect(new Set(plainRegisterNames(30)).size).toBe(30);
  });

  it("formatProgram lists registers with their initial values, then outputs", () => {
    expect(formatProgram(sumLast2)).toMatchInlineSnapshot(`
      "registers (updated together from their old values)    init  method          size
        a = x                                               0     integer-linear  1
        b = a                                               0     integer-linear  1
      outputs (of the new registers)
        y0 = a + b                                                integer-linear  3
      recoding: hand-made"
    `);
    expect(programSize(sumLast2)).toBe(5);
  });

  it("names inputs x0, x1, … when there are several", () => {
    const adder = program([["carry", 0, xor(v.input(0), v.input(1))]], [eq(a, c(1))], 2);
    expect(programNames(adder)).toEqual({ state: ["carry"], input: ["x0", "x1"] });
  });
});

describe("the program in Python agrees with runProgram", () => {
  /** A Python run(xs) for a program, the shape DESIGN.md gives: simultaneous update, then outputs. */
  function python(ir: ProgramIR): string {
    const names = { state: ir.registers.map((r) => r.name), input: Array.from({ length: ir.inputDim }, (_, i) => `x[${i}]`) };
    const regs = ir.registers.map((r) => r.name).join(", ");
    return [
      "def run(xs):",
      `    ${regs}, = ${ir.registers.map((r) => r.initial).join(", ")},`,
      "    ys = []",
      "    for x in xs:",
      `        ${regs}, = ${ir.registers.map((r) => formatPython(r.update.expr, names)).join(", ")},`,
      `        ys.append([${ir.outputs.map((o) => formatPython(o.expr, names)).join(", ")}])`,
      "    return ys",
    ].join("\n");
  }

  it("on random sequences (fast-check), for Sum_Last2, Add_Mod_5 and a floor-division counter", () => {
    const halver = program([["a", 0, floordiv(add(a, x), c(-2))]], [mod(a, c(3))]);
    const programs = [sumLast2, addMod5, halver];
    const inputs = fc.sample(fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 1 }), { maxLength: 12 }), { numRuns: 40, seed: 5 });
    const script = [
      "import json",
      ...programs.flatMap((p, i) => [python(p).replace("def run", `def run${i}`)]),
      `inputs = json.loads(${JSON.stringify(JSON.stringify(inputs))})`,
      `print(json.dumps([[run0(xs), run1(xs), run2(xs)] for xs in inputs]))`,
    ].join("\n");
    const out = spawnSync("python3", ["-"], { input: script, encoding: "utf8" });
    expect(out.stderr).toBe("");
    const got = JSON.parse(out.stdout) as number[][][][];
    inputs.forEach((xs, n) => programs.forEach((p, i) => expect(got[n]![i], `program ${i} on ${JSON.stringify(xs)}`).toEqual(runProgram(p, xs))));
  });
});
