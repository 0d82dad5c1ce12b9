import { describe, expect, it } from "vitest";
import { builtinTask } from "../../benchmarks/builtin.js";
import { emitPython } from "../../codegen/python.js";
import { verifyPython } from "../../codegen/verify.js";
import { add, c, exprSize, mod, v } from "../../symbolic/expr.js";
import type { ProgramIR } from "../../symbolic/program.js";
import type { Expr } from "../../symbolic/types.js";

const formula = (expr: Expr) => ({ expr, method: "search" as const, size: exprSize(expr) });
const addMod = (k: number): ProgramIR => ({
  kind: "program", version: 1, inputDim: 1, outputDim: 1,
  registers: [{ name: "a", initial: 0, update: formula(mod(add(v.state(0), v.input(0)), c(k))) }],
  outputs: [formula(v.state(0))],
  recoding: "test",
});

describe("verifyPython", () => {
  const task = builtinTask("Add_Mod_5", { seed: 3, trainSize: 10, testSize: 10 })!;
  const heldOut = task.sample!(6000, 99);

  it("passes a correct program on 6,000 sequences (two python3 batches) and at 5× the length", async () => {
    const source = emitPython(addMod(5), { title: "Add_Mod_5", lines: [] });
    expect(await verifyPython(source, heldOut)).toEqual({ sequences: 6000, passed: 6000, exact: true });
    expect((await verifyPython(source, task.sample!(200, 5, 50))).exact).toBe(true);
  });

  it("reports the first counterexample of a wrong program", async () => {
    const result = await verifyPython(emitPython(addMod(4), { title: "wrong", lines: [] }), heldOut);
    expect(result.exact).toBe(false);
    const ce = result.counterexample!;
    const sum = ce.input.reduce((s, x) => s + x[0]!, 0);
    expect(ce.expected).toEqual([sum % 5]);
    expect(ce.got).toEqual([sum % 4]);
    expect(ce.input).toHaveLength(ce.step + 1);
    expect(result.passed).toBe(ce.sequence);
  });

  it("says why when python3 cannot run the program", async () => {
    const result = await verifyPython("def run(xs:\n", heldOut.slice(0, 3));
    expect(result.exact).toBe(false);
    expect(result.error).toMatch(/^python3: SyntaxError/);
  });
});
