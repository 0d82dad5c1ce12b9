import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitPython } from "../../codegen/python.js";
import { Random } from "../../common/random.js";
import { add, c, exprSize, ge, mod, v, xor } from "../../symbolic/expr.js";
import { runProgram, type ProgramIR } from "../../symbolic/program.js";
import type { Expr, RegressionMethod } from "../../symbolic/types.js";

const formula = (expr: Expr, method: RegressionMethod = "search") => ({ expr, method, size: exprSize(expr) });

/** a' = x, b' = a; y = a + b (new values): Sum_Last2. */
const sumLast2: ProgramIR = {
  kind: "program", version: 1, inputDim: 1, outputDim: 1,
  registers: [{ name: "a", initial: 0, update: formula(v.input(0), "integer-linear") }, { name: "b", initial: 0, update: formula(v.state(0), "integer-linear") }],
  outputs: [formula(add(v.state(0), v.state(1)), "integer-linear")],
  recoding: "lattice codes as extracted",
};

/** s' = (s + x) % 5; y = s: Add_Mod_5 (with a negative-safe modulo). */
const addMod5: ProgramIR = {
  kind: "program", version: 1, inputDim: 1, outputDim: 1,
  registers: [{ name: "s", initial: 0, update: formula(mod(add(v.state(0), v.input(0)), c(5))) }],
  outputs: [formula(v.state(0), "integer-linear")],
  recoding: "states numbered by output",
};

/** Binary addition, LSB first: carry' = x0 + x1 + carry >= 2; out = x0 ^ x1 ^ carry (old carry = new sum bit trick not used). */
const binaryAddition: ProgramIR = {
  kind: "program", version: 1, inputDim: 2, outputDim: 1,
  registers: [
    { name: "carry", initial: 0, update: formula(ge(add(add(v.input(0), v.input(1)), v.state(0)), c(2)), "boolean") },
    { name: "bit", initial: 0, update: formula(xor(xor(v.input(0), v.input(1)), v.state(0)), "boolean") },
  ],
  outputs: [formula(v.state(1), "integer-linear")],
  recoding: "bits",
};

/** Run a Python file as a script on JSON Lines; one parsed output per line. */
function runPythonScript(source: string, lines: readonly string[]): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), "mips-py-"));
  const file = join(dir, "program.py");
  writeFileSync(file, source);
  const result = spawnSync("python3", [file], { input: lines.join("\n") + "\n", encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown);
}

function randomSequences(n: number, length: number, inputDim: number, alphabet: readonly number[], seed: number): number[][][] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => Array.from({ length }, () => Array.from({ length: inputDim }, () => alphabet[rng.int(0, alphabet.length - 1)]!)));
}

describe("emitPython", () => {
  for (const [name, ir, alphabet] of [["Sum_Last2", sumLast2, [-5, 0, 3, 9]], ["Add_Mod_5", addMod5, [0, 1, 2, 3, 4, -7]], ["Binary_Addition", binaryAddition, [0, 1]]] as const) {
    it(`${name}: the emitted script computes what the IR interpreter computes`, () => {
      const source = emitPython(ir, { title: name, lines: ["synthesized by a test"] });
      const sequences = randomSequences(200, 12, ir.inputDim, alphabet, 1);
      const outputs = runPythonScript(source, sequences.map((xs) => JSON.stringify(xs)));
      expect(outputs).toEqual(sequences.map((xs) => runProgram(ir, xs)));
    });
  }

  it("reads objects with an x field and bare numbers as 1-dimensional steps", () => {
    const source = emitPython(sumLast2, { title: "Sum_Last2", lines: [] });
    expect(runPythonScript(source, ['{"x": [3, 4, 5], "y": [3, 7, 9]}', "[[1], [2]]", "[7, 8]"])).toEqual([[[3], [7], [9]], [[1], [3]], [[7], [15]]]);
  });

  it("is a readable, deterministic file: one tuple update, literal initial values, docstring", () => {
    const source = emitPython(sumLast2, { title: "Sum_Last2", lines: ['a docstring line with """ quotes and a \\ backslash'] });
    expect(source).toBe(emitPython(sumLast2, { title: "Sum_Last2", lines: ['a docstring line with """ quotes and a \\ backslash'] }));
    expect(source).toContain("    a, b = 0, 0\n");
    expect(source).toContain("        a, b = x, a\n");
    expect(source).toContain("        ys.append([a + b])\n");
    const result = spawnSync("python3", ["-c", "import ast, sys; m = ast.parse(sys.stdin.read()); print(ast.get_docstring(m))"], { input: source, encoding: "utf8" });
    expect(result.stdout).toContain('a docstring line with """ quotes and a \\ backslash');
  });

  it("refuses a register name that would shadow the program's own names", () => {
    const bad: ProgramIR = { ...sumLast2, registers: [{ ...sumLast2.registers[0]!, name: "ys" }, sumLast2.registers[1]!] };
    expect(() => emitPython(bad, { title: "t", lines: [] })).toThrow(/register name "ys"/);
  });
});
