import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Machine } from "../../fsm-extract/types.js";
import { formatPython } from "../../symbolic/expr.js";
import { programNames, runProgram, type ProgramIR } from "../../symbolic/program.js";
import { fitsTable } from "../../symbolic/methods.js";
import { regress, regressionTables, type RegressOptions, type RegressionResult } from "../../symbolic/regress.js";
import { finiteMachine, latticeMachine, randomSequences, runMachine, shuffledStates } from "./machines.js";

const bits = [[0], [1]];
const pairs = [0, 1].flatMap((p) => [0, 1].map((q) => [p, q]));
const digits = (n: number): number[][] => Array.from({ length: n }, (_, x) => [x]);
/** In this thread: the tests run from source, where worker threads would need the build. */
const inThread: RegressOptions = { searchThreads: 0 };

async function regressOk(machine: Machine, options: RegressOptions = inThread): Promise<RegressionResult> {
  const result = await regress(machine, options);
  if (!result.ok) throw new Error(`regress failed: ${result.failure.target}: ${result.failure.detail}`);
  return result.value;
}

/** The program as lines "name = formula" and "y0 = formula" (init in brackets when not 0). */
function lines(program: ProgramIR): string[] {
  const names = programNames(program);
  return [
    ...program.registers.map((r) => `${r.name}${r.initial !== 0 ? ` [${r.initial}]` : ""} = ${formatPython(r.update.expr, names)}`),
    ...program.outputs.map((f, j) => `y${j} = ${formatPython(f.expr, names)}`),
  ];
}

/** The program reproduces the machine on random sequences, as far as the machine is defined. */
function expectReproduces(program: ProgramIR, machine: Machine, count = 200, length = 16): void {
  for (const xs of randomSequences(machine, count, length)) {
    const expected = runMachine(machine, xs);
    expect(runProgram(program, xs.slice(0, expected.length)), `inputs ${JSON.stringify(xs)}`).toEqual(expected);
  }
}

// ---------------------------------------------------------------- machines

/** Sum_Last2 as a lattice: z = (x_t, x_{t−1}), y = z0 + z1. */
const sumLast2 = latticeMachine([0, 0], digits(10), (z, x) => [x[0]!, z[0]!], (z) => [z[0]! + z[1]!]);

/** Add_Mod_5 with shuffled state numbers. */
function addMod5(seed: number): Machine {
  const number = shuffledStates(5, seed);
  const sumOf = (s: number): number => number.indexOf(s);
  return finiteMachine(5, digits(5), (s, x) => number[(sumOf(s) + x[0]!) % 5]!, sumOf);
}

/** Binary addition, least significant bit first: state 2·carry + sum bit, shuffled. */
function binaryAddition(seed: number): Machine {
  const number = shuffledStates(4, seed);
  const step = (s: number, x: readonly number[]): number => {
    const total = x[0]! + x[1]! + (s >> 1);
    return ((total >> 1) << 1) | (total & 1);
  };
  return finiteMachine(4, pairs, (s, x) => number[step(number.indexOf(s), x)]!, (s) => number.indexOf(s) & 1);
}

/** Parity of all bits seen. */
const parity = finiteMachine(2, bits, (s, x) => s ^ x[0]!, (s) => s);

/** Divisibility by 3 of a binary number read most significant bit first: state = remainder, output 1 when 0. */
const div3 = finiteMachine(3, bits, (r, x) => (2 * r + x[0]!) % 3, (r) => (r === 0 ? 1 : 0));

describe("regress recovers known programs", () => {
  it("Sum_Last2 (lattice): a shift register and a sum", async () => {
    const { program, perTarget } = await regressOk(sumLast2);
    expect(lines(program)).toEqual(["last1 = x", "last2 = last1", "y0 = last1 + last2"]);
    expect(perTarget.map((t) => `${t.target}: ${t.method} ${t.size}`)).toEqual([
      "register last1: integer-linear 1",
      "register last2: integer-linear 1",
      "output 0: integer-linear 3",
    ]);
    expect(program.recoding).toBe("lattice codes as extracted");
  });

  it("a lattice with offsets (the paper's `a = -b + x + 99`) reads without them", async () => {
    const shifted = latticeMachine([99, -3], digits(10), (z, x) => [x[0]! + 99, z[0]! - 102], (z) => [z[0]! + z[1]! - 96]);
    const { program } = await regressOk(shifted);
    expect(lines(program)).toEqual(["last1 = x", "last2 = last1", "y0 = last1 + last2"]);
    expect(program.recoding).toMatch(/minus the initial code \[99, -3\]/);
  });

  it("Sum_All (lattice): an accumulator named total", async () => {
    const sumAll = latticeMachine([0], digits(10), (z, x) => [z[0]! + x[0]!], (z) => [z[0]!]);
    expect(lines((await regressOk(sumAll)).program)).toEqual(["total = total + x", "y0 = total"]);
  });

  it("Add_Mod_5 numbered arbitrarily: re-coded by output, s' = (s + x) % 5", async () => {
    const { program, perTarget } = await regressOk(addMod5(3));
    expect(lines(program)).toEqual(["a = (a + x) % 5", "y0 = a"]);
    expect(perTarget.map((t) => t.method)).toEqual(["search", "integer-linear"]);
    expect(program.recoding).toBe("finite states numbered by their output value");
  });

  it("binary addition numbered arbitrarily: carry and sum bit", async () => {
    const machine = binaryAddition(5);
    const { program } = await regressOk(machine);
    expect(lines(program)).toEqual(["a = int(a + x0 + x1 >= 2)", "b = a ^ x0 ^ x1", "y0 = b"]);
    expect(program.recoding).toMatch(/closed partition of 2 blocks/);
    expectReproduces(program, machine);
  });

  it("parity: an exclusive or", async () => {
    const { program } = await regressOk(parity);
    expect(lines(program)).toEqual(["a = a ^ x", "y0 = a"]);
  });

  it("divisibility by 3, most significant bit first: the long-division remainder", async () => {
    const { program } = await regressOk(div3);
        // (x − a) % 3 is (2a + x) % 3, one node smaller.
    expect(lines(program)).toEqual(["a = (x - a) % 3", "y0 = int(a == 0)"]);
  });

  it("parity of the last 3 bits: a shift register of inputs", async () => {
    const machine = finiteMachine(8, bits, (s, x) => ((s << 1) | x[0]!) & 7, (s) => ((s >> 2) ^ (s >> 1) ^ s) & 1);
    const { program } = await regressOk(machine);
    expect(lines(program)).toEqual(["last1 = x", "last2 = last1", "last3 = last2", "y0 = last1 ^ last2 ^ last3"]);
  });
});

describe("what regress returns", () => {
  it("every formula fits its table and the program reproduces the machine (fast-check, random machines)", async () => {
    const machines = fc.record({
      n: fc.integer({ min: 1, max: 5 }),
      a: fc.integer({ min: 1, max: 3 }),
      table: fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
      outputs: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(machines, async ({ n, a, table, outputs }) => {
        const machine = finiteMachine(n, digits(a), (s, x) => table[s * a + x[0]!]! % n, (s) => outputs[s]!);
        const { program } = await regressOk(machine, { ...inThread, timeLimitMs: 20_000 });
        expectReproduces(program, machine, 50, 10);
      }),
      { numRuns: 12, seed: 4 },
    );
  });

  it("the register and output tables read old registers and new registers", () => {
    const { registers, outputs } = regressionTables(addMod5(3));
    expect(registers).toHaveLength(1);
    expect(outputs).toHaveLength(1);
    expect(registers[0]!.values).toHaveLength(25);
    // Output rows: (state entered, input) → its output.
    const first = outputs[0]!;
    first.values.forEach((row, r) => expect(first.targets[r]).toBe(addMod5Sum(3, row[0]!)));
  });

  it("reports the re-codings it weighed and the methods per target", async () => {
    const result = await regressOk(addMod5(3));
    expect(result.recodings.find((r) => r.name === "by-output")).toEqual({ name: "by-output", size: 6, detail: "6 nodes" });
    const register = result.perTarget[0]!;
    expect(register.attempts.map((a) => a.method)).toEqual(["constant", "integer-linear", "boolean", "search"]);
    expect(register.attempts.at(-1)!.size).toBe(5);
    // The formula is for the re-coded states: it does not fit the shuffled numbering as given.
    expect(fitsTable(result.program.registers[0]!.update.expr, regressionTables(addMod5(3)).registers[0]!)).toBe(false);
  });

  it("is deterministic: the same machine gives the same program", async () => {
    const first = await regressOk(binaryAddition(9));
    const second = await regressOk(binaryAddition(9));
    expect(JSON.stringify(second.program)).toBe(JSON.stringify(first.program));
    expect(JSON.parse(JSON.stringify(first.program))).toEqual(first.program);
  });

  it("reports no fit within the time budget, naming the target", async () => {
    // Outputs that are a hash of a 2-D code: no cheap method fits, nothing small to search for.
    const hash = (z: readonly number[]): number => (((z[0]! * 7919 + z[1]! * 104729) % 1009) + 1009) % 1009;
    const machine = latticeMachine([0, 0], digits(10), (z, x) => [x[0]!, z[0]!], (z) => [hash(z)], 60, 10);
    const started = performance.now();
    const result = await regress(machine, { ...inThread, timeLimitMs: 3000 });
    const seconds = (performance.now() - started) / 1000;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect({ target: result.failure.target, reason: result.failure.reason }).toMatchInlineSnapshot(`
      {
        "reason": "budget_exhausted",
        "target": "output 0",
      }
    `);
    expect(seconds).toBeLessThan(8);
  });
});

describe("searches on worker threads", () => {
  // The workers run the compiled search under dist/, which `npm test` builds before vitest starts;
  // compiling here would rewrite dist/ while other test files run the CLI from it.

  it("give the same program as the in-thread search", async () => {
    const machine = addMod5(6);
    const inWorkers = await regressOk(machine, { searchThreads: 2 });
    const here = await regressOk(machine);
    expect(inWorkers.program).toEqual(here.program);
  });
});

function addMod5Sum(seed: number, state: number): number {
  return shuffledStates(5, seed).indexOf(state);
}
