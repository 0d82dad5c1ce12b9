import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitBoolean } from "../../symbolic/boolean.js";
import { evaluate, exprSize } from "../../symbolic/expr.js";
import type { Expr, Formula, RegressionTable, Variable } from "../../symbolic/types.js";

/** The formula's value on a row of the table. */
function evaluateRow(expr: Expr, row: readonly number[], variables: readonly Variable[]): number | null {
  const env = { state: [] as number[], input: [] as number[] };
  variables.forEach((v, i) => ((v.kind === "state" ? env.state : env.input)[v.index] = row[i]!));
  return evaluate(expr, env);
}

/**
 * Infix text: compound operands in parentheses, except a left operand with the same operator
 * (a chain) and arithmetic under a comparison.
 */
function show(expr: Expr, names: readonly string[]): string {
  const symbols: Record<string, string> = { add: "+", sub: "-", mul: "*", eq: "==", ne: "!=", ge: ">=", le: "<=", lt: "<", gt: ">", and: "and", or: "or", xor: "^" };
  const arithmetic = new Set(["add", "sub", "mul", "floordiv", "mod"]);
  const comparison = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);
  const go = (e: Expr, bare: boolean): string => {
    const wrap = (text: string): string => (bare ? text : `(${text})`);
    switch (e.kind) {
      case "const":
        return String(e.value);
      case "var":
        return names[e.variable.index]!;
      case "unary":
        return wrap(`${e.op} ${go(e.arg, false)}`);
      case "binary": {
        const chain = (c: Expr): boolean => c.kind === "binary" && (c.op === e.op || (comparison.has(e.op) && arithmetic.has(c.op)));
        const right = (c: Expr): boolean => c.kind === "binary" && comparison.has(e.op) && arithmetic.has(c.op);
        return wrap(`${go(e.left, chain(e.left))} ${symbols[e.op] ?? e.op} ${go(e.right, right(e.right))}`);
      }
      case "if":
        return wrap(`${go(e.then, false)} if ${go(e.cond, false)} else ${go(e.else, false)}`);
    }
  };
  return go(expr, true);
}

const inputs = (n: number): Variable[] => Array.from({ length: n }, (_, index) => ({ kind: "input", index }));
const names = ["a", "b", "c", "d", "e", "f", "g", "h"];

/** The full truth table of f over n 0/1 inputs (row r holds the bits of r, a most significant). */
function truthTable(n: number, f: (bits: number[]) => number): RegressionTable {
  const values = Array.from({ length: 1 << n }, (_, r) => Array.from({ length: n }, (_, i) => (r >> (n - 1 - i)) & 1));
  return { variables: inputs(n), values, targets: values.map(f) };
}

function fit(table: RegressionTable): Formula {
  const result = fitBoolean(table);
  if (!result.ok) throw new Error(`no formula: ${result.failure.detail}`);
  return result.value;
}

function expectReproduces(table: RegressionTable, formula: Formula): void {
  table.values.forEach((row, r) => expect(evaluateRow(formula.expr, row, table.variables), `row ${row}`).toBe(table.targets[r]));
  expect(formula.size).toBe(exprSize(formula.expr));
}

function expectFormula(table: RegressionTable, text: string): void {
  const formula = fit(table);
  expectReproduces(table, formula);
  expect(show(formula.expr, names)).toBe(text);
}

const count = (bits: number[]): number => bits.reduce((a, b) => a + b, 0);

describe("fitBoolean: complete truth tables", () => {
  it("recovers every 2-input function exactly, each within 4 nodes", () => {
    for (let f = 0; f < 16; f++) {
      const table = truthTable(2, (bits) => (f >> (bits[0]! * 2 + bits[1]!)) & 1);
      const formula = fit(table);
      expectReproduces(table, formula);
      expect(formula.size).toBeLessThanOrEqual(4);
    }
  });

  it("recovers every 3-input function exactly", () => {
    const sizes: number[] = [];
    for (let f = 0; f < 256; f++) {
      const table = truthTable(3, (bits) => (f >> (bits[0]! * 4 + bits[1]! * 2 + bits[2]!)) & 1);
      const formula = fit(table);
      expectReproduces(table, formula);
      sizes.push(formula.size);
    }
    // The worst are three-term sums like (not a and not b and c) or (a and not b and not c) or (a and b and c).
    expect(Math.max(...sizes)).toBe(22);
    expect(sizes.filter((size) => size <= 9).length).toBe(134);
  });

  it("prints small textbook cases in their expected shapes", () => {
    expectFormula(truthTable(2, ([a, b]) => a! & b!), "a and b");
    expectFormula(truthTable(2, ([a, b]) => a! | b!), "a or b");
    expectFormula(truthTable(2, ([a, b]) => a! ^ b!), "a ^ b");
    expectFormula(truthTable(2, ([a, b]) => 1 - (a! ^ b!)), "not (a ^ b)");
    expectFormula(truthTable(2, ([a]) => 1 - a!), "not a");
    expectFormula(truthTable(3, ([a, b, c]) => a! ^ b! ^ c!), "a ^ b ^ c");
    expectFormula(truthTable(3, (bits) => +(count(bits) >= 2)), "a + b + c >= 2");
    expectFormula(truthTable(3, (bits) => +(count(bits) === 1)), "a + b + c == 1");
    expectFormula(truthTable(3, ([a, b, c]) => (a! & b!) | c!), "(a and b) or c");
    expectFormula(truthTable(3, ([a, b, c]) => (a! ? b! : c!)), "(a and b) or ((not a) and c)");
  });

  it("recovers the ripple-carry adder's sum bit and carry from (a, b, carry)", () => {
    expectFormula(truthTable(3, ([a, b, c]) => a! ^ b! ^ c!), "a ^ b ^ c");
    expectFormula(truthTable(3, ([a, b, c]) => +(a! + b! + c! >= 2)), "a + b + c >= 2");
  });

  it("recovers parity of k bits for k up to 6 as an xor chain", () => {
    for (let k = 2; k <= 6; k++) {
      const formula = fit(truthTable(k, (bits) => count(bits) % 2));
      expect(show(formula.expr, names)).toBe(names.slice(0, k).join(" ^ "));
      expect(formula.size).toBe(2 * k - 1);
    }
  });

  it("finds parity of a subset among irrelevant inputs", () => {
    expectFormula(truthTable(4, ([a, , c, d]) => a! ^ c! ^ d!), "a ^ c ^ d");
  });
});

/**
 * The smallest sum of products (or its negation) by brute force over 4 inputs: every cube that
 * avoids the off-set, then a set-cover DP over the on-set. Sizes count nodes as exprSize does.
 */
function bruteForceSopSize(on: readonly number[], off: readonly number[]): number {
  const best = (ones: readonly number[], zeros: readonly number[]): number => {
    // A cube over 4 inputs: per input 0 (must be 0), 1 (must be 1) or 2 (free).
    const cubes: { cover: number; size: number }[] = [];
    for (let code = 0; code < 81; code++) {
      const digits = [0, 1, 2, 3].map((i) => Math.floor(code / 3 ** i) % 3);
      const inside = (m: number): boolean => digits.every((d, i) => d === 2 || d === ((m >> (3 - i)) & 1));
      if (zeros.some(inside)) continue;
      const literals = digits.filter((d) => d !== 2);
      const size = literals.length === 0 ? 1 : literals.reduce((n, d) => n + (d === 1 ? 1 : 2), 0) + literals.length - 1;
      cubes.push({ cover: ones.reduce((mask, m, j) => (inside(m) ? mask | (1 << j) : mask), 0), size });
    }
    const cost = new Array<number>(1 << ones.length).fill(Infinity);
    cost[0] = 0;
    for (let mask = 1; mask < cost.length; mask++) {
      for (const cube of cubes) if (cube.cover & mask) cost[mask] = Math.min(cost[mask]!, cost[mask & ~cube.cover]! + cube.size + 1);
    }
    return cost[cost.length - 1]! - 1;
  };
  return Math.min(best(on, off), best(off, on) + 1);
}

describe("fitBoolean: against brute force", () => {
  it("is never larger than the smallest sum of products on random partial 4-input tables", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1, 2), { minLength: 16, maxLength: 16 }), (cells) => {
        const on = cells.flatMap((c, m) => (c === 1 ? [m] : []));
        const off = cells.flatMap((c, m) => (c === 0 ? [m] : []));
        fc.pre(on.length > 0 && off.length > 0);
        const rows = [...on, ...off];
        const table: RegressionTable = {
          variables: inputs(4),
          values: rows.map((m) => [3, 2, 1, 0].map((i) => (m >> i) & 1)),
          targets: rows.map((m) => (on.includes(m) ? 1 : 0)),
        };
        const formula = fit(table);
        expectReproduces(table, formula);
        expect(formula.size).toBeLessThanOrEqual(bruteForceSopSize(on, off));
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});

describe("fitBoolean: don't-cares and domains", () => {
  it("uses absent rows as don't-cares: a partial table gives a smaller formula", () => {
    const full = truthTable(3, ([a, b, c]) => +(a! + b! + c! >= 2));
    // Majority with the rows where a = b = 1 or a = b = 0 missing is just c.
    const partial: RegressionTable = {
      variables: full.variables,
      values: full.values.filter(([a, b]) => a !== b),
      targets: full.values.flatMap(([a, b], r) => (a !== b ? [full.targets[r]!] : [])),
    };
    expectFormula(partial, "c");
    expect(fit(partial).size).toBeLessThan(fit(full).size);
  });

  it("encodes a multi-valued variable by comparisons against its observed values", () => {
    const variables: Variable[] = [{ kind: "state", index: 0 }, { kind: "input", index: 0 }];
    const rows = [0, 1, 2, 3].flatMap((s) => [0, 1].map((x) => [s, x]));
    const table = (f: (s: number, x: number) => number): RegressionTable => ({ variables, values: rows, targets: rows.map(([s, x]) => f(s!, x!)) });
    // State 0 and input 0 share index 0, so inputs are shifted to print as "x".
    const byKind = (t: RegressionTable): string => {
      const formula = fit(t);
      expectReproduces(t, formula);
      return show(renameInputs(formula.expr), ["s", "x"]);
    };
    expect(byKind(table((s) => +(s === 3)))).toBe("s == 3");
    expect(byKind(table((s) => +(s >= 2)))).toBe("s >= 2");
    expect(byKind(table((s) => +(s !== 1)))).toBe("s != 1");
    expect(byKind(table((s, x) => +(s === 0 && x === 1)))).toBe("(s == 0) and x");
    expect(byKind(table((s, x) => +(s === 3 || x === 0)))).toBe("(s == 3) or (not x)");
  });

  it("drops variables that never change", () => {
    const table: RegressionTable = { variables: inputs(2), values: [[0, 5], [1, 5]], targets: [1, 0] };
    expectFormula(table, "not a");
  });

  it("returns a constant when every target agrees", () => {
    const formula = fit({ variables: inputs(2), values: [[0, 1], [1, 1]], targets: [1, 1] });
    expect(formula).toEqual({ expr: { kind: "const", value: 1 }, method: "constant", size: 1 });
  });
});

describe("fitBoolean: failures", () => {
  it("reports inconsistent rows", () => {
    const result = fitBoolean({ variables: inputs(2), values: [[0, 1], [1, 1], [0, 1]], targets: [0, 1, 1] });
    expect(result).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "rows 0 and 2 have the same values (0,1) but targets 0 and 1",
          "reason": "inconsistent_rows",
        },
        "ok": false,
      }
    `);
  });

  it("reports targets that are not 0/1, domains that are too large and empty tables", () => {
    expect(fitBoolean({ variables: inputs(1), values: [[0], [1]], targets: [0, 2] })).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "target 2 on row 1 is not 0 or 1",
          "reason": "no_fit",
        },
        "ok": false,
      }
    `);
    const wide = Array.from({ length: 20 }, (_, i) => [i]);
    expect(fitBoolean({ variables: inputs(1), values: wide, targets: wide.map(([i]) => i! % 2) })).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "input 0 takes 20 values, more than 16",
          "reason": "no_fit",
        },
        "ok": false,
      }
    `);
    expect(fitBoolean({ variables: inputs(1), values: [], targets: [] })).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "the table has no rows",
          "reason": "no_fit",
        },
        "ok": false,
      }
    `);
  });
});

/** Map input variables to index 1 so that `show` names state 0 "s" and input 0 "x". */
function renameInputs(expr: Expr): Expr {
  switch (expr.kind) {
    case "const":
      return expr;
    case "var":
      return expr.variable.kind === "input" ? { kind: "var", variable: { kind: "input", index: expr.variable.index + 1 } } : expr;
    case "unary":
      return { ...expr, arg: renameInputs(expr.arg) };
    case "binary":
      return { ...expr, left: renameInputs(expr.left), right: renameInputs(expr.right) };
    case "if":
      return { ...expr, cond: renameInputs(expr.cond), then: renameInputs(expr.then), else: renameInputs(expr.else) };
  }
}
