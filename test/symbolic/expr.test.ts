import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  type Env,
  abs, add, and, binary, c, compareExpr, eq, evaluate, exprEquals, exprKey, exprSize, floordiv, formatPython,
  formatTypeScript, ge, indexedNames, isZeroOne, ite, lt, max, min, mod, mul, ne, neg, not, or, simplify, sub,
  typeScriptHelpers, unary, v, xor,
} from "../../symbolic/expr.js";
import type { Expr } from "../../symbolic/types.js";
import { exprArbitrary, small } from "./arbitrary-expr.js";

const names = indexedNames(3, 3);
const [s0, s1, s2] = [v.state(0), v.state(1), v.state(2)];
const [x0, x1] = [v.input(0), v.input(1)];
const env = (state: number[], input: number[] = []): Env => ({ state, input });

const expectPython = (expr: Expr, text: string): void => expect(formatPython(expr, names)).toBe(text);
const expectTypeScript = (expr: Expr, text: string): void => expect(formatTypeScript(expr, names)).toBe(text);
const expectSimplified = (expr: Expr, text: string): void => expect(formatPython(simplify(expr), names)).toBe(text);

// ---------------------------------------------------------------- random expressions

/** At most 4 operator levels over [-9, 9]: `evaluate` never overflows and must agree with Python exactly. */
const exprs: fc.Arbitrary<Expr> = exprArbitrary(fc.oneof(fc.integer({ min: 0, max: 2 }).map(v.state), fc.integer({ min: 0, max: 2 }).map(v.input)));
const envs: fc.Arbitrary<Env> = fc.record({
  state: fc.array(small, { minLength: 3, maxLength: 3 }),
  input: fc.array(small, { minLength: 3, maxLength: 3 }),
});
const cases = fc.sample(fc.tuple(exprs, envs), { seed: 2402, numRuns: 600 });

// ---------------------------------------------------------------- evaluate

describe("evaluate: Python integer semantics", () => {
  const at = (expr: Expr): number | null => evaluate(expr, env([-7, 2, -2, 0], [7]));
  it("floors // and % toward −∞", () => {
    expect([at(floordiv(s0, s1)), at(mod(s0, s1)), at(floordiv(x0, s2)), at(mod(x0, s2))]).toEqual([-4, 1, -4, -1]);
    expect([at(floordiv(x0, s1)), at(mod(x0, s1)), at(floordiv(s0, s2)), at(mod(s0, s2))]).toEqual([3, 1, 3, -1]);
    expect(at(mod(c(-4), s1))).toBe(0); // not −0
  });
  it("returns null for division by zero and for results beyond the safe integers", () => {
    expect([at(floordiv(s0, v.state(3))), at(mod(s0, v.state(3)))]).toEqual([null, null]);
    expect(at(add(neg(floordiv(s0, v.state(3))), c(1)))).toBeNull();
    expect(at(mul(c(2 ** 30), c(2 ** 30)))).toBeNull();
    expect(at(add(c(Number.MAX_SAFE_INTEGER), c(1)))).toBeNull();
    expect(at(sub(c(Number.MAX_SAFE_INTEGER), c(1)))).toBe(Number.MAX_SAFE_INTEGER - 1);
  });
  it("evaluates only the chosen branch of if, but both operands of and/or/xor", () => {
    expect(at(ite(c(1), x0, floordiv(c(1), c(0))))).toBe(7);
    expect(at(ite(c(0), floordiv(c(1), c(0)), x0))).toBe(7);
    expect(at(and(c(0), floordiv(c(1), c(0))))).toBeNull();
    expect(at(or(c(1), mod(c(1), c(0))))).toBeNull();
  });
  it("yields 0/1 from comparisons and logic, treating nonzero as true", () => {
    expect([at(lt(s0, s1)), at(ge(s0, s1)), at(and(s0, s1)), at(or(c(0), s3())), at(xor(s0, s1)), at(not(s0)), at(not(c(0)))]).toEqual([1, 0, 1, 0, 0, 0, 1]);
  });
  it("throws (a bug) for a variable without a value", () => {
    expect(() => evaluate(v.input(5), env([], [1]))).toThrow(RangeError);
  });
});

function s3(): Expr {
  return v.state(3);
}

// ---------------------------------------------------------------- Python printer

describe("formatPython", () => {
  it("parenthesises only where Python needs it", () => {
    expectPython(sub(s0, sub(s1, s2)), "s0 - (s1 - s2)");
    expectPython(sub(sub(s0, s1), s2), "s0 - s1 - s2");
    expectPython(mod(neg(s0), c(3)), "-s0 % 3");
    expectPython(neg(mod(s0, c(3))), "-(s0 % 3)");
    expectPython(mod(neg(add(s0, s1)), c(3)), "-(s0 + s1) % 3");
    expectPython(floordiv(add(s0, s1), c(2)), "(s0 + s1) // 2");
    expectPython(mul(s0, add(s1, c(1))), "s0 * (s1 + 1)");
    expectPython(add(mul(c(-3), s0), c(-2)), "-3 * s0 + -2");
    expectPython(neg(c(-3)), "-(-3)");
    expectPython(neg(neg(s0)), "-(-s0)");
    expectPython(floordiv(s0, mul(s1, s2)), "s0 // (s1 * s2)");
    expectPython(mod(mod(s0, c(3)), c(2)), "s0 % 3 % 2");
  });
  it("prints comparisons as bool where a bool works, int(…) where an integer is needed", () => {
    expectPython(lt(s0, s1), "int(s0 < s1)");
    expectPython(add(s0, lt(s1, c(2))), "s0 + int(s1 < 2)");
    expectPython(min(s0, eq(s1, s2)), "min(s0, int(s1 == s2))");
    expectPython(eq(lt(s0, s1), lt(s1, s2)), "int((s0 < s1) == (s1 < s2))");
    expectPython(lt(lt(s0, s1), s2), "int((s0 < s1) < s2)");
  });
  it("prints and/or/xor as &, |, ^ on 0/1 values, and not as 1 - b or x == 0", () => {
    expectPython(and(lt(s0, s1), eq(s2, c(0))), "int((s0 < s1) & (s2 == 0))");
    expectPython(xor(s0, lt(s1, c(1))), "int((s0 != 0) ^ (s1 < 1))");
    expectPython(or(c(1), and(s0, s1)), "1 | (s0 != 0) & (s1 != 0)");
    expectPython(not(lt(s0, s1)), "1 - (s0 < s1)");
    expectPython(not(s0), "int(s0 == 0)");
    expectPython(not(not(s0)), "1 - (s0 == 0)");
  });
  it("prints if as a conditional expression", () => {
    expectPython(ite(lt(s0, s1), s0, s1), "s0 if s0 < s1 else s1");
    expectPython(add(ite(s0, s1, c(0)), c(1)), "(s1 if s0 else 0) + 1");
    expectPython(ite(s0, ite(s1, c(1), c(2)), ite(s2, c(3), c(4))), "(1 if s1 else 2) if s0 else 3 if s2 else 4");
    expectPython(ite(ite(s0, s1, s2), lt(s0, s1), c(0)), "int(s0 < s1) if (s1 if s0 else s2) else 0");
  });
  it("uses the names it is given", () => {
    expect(formatPython(add(s0, x1), { state: ["carry"], input: ["x[0]", "x[1]"] })).toBe("carry + x[1]");
    expect(() => formatPython(v.input(7), names)).toThrow(RangeError);
  });
});

describe("formatPython agrees with python3 on random expressions", () => {
  it("matches evaluate on every case, None for division by zero, never a bool", () => {
    const lines = cases.map(([expr, { state, input }]) =>
      `  (lambda s0, s1, s2, x0, x1, x2: ${formatPython(expr, names)}, ${JSON.stringify([...state, ...input])}),`);
    const script = [
      "import json",
      "cases = [",
      ...lines,
      "]",
      "out = []",
      "for f, args in cases:",
      "    try:",
      "        r = f(*args)",
      "        out.append(r if type(r) is int else repr(r))",
      "    except ZeroDivisionError:",
      "        out.append(None)",
      "print(json.dumps(out))",
    ].join("\n");
    const run = spawnSync("python3", ["-"], { input: script, encoding: "utf8" });
    expect(run.stderr).toBe("");
    const python = JSON.parse(run.stdout) as unknown[];
    const ours = cases.map(([expr, e]) => evaluate(expr, e));
    const mismatches = cases.flatMap(([expr], i) =>
      python[i] === ours[i] ? [] : [{ python: formatPython(expr, names), expected: python[i], evaluate: ours[i] }]);
    expect(mismatches).toEqual([]);
    // The sample exercises both outcomes.
    expect(ours.filter((r) => r === null).length).toBeGreaterThan(10);
    expect(ours.filter((r) => r !== null).length).toBeGreaterThan(300);
  });
});

// ---------------------------------------------------------------- TypeScript printer

/** The documented helpers, compiled from `typeScriptHelpers` itself. */
function compiledHelpers(): { floordiv: (a: number, b: number) => number; mod: (a: number, b: number) => number } {
  const js = ts.transpileModule(typeScriptHelpers, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(`${js}\nreturn { floordiv, mod };`)();
}

describe("formatTypeScript", () => {
  it("prints // and % as helper calls, Booleans as Number(…) or conditions", () => {
    expectTypeScript(floordiv(add(s0, s1), c(2)), "floordiv(s0 + s1, 2)");
    expectTypeScript(mod(neg(s0), c(3)), "mod(-s0, 3)");
    expectTypeScript(sub(s0, sub(s1, s2)), "s0 - (s1 - s2)");
    expectTypeScript(sub(s0, c(-3)), "s0 - -3");
    expectTypeScript(neg(neg(s0)), "-(-s0)");
    expectTypeScript(add(s0, lt(s1, c(2))), "s0 + Number(s1 < 2)");
    expectTypeScript(eq(lt(s0, s1), s2), "Number(Number(s0 < s1) === s2)");
    expectTypeScript(and(lt(s0, s1), s2), "Number(s0 < s1) & Number(s2 !== 0)");
    expectTypeScript(not(lt(s0, s1)), "1 - Number(s0 < s1)");
    expectTypeScript(not(s0), "Number(s0 === 0)");
    expectTypeScript(ite(lt(s0, s1), s0, s1), "s0 < s1 ? s0 : s1");
    expectTypeScript(ite(s0, max(s1, c(0)), abs(s2)), "s0 !== 0 ? Math.max(s1, 0) : Math.abs(s2)");
    expectTypeScript(mul(ite(s0, s1, s2), c(2)), "(s0 !== 0 ? s1 : s2) * 2");
  });

  it("agrees with evaluate under the documented helpers, throwing where Python raises", () => {
    const { floordiv: floordivHelper, mod: modHelper } = compiledHelpers();
    expect([floordivHelper(-7, 2), modHelper(-7, 2), modHelper(7, -2)]).toEqual([-4, 1, -1]);
    for (const [expr, { state, input }] of cases) {
      const text = formatTypeScript(expr, names);
      const f = new Function("floordiv", "mod", "s0", "s1", "s2", "x0", "x1", "x2", `return ${text};`);
      let value: number | null;
      try {
        value = f(floordivHelper, modHelper, ...state, ...input) + 0;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        value = null;
      }
      expect({ text, value }).toEqual({ text, value: evaluate(expr, { state, input }) });
    }
  });

  it("emits code that type-checks under strict TypeScript", () => {
    const dir = mkdtempSync(join(tmpdir(), "mips-expr-"));
    try {
      const file = join(dir, "program.ts");
      const body = cases.slice(0, 200).map(([expr]) => `    ${formatTypeScript(expr, names)},`).join("\n");
      writeFileSync(file, `${typeScriptHelpers}\nexport function all(s0: number, s1: number, s2: number, x0: number, x1: number, x2: number): number[] {\n  return [\n${body}\n  ];\n}\n`);
      const program = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es5.d.ts"], types: [] });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      expect(diagnostics).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------- size, equality, order

describe("exprSize, exprEquals, compareExpr, exprKey", () => {
  it("counts nodes", () => {
    expect(exprSize(add(mul(c(3), s0), c(1)))).toBe(5);
    expect(exprSize(ite(s0, neg(s1), c(0)))).toBe(5);
  });
  it("compares structurally; keys agree with equality", () => {
    expect(exprEquals(add(s0, c(1)), add(v.state(0), c(1)))).toBe(true);
    expect(exprEquals(add(s0, c(1)), add(c(1), s0))).toBe(false);
    expect(exprKey(add(s0, mul(c(3), x1)))).toBe("add(s0,mul(3,x1))");
    fc.assert(fc.property(exprs, exprs, (a, b) => (exprKey(a) === exprKey(b)) === exprEquals(a, b)));
  });
  it("orders totally: state before input, constants last, antisymmetric", () => {
    expect([c(0), x0, s1, add(s0, s1), s0].sort(compareExpr).map((e) => formatPython(e, names))).toEqual(["s0", "s1", "x0", "s0 + s1", "0"]);
    fc.assert(fc.property(exprs, exprs, (a, b) => Math.sign(compareExpr(a, b)) === -Math.sign(compareExpr(b, a))));
  });
  it("knows which expressions are 0/1", () => {
    expect([lt(s0, s1), not(s0), and(s0, s1), c(1), ite(s0, c(0), eq(s1, s2))].every((e) => isZeroOne(e))).toBe(true);
    expect([s0, c(2), add(lt(s0, s1), c(0)), ne(s0, s1)].map((e) => isZeroOne(e))).toEqual([false, false, false, true]);
  });
});

// ---------------------------------------------------------------- simplify

describe("simplify: rewrites by hand", () => {
  it("folds constants and flattens sums and products", () => {
    expectSimplified(add(add(x0, c(2)), c(3)), "x0 + 5");
    expectSimplified(sub(add(c(2), x0), c(7)), "x0 - 5");
    expectSimplified(mul(c(2), mul(x0, c(3))), "6 * x0");
    expectSimplified(floordiv(c(-7), c(2)), "-4");
    expectSimplified(add(s0, add(s1, sub(s0, s1))), "2 * s0");
    expectSimplified(sub(neg(s0), s1), "-s0 - s1");
    expectSimplified(add(neg(s0), s1), "s1 - s0");
    expectSimplified(mul(neg(s0), c(-1)), "s0");
  });
  it("removes identities", () => {
    expectSimplified(mul(add(x0, c(0)), c(1)), "x0");
    expectSimplified(sub(x0, x0), "0");
    expectSimplified(mul(x0, c(0)), "0");
    expectSimplified(neg(neg(x0)), "x0");
    expectSimplified(not(not(lt(s0, s1))), "int(s0 < s1)");
    expectSimplified(not(not(s0)), "int(s0 != 0)");
    expectSimplified(xor(lt(s0, s1), c(0)), "int(s0 < s1)");
    expectSimplified(and(c(1), lt(s0, s1)), "int(s0 < s1)");
    expectSimplified(and(s0, c(1)), "int(s0 != 0)");
    expectSimplified(xor(c(1), lt(s0, s1)), "int(s0 >= s1)");
    expectSimplified(min(x0, x0), "x0");
    expectSimplified(floordiv(s0, c(1)), "s0");
    expectSimplified(floordiv(s0, c(-1)), "-s0");
    expectSimplified(ite(lt(s0, s1), c(1), c(0)), "int(s0 < s1)");
    expectSimplified(eq(lt(s0, s1), c(0)), "int(s0 >= s1)");
    expectSimplified(ite(ne(s0, c(0)), s1, s2), "s1 if s0 else s2");
  });
  it("sorts the operands of commutative operators", () => {
    expectSimplified(add(c(3), x0), "x0 + 3");
    expectSimplified(add(x0, s0), "s0 + x0");
    expectSimplified(mul(x0, c(2)), "2 * x0");
    expectSimplified(max(c(0), x0), "max(x0, 0)");
    expectSimplified(eq(c(1), add(s0, s1)), "int(s0 + s1 == 1)");
  });
  it("keeps subterms that can fail, and the failures", () => {
    expectSimplified(mul(floordiv(s0, s1), c(0)), "0 * (s0 // s1)");
    expectSimplified(sub(add(x0, mod(s0, s1)), mod(s0, s1)), "x0 + 0 * (s0 % s1)");
    expectSimplified(and(mod(s0, s1), c(0)), "(s0 % s1 != 0) & 0"); // bool & int is an int
    expectSimplified(floordiv(c(7), c(0)), "7 // 0");
    expectSimplified(ite(c(1), x0, floordiv(c(1), c(0))), "x0");
  });
});

describe("simplify: properties", () => {
  it("preserves evaluation, including division by zero", () => {
    fc.assert(fc.property(exprs, envs, (expr, e) => evaluate(simplify(expr), e) === evaluate(expr, e)), { numRuns: 2000 });
  });
  it("is idempotent and never grows an expression", () => {
    fc.assert(
      fc.property(exprs, (expr) => {
        const once = simplify(expr);
        return exprEquals(simplify(once), once) && exprSize(once) <= exprSize(expr);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("printing variables known to hold 0 or 1", () => {
  const names = { state: ["a"], input: ["x0", "x1"] };
  const binaryNames = { ...names, binary: { state: [true], input: [true, false] } };
  const sum = xor(xor(v.state(0), v.input(0)), v.input(1));

  it("uses them bare as truth values, and only them", () => {
    expect(formatPython(sum, names)).toBe("int((a != 0) ^ (x0 != 0) ^ (x1 != 0))");
    expect(formatPython(sum, binaryNames)).toBe("a ^ x0 ^ (x1 != 0)");
    expect(formatPython(xor(v.state(0), v.input(0)), binaryNames)).toBe("a ^ x0");
    expect(formatPython(not(v.state(0)), binaryNames)).toBe("1 - a");
    expect(formatTypeScript(xor(v.state(0), v.input(0)), binaryNames)).toBe("a ^ x0");
  });

  it("agree with the formula on 0/1 values", () => {
    const program = (expr: Expr, s: number, x0: number, x1: number): number => {
      const text = formatPython(expr, binaryNames);
      const run = spawnSync("python3", ["-c", `a, x0, x1 = ${s}, ${x0}, ${x1}\nprint(${text})`], { encoding: "utf8" });
      return Number(run.stdout.trim());
    };
    for (const expr of [sum, not(v.state(0)), xor(v.state(0), v.input(0))]) {
      for (const [s, x0, x1] of [[0, 0, 0], [1, 0, 1], [1, 1, 0], [0, 1, 1], [1, 1, 3]] as const) {
        expect(program(expr, s, x0, x1)).toBe(evaluate(expr, { state: [s], input: [x0, x1] }));
      }
    }
  });
});
