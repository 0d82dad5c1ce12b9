import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runTable, tableProgram, type TableProgram } from "../../codegen/table.js";
import { emitTypeScript, runTypeScript, typeCheck } from "../../codegen/typescript.js";
import { Random } from "../../common/random.js";
import type { Machine } from "../../fsm-extract/types.js";
import { add, c, eq, exprSize, floordiv, ge, gt, ite, mod, mul, ne, not, sub, unary, v, xor } from "../../symbolic/expr.js";
import { plainRegisterNames, runProgram, type ProgramIR, type Register } from "../../symbolic/program.js";
import type { Expr, RegressionMethod } from "../../symbolic/types.js";
import { exprArbitrary, small } from "../symbolic/arbitrary-expr.js";

const formula = (expr: Expr, method: RegressionMethod = "search") => ({ expr, method, size: exprSize(expr) });
const header = { title: "a test program", lines: ["synthesized by a test"] };

function program(inputDim: number, registers: readonly Register[], outputs: readonly Expr[]): ProgramIR {
  return { kind: "program", version: 1, inputDim, outputDim: outputs.length, registers, outputs: outputs.map((e) => formula(e)), recoding: "by hand" };
}
const register = (name: string, initial: number, update: Expr): Register => ({ name, initial, update: formula(update) });

/** The emitted source; fails the test with the diagnostics when it does not type-check. */
function emitted(p: ProgramIR | TableProgram): string {
  const result = emitTypeScript(p, header);
  if (!result.ok) expect.fail(result.failure.diagnostics.join("\n"));
  return result.value;
}

function randomSequences(n: number, length: number, inputDim: number, alphabet: readonly number[], seed: number): number[][][] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => Array.from({ length }, () => Array.from({ length: inputDim }, () => alphabet[rng.int(0, alphabet.length - 1)]!)));
}

// ---------------------------------------------------------------- hand-made programs

/** a' = x, b' = a; y = a + b (new values). */
const sumLast2 = program(1, [register("a", 0, v.input(0)), register("b", 0, v.state(0))], [add(v.state(0), v.state(1))]);
/** s' = (s + x) % 5; y = s. */
const addMod5 = program(1, [register("s", 0, mod(add(v.state(0), v.input(0)), c(5)))], [v.state(0)]);
/** carry' = x0 + x1 + carry >= 2; bit' = x0 ^ x1 ^ carry; y = bit. */
const binaryAddition = program(2, [
  register("carry", 0, ge(add(add(v.input(0), v.input(1)), v.state(0)), c(2))),
  register("bit", 0, xor(xor(v.input(0), v.input(1)), v.state(0))),
], [v.state(1)]);
/** h' = (h + x) // 2 (a halving accumulator, floor toward −∞); y = h // 3, h % 4. */
const halving = program(1, [register("h", 7, floordiv(add(v.state(0), v.input(0)), c(2)))], [floordiv(v.state(0), c(3)), mod(v.state(0), c(-4))]);
/** m' = x if x > m else m (running max from −100); y = m if m > 0 else -m. */
const runningMax = program(1, [register("m", -100, ite(gt(v.input(0), v.state(0)), v.input(0), v.state(0)))], [ite(gt(v.state(0), c(0)), v.state(0), unary("neg", v.state(0)))]);
/** Three inputs, the middle one unread: d' = d + x0 - x2; y = d, x0 * x2. */
const difference = program(3, [register("d", 0, sub(add(v.state(0), v.input(0)), v.input(2)))], [v.state(0), mul(v.input(0), v.input(2))]);
/** No registers: y = x0 * x1 - x0. */
const stateless = program(2, [], [sub(mul(v.input(0), v.input(1)), v.input(0))]);

describe("emitTypeScript: formula programs", () => {
  const cases = [
    ["Sum_Last2", sumLast2, [-5, 0, 3, 9]],
    ["Add_Mod_5", addMod5, [0, 1, 2, 3, 4, -7]],
    ["Binary_Addition", binaryAddition, [0, 1]],
    ["floordiv", halving, [-9, -2, 0, 5, 8]],
    ["if", runningMax, [-120, -3, 0, 4, 50]],
    ["three inputs", difference, [-4, 0, 1, 6]],
    ["no registers", stateless, [-3, 0, 2, 7]],
  ] as const;
  for (const [name, ir, alphabet] of cases) {
    it(`${name}: the TypeScript program computes what the IR interpreter computes`, () => {
      const source = emitted(ir);
      const sequences = randomSequences(300, 12, ir.inputDim, alphabet, 1);
      expect(runTypeScript(source, sequences)).toEqual({ ok: true, value: sequences.map((xs) => runProgram(ir, xs)) });
      expect(emitted(ir)).toBe(source);
    });
  }

  it("is a readable file: header, literal initial values, new values computed before they are assigned", () => {
    const source = emitted(sumLast2);
    expect(source.startsWith("/**\n * a test program\n *\n * synthesized by a test\n */\n\n")).toBe(true);
    expect(source).toContain("export function run(xs: readonly (readonly number[])[]): number[][] {\n");
    expect(source).toContain("  let a = 0;\n  let b = 0;\n");
    expect(source).toContain("    const aNext = x;\n    const bNext = a;\n    a = aNext;\n    b = bNext;\n    ys.push([a + b]);\n");
    expect(source).not.toContain("function floordiv");
    expect(emitted(addMod5)).toContain("function mod(a: number, b: number): number {");
    expect(emitted(addMod5)).not.toContain("function floordiv");
    expect(emitted(binaryAddition)).toContain("    const x0 = step[0];\n    const x1 = step[1];\n");
    expect(emitted(difference)).not.toContain("x1");
  });

  it("keeps register names; renames only those TypeScript or the program claims", () => {
    const named = program(1, [register("carry_in", 1, v.state(1)), register("new", 2, mod(add(v.state(0), v.input(0)), c(3))), register("mod", 0, v.state(1))],
      [add(v.state(2), v.state(0))]);
    const source = emitted(named);
    expect(source).toContain("  let carry_in = 1;\n  let new_ = 2;\n  let mod_ = 0;\n");
    expect(source).toContain("    const carry_inNext = new_;\n    const new_Next = mod(carry_in + x, 3);\n    const mod_Next = new_;\n");
    const sequences = randomSequences(50, 8, 1, [-2, 1, 5], 3);
    expect(runTypeScript(source, sequences)).toEqual({ ok: true, value: sequences.map((xs) => runProgram(named, xs)) });
  });

  it("keeps the update of a register nobody reads (it can still fail) without declaring it", () => {
    const dead = program(1, [register("a", 0, floordiv(c(6), v.input(0)))], [add(v.input(0), c(1))]);
    const source = emitted(dead);
    expect(source).toContain("void (floordiv(6, x)); // register a: read by no formula");
    expect(runTypeScript(source, [[[2], [3]], [[1], [0]]])).toEqual({
      ok: false,
      failure: { sequence: 1, message: "RangeError: integer division or modulo by zero" },
    });
    expect(runProgram(dead, [[1], [0]])).toBeNull();
  });

  it("refuses a register name that would shadow the program's own names, as emitPython does", () => {
    expect(() => emitTypeScript(program(1, [register("x", 0, v.input(0))], [v.state(0)]), header)).toThrow(/register name "x"/);
  });

  it("refuses a step of the wrong width, as runProgram does", () => {
    expect(runTypeScript(emitted(binaryAddition), [[[1, 0]], [[1, 0, 1]]])).toEqual({
      ok: false,
      failure: { sequence: 1, message: "RangeError: a step has 3 inputs, the program reads 2" },
    });
  });
});

// ---------------------------------------------------------------- random programs

/**
 * Expressions over `registers` registers and `inputDim` inputs (test/symbolic/arbitrary-expr.ts):
 * with registers kept in [-9, 9], runProgram fails only on a zero divisor (never on overflow,
 * where JS would go on).
 */
function exprs(registers: number, inputDim: number): fc.Arbitrary<Expr> {
  const variables: fc.Arbitrary<Expr>[] = [fc.integer({ min: 0, max: inputDim - 1 }).map(v.input)];
  if (registers > 0) variables.push(fc.integer({ min: 0, max: registers - 1 }).map(v.state));
  return exprArbitrary(fc.oneof(...variables));
}

/** A random program and input sequences for it. Register updates are `(…) % k`, k in ±[1, 7], which keeps registers small. */
const programs = fc
  .record({ registers: fc.integer({ min: 0, max: 3 }), inputDim: fc.integer({ min: 1, max: 2 }), outputDim: fc.integer({ min: 1, max: 2 }) })
  .chain(({ registers, inputDim, outputDim }) => {
    const expr = exprs(registers, inputDim);
    const divisor = fc.oneof(fc.integer({ min: -7, max: -1 }), fc.integer({ min: 1, max: 7 }));
    const names = plainRegisterNames(registers);
    return fc.record({
      ir: fc.record({
        registers: fc.tuple(...names.map((name) => fc.tuple(small, expr, divisor).map(([initial, e, k]) => register(name, initial, mod(e, c(k)))))),
        outputs: fc.array(expr, { minLength: outputDim, maxLength: outputDim }),
      }).map(({ registers: rs, outputs }) => program(inputDim, rs, outputs)),
      sequences: fc.array(fc.array(fc.array(small, { minLength: inputDim, maxLength: inputDim }), { maxLength: 6 }), { minLength: 1, maxLength: 6 }),
    });
  });

describe("emitTypeScript: random programs", () => {
  it("type-check and agree with runProgram, failing on the first sequence where runProgram fails", () => {
    const outcomes = { agreed: 0, failed: 0 };
    fc.assert(
      fc.property(programs, ({ ir, sequences }) => {
        const emission = emitTypeScript(ir, header);
        if (!emission.ok) expect.fail(emission.failure.diagnostics.join("\n"));
        const expected = sequences.map((xs) => runProgram(ir, xs));
        const firstFailure = expected.findIndex((ys) => ys === null);
        const result = runTypeScript(emission.value, sequences);
        if (firstFailure === -1) {
          expect(result).toEqual({ ok: true, value: expected });
          outcomes.agreed++;
        } else {
          expect(result).toEqual({ ok: false, failure: { sequence: firstFailure, message: "RangeError: integer division or modulo by zero" } });
          outcomes.failed++;
        }
      }),
      { seed: 1, numRuns: 150 },
    );
    // The sample exercises both outcomes.
    expect(outcomes.agreed).toBeGreaterThan(20);
    expect(outcomes.failed).toBeGreaterThan(5);
  });

  // TypeScript narrows `a` to the literal type 0 inside `a === 0 ? … : …`; an equality against 1
  // there would be rejected (TS2367) unless the printer widens it.
  it("type-checks equalities inside branches whose condition narrowed the variable to a literal", () => {
    const a = v.state(0);
    const cases = [
      ite(not(a), eq(c(1), a), v.input(0)),
      ite(eq(a, c(2)), eq(a, c(3)), c(0)),
      ite(ne(c(2), a), c(0), ne(a, c(5))),
      ite(a, v.input(0), eq(c(4), a)),
    ];
    for (const output of cases) {
      const narrowed = program(1, [register("a", 0, v.input(0))], [output]);
      const emission = emitTypeScript(narrowed, header);
      if (!emission.ok) expect.fail(emission.failure.diagnostics.join("\n"));
      const sequences = [[[0], [1], [2], [3], [5], [0]]];
      expect(runTypeScript(emission.value, sequences)).toEqual({ ok: true, value: sequences.map((xs) => runProgram(narrowed, xs)) });
    }
  });
});

// ---------------------------------------------------------------- table programs

/** Add_Mod_3 as a finite machine: state s, input x → (s + x) % 3; the output is the state. */
function addMod3Machine(drop: (s: number, x: number) => boolean = () => false): Machine {
  const ids = [0, 1, 2];
  return {
    kind: "machine", version: 1, path: "finite", inputDim: 1, outputDim: 1, stateDim: 1,
    initial: [0],
    states: ids.map((s) => [s]),
    inputs: ids.map((x) => [x]),
    transitions: ids.flatMap((s) => ids.filter((x) => !drop(s, x)).map((x) => ({ state: [s], input: [x], next: [(s + x) % 3] }))),
    outputs: ids.map((s) => ({ state: [s], output: [s] })),
  };
}

describe("emitTypeScript: table programs", () => {
  it("Add_Mod_3: the TypeScript table computes what runTable computes", () => {
    const table = tableProgram(addMod3Machine());
    const source = emitted(table);
    expect(emitted(table)).toBe(source);
    expect(source).toContain('const INPUT_INDEX = new Map<string, number>([["0", 0], ["1", 1], ["2", 2]]);');
    expect(source).toContain("const NEXT_STATE: readonly (readonly (number | null)[])[] = [\n  [0, 1, 2],\n  [1, 2, 0],\n  [2, 0, 1],\n];");
    const sequences = randomSequences(300, 12, 1, [0, 1, 2], 2);
    expect(runTypeScript(source, sequences)).toEqual({ ok: true, value: sequences.map((xs) => runTable(table, xs)) });
  });

  it("fails on the first sequence that leaves the table, naming the input and the state", () => {
    const table = tableProgram(addMod3Machine((s, x) => s === 2 && x === 2));
    const source = emitted(table);
    expect(source).toContain("  [2, 0, null],\n");
    const sequences = [[[1], [1], [1]], [[2], [1], [2], [2]], [[7]]];
    expect(sequences.map((xs) => runTable(table, xs))).toEqual([[[1], [2], [0]], null, null]);
    expect(runTypeScript(source, sequences)).toEqual({
      ok: false,
      failure: { sequence: 1, message: "Error: input [2] in state 2 is outside the transition table" },
    });
    expect(runTypeScript(source, [[[7]]])).toEqual({
      ok: false,
      failure: { sequence: 0, message: "Error: input [7] in state 0 is outside the transition table" },
    });
  });

  it("handles multi-dimensional steps and states without output", () => {
    const table: TableProgram = {
      kind: "table", version: 1, inputDim: 2, outputDim: 2, states: 3, initial: 0,
      inputs: [[0, 1], [-1, 3]],
      next: [1, 0, null, 2, null, null],
      outputs: [[5, 6], [-7, 8], null],
    };
    const source = emitted(table);
    const sequences = [[[0, 1], [-1, 3]], [[-1, 3], [-1, 3], [0, 1]]];
    expect(sequences.map((xs) => runTable(table, xs))).toEqual([null, [[5, 6], [5, 6], [-7, 8]]]);
    expect(runTypeScript(source, [sequences[1]!])).toEqual({ ok: true, value: [[[5, 6], [5, 6], [-7, 8]]] });
    expect(runTypeScript(source, sequences)).toEqual({
      ok: false,
      failure: { sequence: 0, message: "Error: input [-1, 3] in state 1 is outside the transition table" },
    });
  });
});

// ---------------------------------------------------------------- the type-checker itself

describe("typeCheck", () => {
  it("reports type errors and unused locals, one line each", () => {
    expect(typeCheck("export function run(xs: readonly number[]): string {\n  const unused = 1;\n  return xs.length;\n}\n")).toEqual([
      "program.ts:2: 'unused' is declared but its value is never read.",
      "program.ts:3: Type 'number' is not assignable to type 'string'.",
    ]);
  });

  it("knows the ES2022 library and nothing beyond it", () => {
    expect(typeCheck("export const m = new Map<string, number>([[\"a\", 1]]);\nexport const last = [1, 2].at(-1);\n")).toEqual([]);
    expect(typeCheck("export const s = [1, 2].toSorted();\n")).toEqual([
      "program.ts:1: Property 'toSorted' does not exist on type 'number[]'. Do you need to change your target library? Try changing the 'lib' compiler option to 'es2023' or later.",
    ]);
  });
});
