import { describe, expect, it } from "vitest";
import { Random } from "../../common/random.js";
import { applyBinary, evaluate, exprSize, formatPython } from "../../symbolic/expr.js";
import { searchFormula, searchFormulaInWorker, type SearchOptions } from "../../symbolic/search.js";
import type { BinaryOp, Expr, Formula, RegressionTable, Variable } from "../../symbolic/types.js";

const s: Variable = { kind: "state", index: 0 };
const x: Variable = { kind: "input", index: 0 };
const y: Variable = { kind: "input", index: 1 };
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const names = { state: ["s"], input: ["x", "y"] };

/** Every combination of the domains, with the target f of each row. */
function table(variables: Variable[], domains: number[][], f: (...values: number[]) => number): RegressionTable {
  let values: number[][] = [[]];
  for (const domain of domains) values = values.flatMap((row) => domain.map((v) => [...row, v]));
  return { variables, values, targets: values.map((row) => f(...row)) };
}

function evaluateRow(expr: Expr, row: readonly number[], variables: readonly Variable[]): number | null {
  const env = { state: [] as number[], input: [] as number[] };
  variables.forEach((v, i) => ((v.kind === "state" ? env.state : env.input)[v.index] = row[i]!));
  return evaluate(expr, env);
}

function expectFits(t: RegressionTable, formula: Formula): void {
  t.values.forEach((row, r) => expect(evaluateRow(formula.expr, row, t.variables), `row ${row}`).toBe(t.targets[r]));
  expect(formula.size).toBe(exprSize(formula.expr));
}

/** Search, check the formula on every row and its size, and return it as Python. */
function expectFormula(t: RegressionTable, size: number, options: SearchOptions = {}): string {
  const result = searchFormula(t, options);
  if (!result.ok) throw new Error(`no formula: ${result.failure.detail}`);
  expectFits(t, result.value);
  expect(result.value.size).toBe(size);
  expect(result.value.method).toBe("search");
  return formatPython(result.value.expr, names);
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const mod = (a: number, b: number): number => a - b * Math.floor(a / b);

describe("searchFormula: the targets of the paper's tasks", () => {
  it("(s + x) % k for k = 2..9", () => {
    expect(expectFormula(table([s, x], [range(2), range(2)], (a, b) => (a + b) % 2), 3)).toBe("int(s != x)");
    for (let k = 3; k <= 9; k++) {
      expect(expectFormula(table([s, x], [range(k), range(k)], (a, b) => (a + b) % k), 5)).toBe(`(s + x) % ${k}`);
    }
  });

  it("long division by 7: remainder and quotient of 2r + x", () => {
    const digits = [range(7), range(2)];
    expect(expectFormula(table([s, x], digits, (r, b) => mod(2 * r + b, 7)), 7)).toBe("(x + 2 * s) % 7");
    // The quotient bit is smaller as a comparison: 2r + x >= 7 exactly when r > 3 - x.
    expectFormula(table([s, x], digits, (r, b) => floorDiv(2 * r + b, 7)), 5);
    // In decimal the quotient digit needs the division.
    const decimal = [range(7), range(10)];
    expect(expectFormula(table([s, x], decimal, (r, b) => floorDiv(10 * r + b, 7)), 7)).toBe("(x + 10 * s) // 7");
    // 10 ≡ 3 (mod 7).
    expect(expectFormula(table([s, x], decimal, (r, b) => mod(10 * r + b, 7)), 7)).toBe("(x + 3 * s) % 7");
  });

  it("min, max, abs of a difference, equality, and a counter that counts zeros", () => {
    const grid = [range(6), range(6)];
    expect(expectFormula(table([s, x], grid, Math.max), 3)).toBe("max(s, x)");
    expect(expectFormula(table([s, x], grid, Math.min), 3)).toBe("min(s, x)");
    expect(expectFormula(table([x, y], grid, (a, b) => Math.abs(a - b)), 4)).toBe("abs(x - y)");
    expect(expectFormula(table([x, y], grid, (a, b) => +(a === b)), 3)).toBe("int(x == y)");
    expect(expectFormula(table([s, x], [range(6), range(3)], (a, b) => a + +(b === 0)), 5)).toBe("s + int(x == 0)");
  });

  it("constants, a single variable, and a conditional", () => {
    expect(searchFormula(table([s, x], [range(3), range(3)], () => 4))).toEqual({ ok: true, value: { expr: { kind: "const", value: 4 }, method: "constant", size: 1 } });
    expect(expectFormula(table([s, x], [range(3), range(3)], (_, b) => b), 1)).toBe("x");
    expect(expectFormula(table([s, x], [range(4), range(4)], (a, b) => a - b + 1), 5)).toBe("s + (1 - x)");
    // Reset on input 0, else count up, saturating at 3.
    expectFormula(table([s, x], [range(4), range(2)], (a, b) => (b === 0 ? 0 : Math.min(a + 1, 3))), 7);
  });
});

/**
 * The reference: plain bottom-up enumeration over the documented grammar, one value vector per
 * expression computed by expr.ts `applyBinary`, each vector kept once; the size of the first
 * expression equal to the target. No hash tricks, no root checks.
 */
function referenceSize(t: RegressionTable, constants: readonly number[], maxSize: number, maxIfSize = 7): number | null {
  type Entry = { vals: number[]; kind: "var" | "const" | "node"; value?: number };
  const key = (vals: readonly number[]): string => vals.join(",");
  const targetKey = key(t.targets);
  const seen = new Set<string>();
  const levels: Entry[][] = [[], []];
  const columns = t.variables.map((_, v) => t.values.map((row) => row[v]!));
  for (const vals of columns) if (new Set(vals).size > 1 && !seen.has(key(vals))) seen.add(key(vals)), levels[1]!.push({ vals, kind: "var" });
  for (const c of constants) {
    const vals = t.targets.map(() => c);
    if (!seen.has(key(vals))) seen.add(key(vals)), levels[1]!.push({ vals, kind: "const", value: c });
  }
  if (levels[1]!.some((e) => key(e.vals) === targetKey)) return 1;
  const ops: BinaryOp[] = ["add", "sub", "min", "max", "eq", "ne", "lt", "le", "gt", "ge"];
  for (let size = 2; size <= maxSize; size++) {
    const level: Entry[] = [];
    let hit = false;
    const offer = (vals: (number | null)[]): void => {
      if (vals.some((v) => v === null || Math.abs(v) > 2 ** 31 - 1) || new Set(vals).size === 1) return;
      const k = key(vals as number[]);
      if (k === targetKey) hit = true;
      if (!seen.has(k)) seen.add(k), level.push({ vals: vals as number[], kind: "node" });
    };
    for (const a of levels[size - 1]!) offer(a.vals.map(Math.abs));
    for (let i = 1; i <= size - 2; i++) {
      for (const a of levels[i]!) {
        for (const b of levels[size - 1 - i]!) {
          const pair = (op: BinaryOp): (number | null)[] => a.vals.map((v, r) => applyBinary(op, v, b.vals[r]!));
          for (const op of ops) offer(pair(op));
          if (a.kind !== "node") offer(pair("mul"));
          if (b.kind === "var" || (b.kind === "const" && b.value! >= 2)) (offer(pair("floordiv")), offer(pair("mod")));
        }
      }
    }
    if (size <= maxIfSize) {
      for (let i = 1; i <= size - 3; i++) {
        for (let j = 1; i + j <= size - 2; j++) {
          for (const c of levels[i]!.filter((e) => e.vals.every((v) => v === 0 || v === 1))) {
            for (const a of levels[j]!) for (const b of levels[size - 1 - i - j]!) offer(c.vals.map((v, r) => (v ? a.vals[r]! : b.vals[r]!)));
          }
        }
      }
    }
    if (hit) return size;
    levels.push(level);
  }
  return null;
}

/** A random expression over s, x and small constants, for targets that have small formulas. */
function randomExpr(rng: Random, size: number): Expr {
  if (size <= 2) return rng.next() < 0.7 ? { kind: "var", variable: rng.next() < 0.5 ? s : x } : { kind: "const", value: rng.int(0, 3) };
  if (size >= 6 && rng.next() < 0.15) {
    const cond: Expr = { kind: "binary", op: "lt", left: { kind: "var", variable: s }, right: { kind: "var", variable: x } };
    return { kind: "if", cond, then: randomExpr(rng, 1), else: randomExpr(rng, size - 5) };
  }
  if (rng.next() < 0.1) return { kind: "unary", op: "abs", arg: randomExpr(rng, size - 1) };
  const ops: BinaryOp[] = ["add", "sub", "mul", "floordiv", "mod", "min", "max", "eq", "lt", "le", "ne"];
  const op = ops[rng.int(0, ops.length - 1)]!;
  const left = rng.int(1, size - 2);
  if (op === "floordiv" || op === "mod") return { kind: "binary", op, left: randomExpr(rng, size - 2), right: { kind: "const", value: rng.int(2, 5) } };
  return { kind: "binary", op, left: randomExpr(rng, left), right: randomExpr(rng, size - 1 - left) };
}

describe("searchFormula: minimal against the reference enumerator", () => {
  it("finds formulas of the reference's size on random small tables", () => {
    const rng = new Random(2024);
    const constants = [0, 1, 2, 3];
    const sizes: (number | null)[] = [];
    while (sizes.length < 30) {
      // Mostly targets of random expressions; every fourth a random 0/1 vector.
      const expr = randomExpr(rng, rng.int(4, 10));
      const noise = sizes.length % 4 === 3;
      const t = table([s, x], [range(4), range(3)], (a, b) => (noise ? rng.int(0, 1) : evaluate(expr, { state: [a], input: [b] }) ?? NaN));
      if (t.targets.some((v) => Number.isNaN(v)) || new Set(t.targets).size === 1) continue;
      const expected = referenceSize(t, constants, 7);
      if (expected !== null && expected < 3) continue;
      sizes.push(expected);
      const result = searchFormula(t, { constants, maxSize: 7 });
      expect(result.ok, JSON.stringify(t.targets)).toBe(expected !== null);
      if (result.ok) {
        expectFits(t, result.value);
        expect(result.value.size, JSON.stringify(t.targets)).toBe(expected);
      }
    }
    // The comparison covers sizes from 3 to 7 and tables with no formula.
    expect(new Set(sizes)).toEqual(new Set([3, 5, 6, 7, null]));
  });
});

describe("searchFormula: failures and budgets", () => {
  const noise = (): RegressionTable => {
    const rng = new Random(7);
    return table([s, x], [range(7), range(2)], () => rng.int(0, 9));
  };

  it("reports no fit within the size budget", () => {
    expect(searchFormula(noise(), { maxSize: 7 })).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "no formula of size ≤ 7 fits",
          "reason": "budget_exhausted",
        },
        "ok": false,
      }
    `);
  });

  it("reports the candidate budget and the time limit with the size reached", () => {
    expect(searchFormula(noise(), { maxCandidates: 20_000 })).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "no formula of size ≤ 5 fits; the candidate budget (20000) ran out while searching size 6",
          "reason": "budget_exhausted",
        },
        "ok": false,
      }
    `);
    const result = searchFormula(noise(), { timeLimitMs: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.detail).toMatch(/^no formula of size ≤ \d+ fits; the time limit \(0 ms\) fired while searching size \d+$/);
  });

  it("reports inconsistent rows and empty tables", () => {
    const t: RegressionTable = { variables: [s, x], values: [[0, 1], [1, 1], [0, 1]], targets: [0, 1, 2] };
    expect(searchFormula(t)).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "rows 0 and 2 have the same values (0,1) but targets 0 and 2",
          "reason": "inconsistent_rows",
        },
        "ok": false,
      }
    `);
    expect(searchFormula({ variables: [s], values: [], targets: [] })).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "the table has no rows",
          "reason": "no_fit",
        },
        "ok": false,
      }
    `);
  });

  it("is deterministic", () => {
    const t = table([s, x], [range(7), range(10)], (r, b) => mod(10 * r + b, 7));
    expect(searchFormula(t)).toEqual(searchFormula(t));
  });
});

describe("searchFormulaInWorker", () => {
  // The worker runs the compiled JavaScript under dist/, which `npm test` builds before vitest starts;
  // compiling here would rewrite dist/ while other test files run the CLI from it.

  it("gives the same answers as the in-process search, two at a time", async () => {
    const tables = [
      table([s, x], [range(7), range(2)], (r, b) => mod(2 * r + b, 7)),
      table([s, x], [range(5), range(5)], (a, b) => (a + b) % 5),
    ];
    const inWorkers = await Promise.all(tables.map((t) => searchFormulaInWorker(t)));
    expect(inWorkers).toEqual(tables.map((t) => searchFormula(t)));
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const rng = new Random(3);
    const hard = table([x, y], [range(12), range(12)], () => rng.int(0, 1));
    const pending = searchFormulaInWorker(hard, { maxSize: 12, timeLimitMs: 60_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toEqual({ ok: false, failure: { reason: "budget_exhausted", detail: "cancelled" } });
  });
});
