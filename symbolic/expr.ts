/**
 * Expressions (symbolic/types.ts `Expr`): build, evaluate, measure, compare, print as Python or
 * TypeScript, simplify.
 *
 * Semantics, which the printers and `simplify` follow (Python's, on integers):
 * - `//` and `%` floor toward −∞ (-7 // 2 = -4, -7 % 2 = 1, 7 % -2 = -1); x // 0 and x % 0 are errors.
 * - Comparisons yield 0/1. `and`, `or`, `xor` treat nonzero as true and yield 0/1; both operands
 *   are evaluated (Python's `&`, `|`, `^` do not short-circuit). `not` maps 0 → 1, anything else → 0.
 * - `if(c, t, e)` is t when c ≠ 0, else e; only the chosen branch is evaluated (`t if c else e`).
 *
 * `evaluate` works on JS numbers. It returns null on an error: division or modulo by zero, or a
 * result outside the safe integers (Python would go on with big integers; rather than round, we
 * stop). Inputs (constants and variable values) must be safe integers.
 */
import type { BinaryOp, Expr, UnaryOp, Variable } from "./types.js";

// ---------------------------------------------------------------- construction

export const c = (value: number): Expr => ({ kind: "const", value });
export const variable = (variable: Variable): Expr => ({ kind: "var", variable });
export const v = {
  state: (index: number): Expr => variable({ kind: "state", index }),
  input: (index: number): Expr => variable({ kind: "input", index }),
};

export const unary = (op: UnaryOp, arg: Expr): Expr => ({ kind: "unary", op, arg });
export const binary = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: "binary", op, left, right });
export const ite = (cond: Expr, then: Expr, otherwise: Expr): Expr => ({ kind: "if", cond, then, else: otherwise });

export const neg = (a: Expr): Expr => unary("neg", a);
export const abs = (a: Expr): Expr => unary("abs", a);
export const not = (a: Expr): Expr => unary("not", a);
export const add = (a: Expr, b: Expr): Expr => binary("add", a, b);
export const sub = (a: Expr, b: Expr): Expr => binary("sub", a, b);
export const mul = (a: Expr, b: Expr): Expr => binary("mul", a, b);
export const floordiv = (a: Expr, b: Expr): Expr => binary("floordiv", a, b);
export const mod = (a: Expr, b: Expr): Expr => binary("mod", a, b);
export const min = (a: Expr, b: Expr): Expr => binary("min", a, b);
export const max = (a: Expr, b: Expr): Expr => binary("max", a, b);
export const eq = (a: Expr, b: Expr): Expr => binary("eq", a, b);
export const ne = (a: Expr, b: Expr): Expr => binary("ne", a, b);
export const lt = (a: Expr, b: Expr): Expr => binary("lt", a, b);
export const le = (a: Expr, b: Expr): Expr => binary("le", a, b);
export const gt = (a: Expr, b: Expr): Expr => binary("gt", a, b);
export const ge = (a: Expr, b: Expr): Expr => binary("ge", a, b);
export const and = (a: Expr, b: Expr): Expr => binary("and", a, b);
export const or = (a: Expr, b: Expr): Expr => binary("or", a, b);
export const xor = (a: Expr, b: Expr): Expr => binary("xor", a, b);

// ---------------------------------------------------------------- evaluation

/** Variable values: `state[i]` for state register i (before the step), `input[i]` for input component i. */
export interface Env {
  readonly state: readonly number[];
  readonly input: readonly number[];
}

export function evaluate(expr: Expr, env: Env): number | null {
  switch (expr.kind) {
    case "const":
      return expr.value;
    case "var": {
      const value = (expr.variable.kind === "state" ? env.state : env.input)[expr.variable.index];
      if (value === undefined) throw new RangeError(`evaluate: no value for ${expr.variable.kind} ${expr.variable.index}`);
      return value;
    }
    case "unary": {
      const a = evaluate(expr.arg, env);
      return a === null ? null : applyUnary(expr.op, a);
    }
    case "binary": {
      const a = evaluate(expr.left, env);
      if (a === null) return null;
      const b = evaluate(expr.right, env);
      return b === null ? null : applyBinary(expr.op, a, b);
    }
    case "if": {
      const cond = evaluate(expr.cond, env);
      if (cond === null) return null;
      return evaluate(cond !== 0 ? expr.then : expr.else, env);
    }
  }
}

/** A safe integer, with −0 turned into 0 (Python has no −0), or null. */
function checked(x: number): number | null {
  return Number.isSafeInteger(x) ? x + 0 : null;
}

export function applyUnary(op: UnaryOp, a: number): number | null {
  switch (op) {
    case "neg": return -a + 0;
    case "abs": return Math.abs(a);
    case "not": return a === 0 ? 1 : 0;
  }
}

export function applyBinary(op: BinaryOp, a: number, b: number): number | null {
  switch (op) {
    case "add": return checked(a + b);
    case "sub": return checked(a - b);
    // A double product within the safe range is exact; one beyond it stays beyond it when rounded.
    case "mul": return checked(a * b);
    case "floordiv": return b === 0 ? null : checked(floorDivInt(a, b));
    case "mod": return b === 0 ? null : modInt(a, b) + 0;
    case "min": return Math.min(a, b);
    case "max": return Math.max(a, b);
    case "eq": return a === b ? 1 : 0;
    case "ne": return a !== b ? 1 : 0;
    case "lt": return a < b ? 1 : 0;
    case "le": return a <= b ? 1 : 0;
    case "gt": return a > b ? 1 : 0;
    case "ge": return a >= b ? 1 : 0;
    case "and": return a !== 0 && b !== 0 ? 1 : 0;
    case "or": return a !== 0 || b !== 0 ? 1 : 0;
    case "xor": return (a !== 0) !== (b !== 0) ? 1 : 0;
  }
}

/**
 * Python's a // b for safe integers, b ≠ 0. Math.floor(a / b) is exact here: the rounding error
 * of a / b is below |a/b|·2⁻⁵³ < 1/|b|, the least distance from a non-integer a/b to an integer.
 */
export function floorDivInt(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Python's a % b for safe integers, b ≠ 0 (JS `%` is exact but takes the sign of a). */
export function modInt(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

// ---------------------------------------------------------------- measure, compare, properties

/** Node count: the complexity measure of a formula. */
export function exprSize(expr: Expr): number {
  switch (expr.kind) {
    case "const":
    case "var": return 1;
    case "unary": return 1 + exprSize(expr.arg);
    case "binary": return 1 + exprSize(expr.left) + exprSize(expr.right);
    case "if": return 1 + exprSize(expr.cond) + exprSize(expr.then) + exprSize(expr.else);
  }
}

export function exprEquals(a: Expr, b: Expr): boolean {
  return compareExpr(a, b) === 0;
}

/** A string equal for structurally equal expressions (a Map key), e.g. `add(s0,mul(3,x1))`. */
export function exprKey(expr: Expr): string {
  switch (expr.kind) {
    case "const": return String(expr.value);
    case "var": return `${expr.variable.kind === "state" ? "s" : "x"}${expr.variable.index}`;
    case "unary": return `${expr.op}(${exprKey(expr.arg)})`;
    case "binary": return `${expr.op}(${exprKey(expr.left)},${exprKey(expr.right)})`;
    case "if": return `if(${exprKey(expr.cond)},${exprKey(expr.then)},${exprKey(expr.else)})`;
  }
}

const kindRank = { var: 0, unary: 1, binary: 2, if: 3, const: 4 } as const;

/**
 * A total order on expressions (negative, 0, positive), used to sort the operands of commutative
 * operators: variables first (state before input, then by index), constants last.
 */
export function compareExpr(a: Expr, b: Expr): number {
  if (a.kind !== b.kind) return kindRank[a.kind] - kindRank[b.kind];
  switch (a.kind) {
    case "const": return a.value - (b as typeof a).value;
    case "var": {
      const y = (b as typeof a).variable;
      if (a.variable.kind !== y.kind) return a.variable.kind === "state" ? -1 : 1;
      return a.variable.index - y.index;
    }
    case "unary": {
      const y = b as typeof a;
      return compareStrings(a.op, y.op) || compareExpr(a.arg, y.arg);
    }
    case "binary": {
      const y = b as typeof a;
      return compareStrings(a.op, y.op) || compareExpr(a.left, y.left) || compareExpr(a.right, y.right);
    }
    case "if": {
      const y = b as typeof a;
      return compareExpr(a.cond, y.cond) || compareExpr(a.then, y.then) || compareExpr(a.else, y.else);
    }
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const comparisonOps: ReadonlySet<BinaryOp> = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);
const logicOps: ReadonlySet<BinaryOp> = new Set(["and", "or", "xor"]);

/**
 * True when every value of expr is 0 or 1: whatever the variables are, or — given `binary` — when
 * the variables it flags take only the values 0 and 1. Conservative.
 */
export function isZeroOne(expr: Expr, binary?: (v: Variable) => boolean): boolean {
  switch (expr.kind) {
    case "const": return expr.value === 0 || expr.value === 1;
    case "var": return binary?.(expr.variable) ?? false;
    case "unary": return expr.op === "not" || (expr.op === "abs" && isZeroOne(expr.arg, binary));
    case "binary":
      if (comparisonOps.has(expr.op) || logicOps.has(expr.op)) return true;
      return (expr.op === "mul" || expr.op === "min" || expr.op === "max") && isZeroOne(expr.left, binary) && isZeroOne(expr.right, binary);
    case "if": return isZeroOne(expr.then, binary) && isZeroOne(expr.else, binary);
  }
}

/** True when evaluating expr can never fail: every divisor is a nonzero constant. Overflow is ignored (Python has none). */
export function isTotal(expr: Expr): boolean {
  switch (expr.kind) {
    case "const":
    case "var": return true;
    case "unary": return isTotal(expr.arg);
    case "binary":
      if ((expr.op === "floordiv" || expr.op === "mod") && !(expr.right.kind === "const" && expr.right.value !== 0)) return false;
      return isTotal(expr.left) && isTotal(expr.right);
    case "if": return isTotal(expr.cond) && isTotal(expr.then) && isTotal(expr.else);
  }
}

// ---------------------------------------------------------------- printing

/** The identifier of each variable in printed code: `state[i]`, `input[i]` (atoms, e.g. `s0` or `x[0]`). */
export interface VariableNames {
  readonly state: readonly string[];
  readonly input: readonly string[];
  /**
   * Variables that only ever hold 0 or 1 where the code runs (the machine's rows say so). Printing
   * then uses them bare as truth values — `a ^ x0`, `1 - a` — instead of `(a != 0) ^ (x0 != 0)`,
   * which agrees with the formula's semantics on those values.
   */
  readonly binary?: { readonly state: readonly boolean[]; readonly input: readonly boolean[] };
}

/** The `binary` predicate of a set of names, for isZeroOne. */
function binaryOf(names: VariableNames): ((v: Variable) => boolean) | undefined {
  const b = names.binary;
  return b ? (v) => (v.kind === "state" ? b.state[v.index] : b.input[v.index]) === true : undefined;
}

/** Names s0, s1, … and x0, x1, …. */
export function indexedNames(stateCount: number, inputCount: number): VariableNames {
  return {
    state: Array.from({ length: stateCount }, (_, i) => `s${i}`),
    input: Array.from({ length: inputCount }, (_, i) => `x${i}`),
  };
}

function nameOf(variable: Variable, names: VariableNames): string {
  const name = (variable.kind === "state" ? names.state : names.input)[variable.index];
  if (name === undefined) throw new RangeError(`no name for ${variable.kind} ${variable.index}`);
  return name;
}

/** Printed code: its text, its precedence, and whether it is a Boolean (Python bool, JS boolean) rather than an integer. */
interface Fragment {
  readonly text: string;
  readonly prec: number;
  readonly bool: boolean;
  /** TypeScript infers a literal type for it (`6`, `c ? 6 : 1`). */
  readonly literal?: boolean;
}

const paren = (f: Fragment, needed: boolean): string => (needed ? `(${f.text})` : f.text);

/** Python precedence levels (higher binds tighter). */
const PY = { ternary: 1, compare: 4, or: 5, xor: 6, and: 7, additive: 9, multiplicative: 10, unary: 11, atom: 13 } as const;

const pyInfix: Partial<Record<BinaryOp, { symbol: string; prec: number }>> = {
  add: { symbol: "+", prec: PY.additive }, sub: { symbol: "-", prec: PY.additive },
  mul: { symbol: "*", prec: PY.multiplicative }, floordiv: { symbol: "//", prec: PY.multiplicative }, mod: { symbol: "%", prec: PY.multiplicative },
  eq: { symbol: "==", prec: PY.compare }, ne: { symbol: "!=", prec: PY.compare },
  lt: { symbol: "<", prec: PY.compare }, le: { symbol: "<=", prec: PY.compare },
  gt: { symbol: ">", prec: PY.compare }, ge: { symbol: ">=", prec: PY.compare },
  and: { symbol: "&", prec: PY.and }, or: { symbol: "|", prec: PY.or }, xor: { symbol: "^", prec: PY.xor },
};

/**
 * Python source for expr, an int expression. How Booleans print:
 * - a comparison prints bare (`a < b`, a Python bool) where a bool does (an operand of `&`, `|`,
 *   `^`, `==`…, a condition); as an integer, that is as an operand of arithmetic, min/max/abs, a
 *   branch, or the whole expression, it is wrapped: `int(a < b)`;
 * - `and`/`or`/`xor` print as `&`, `|`, `^`; an operand not known to be 0/1 becomes `(x != 0)`;
 * - `not x` prints as `1 - x` when x is known to be 0/1 (`isZeroOne`), else as `x == 0`;
 * - `if` prints as `t if c else e` (c is truthy exactly when c ≠ 0).
 * Comparisons never chain: a comparison operand of a comparison is parenthesised.
 */
export function formatPython(expr: Expr, names: VariableNames): string {
  return pyInt(py(expr, names)).text;
}

const pyInt = (f: Fragment): Fragment => (f.bool ? { text: `int(${f.text})`, prec: PY.atom, bool: false } : f);

function py(expr: Expr, names: VariableNames): Fragment {
  switch (expr.kind) {
    case "const": return { text: String(expr.value), prec: expr.value < 0 ? PY.unary : PY.atom, bool: false };
    case "var": return { text: nameOf(expr.variable, names), prec: PY.atom, bool: false };
    case "unary": {
      const arg = py(expr.arg, names);
      if (expr.op === "abs") return { text: `abs(${pyInt(arg).text})`, prec: PY.atom, bool: false };
      if (expr.op === "neg") {
        const a = pyInt(arg);
        return { text: `-${paren(a, a.prec < PY.unary || a.text.startsWith("-"))}`, prec: PY.unary, bool: false };
      }
      if (isZeroOne(expr.arg, binaryOf(names))) return { text: `1 - ${paren(arg, arg.prec <= PY.additive)}`, prec: PY.additive, bool: false };
      return { text: `${paren(arg, arg.prec <= PY.compare)} == 0`, prec: PY.compare, bool: true };
    }
    case "binary": {
      const { op } = expr;
      if (op === "min" || op === "max") {
        return { text: `${op}(${pyInt(py(expr.left, names)).text}, ${pyInt(py(expr.right, names)).text})`, prec: PY.atom, bool: false };
      }
      const { symbol, prec } = pyInfix[op]!;
      let left = py(expr.left, names);
      let right = py(expr.right, names);
      if (logicOps.has(op)) {
        left = pyTruth(expr.left, left, names);
        right = pyTruth(expr.right, right, names);
      } else if (!comparisonOps.has(op)) {
        left = pyInt(left);
        right = pyInt(right);
      }
      const bool = comparisonOps.has(op) || (logicOps.has(op) && left.bool && right.bool);
      // Python chains comparisons (a < b < c), so a comparison operand of a comparison needs parentheses on either side.
      const leftParen = comparisonOps.has(op) ? left.prec <= prec : left.prec < prec;
      return { text: `${paren(left, leftParen)} ${symbol} ${paren(right, right.prec <= prec)}`, prec, bool };
    }
    case "if": {
      const then = pyInt(py(expr.then, names));
      const cond = py(expr.cond, names);
      const otherwise = pyInt(py(expr.else, names));
      const text = `${paren(then, then.prec <= PY.ternary)} if ${paren(cond, cond.prec <= PY.ternary)} else ${paren(otherwise, otherwise.prec < PY.ternary)}`;
      return { text, prec: PY.ternary, bool: false };
    }
  }
}

/** An operand of `&`, `|`, `^`: itself when 0/1, else `x != 0`. */
function pyTruth(expr: Expr, f: Fragment, names: VariableNames): Fragment {
  return isZeroOne(expr, binaryOf(names)) ? f : { text: `${paren(f, f.prec <= PY.compare)} != 0`, prec: PY.compare, bool: true };
}

/** JavaScript precedence levels (higher binds tighter). */
const TS = { conditional: 2, or: 5, xor: 6, and: 7, equality: 8, relational: 9, additive: 11, multiplicative: 12, unary: 14, atom: 17 } as const;

const tsInfix: Partial<Record<BinaryOp, { symbol: string; prec: number }>> = {
  add: { symbol: "+", prec: TS.additive }, sub: { symbol: "-", prec: TS.additive }, mul: { symbol: "*", prec: TS.multiplicative },
  eq: { symbol: "===", prec: TS.equality }, ne: { symbol: "!==", prec: TS.equality },
  lt: { symbol: "<", prec: TS.relational }, le: { symbol: "<=", prec: TS.relational },
  gt: { symbol: ">", prec: TS.relational }, ge: { symbol: ">=", prec: TS.relational },
  and: { symbol: "&", prec: TS.and }, or: { symbol: "|", prec: TS.or }, xor: { symbol: "^", prec: TS.xor },
};

/**
 * TypeScript (and JavaScript) source for expr, a `number` expression with the same value as
 * `evaluate` gives, for safe integers. `//` and `%` print as calls to two helpers that the emitted
 * program must define exactly as `typeScriptHelpers` does (throwing RangeError on a zero divisor,
 * where Python raises ZeroDivisionError). min, max, abs print as Math.min, Math.max, Math.abs.
 * Booleans: a comparison is a JS boolean, used bare only as the condition of `?:` and wrapped as
 * `Number(a < b)` everywhere else; `and`/`or`/`xor` print as `&`, `|`, `^` on 0/1 numbers (an
 * operand not known to be 0/1 becomes `Number(x !== 0)`); `not x` is `1 - x` when x is 0/1, else
 * `x === 0`; `if` is `c ? t : e`, with `c !== 0` when c is a number.
 */
export function formatTypeScript(expr: Expr, names: VariableNames): string {
  return tsNumber(ts(expr, names)).text;
}

/** The helpers that formatTypeScript's output calls, as TypeScript source. */
export const typeScriptHelpers = `function floordiv(a: number, b: number): number {
  if (b === 0) throw new RangeError("integer division or modulo by zero");
  return Math.floor(a / b); // exact for safe integers
}

function mod(a: number, b: number): number {
  if (b === 0) throw new RangeError("integer division or modulo by zero");
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}
`;

const tsNumber = (f: Fragment): Fragment => (f.bool ? { text: `Number(${f.text})`, prec: TS.atom, bool: false } : f);

/**
 * `narrowed`: variables that TypeScript's control-flow analysis has narrowed to a literal type at
 * this point (inside `a === 0 ? … : …`'s first branch `a` has type 0), so an equality against
 * another literal there must widen one side like two literals do.
 */
function ts(expr: Expr, names: VariableNames, narrowed: ReadonlySet<string> = new Set()): Fragment {
  const num = (e: Expr): Fragment => tsNumber(ts(e, names, narrowed));
  switch (expr.kind) {
    case "const": return { text: String(expr.value), prec: expr.value < 0 ? TS.unary : TS.atom, bool: false, literal: true };
    case "var": return { text: nameOf(expr.variable, names), prec: TS.atom, bool: false, literal: narrowed.has(exprKey(expr)) };
    case "unary": {
      const arg = num(expr.arg);
      if (expr.op === "abs") return { text: `Math.abs(${arg.text})`, prec: TS.atom, bool: false };
      // Never `--`: a decrement in JS.
      if (expr.op === "neg") return { text: `-${paren(arg, arg.prec < TS.unary || arg.text.startsWith("-"))}`, prec: TS.unary, bool: false, literal: arg.literal === true };
      if (isZeroOne(expr.arg, binaryOf(names))) return { text: `1 - ${paren(arg, arg.prec <= TS.additive)}`, prec: TS.additive, bool: false };
      return tsEquality(arg, "===", zeroLiteral);
    }
    case "binary": {
      const { op } = expr;
      if (op === "min" || op === "max" || op === "floordiv" || op === "mod") {
        const callee = op === "min" || op === "max" ? `Math.${op}` : op;
        return { text: `${callee}(${num(expr.left).text}, ${num(expr.right).text})`, prec: TS.atom, bool: false };
      }
      const { symbol, prec } = tsInfix[op]!;
      const truth = (e: Expr): Fragment => {
        const f = num(e);
        return isZeroOne(e, binaryOf(names)) ? f : tsNumber(tsEquality(f, "!==", zeroLiteral));
      };
      const left = logicOps.has(op) ? truth(expr.left) : num(expr.left);
      const right = logicOps.has(op) ? truth(expr.right) : num(expr.right);
      if (op === "eq" || op === "ne") return tsEquality(left, symbol as "===" | "!==", right);
      return { text: `${paren(left, left.prec < prec)} ${symbol} ${paren(right, right.prec <= prec)}`, prec, bool: comparisonOps.has(op) };
    }
    case "if": {
      const raw = ts(expr.cond, names, narrowed);
      const cond = raw.bool ? raw : tsEquality(raw, "!==", zeroLiteral);
      const narrowing = literalNarrowing(expr.cond);
      const within = (branch: "then" | "else"): ReadonlySet<string> =>
        narrowing?.branch === branch ? new Set([...narrowed, narrowing.variable]) : narrowed;
      const then = tsNumber(ts(expr.then, names, within("then")));
      const otherwise = tsNumber(ts(expr.else, names, within("else")));
      const text = `${paren(cond, cond.prec <= TS.conditional)} ? ${paren(then, then.prec <= TS.conditional)} : ${paren(otherwise, otherwise.prec < TS.conditional)}`;
      return { text, prec: TS.conditional, bool: false, literal: then.literal === true && otherwise.literal === true };
    }
  }
}

/**
 * Which branch of `c ? … : …` sees a variable narrowed to a literal, as printed: `v === k` (also
 * `not v`, printed `v === 0`) narrows v in the first, `v !== k` (also a bare `v`, printed
 * `v !== 0`) in the second.
 */
function literalNarrowing(cond: Expr): { variable: string; branch: "then" | "else" } | null {
  if (cond.kind === "var") return { variable: exprKey(cond), branch: "else" };
  if (cond.kind === "unary" && cond.op === "not" && cond.arg.kind === "var") return { variable: exprKey(cond.arg), branch: "then" };
  if (cond.kind === "binary" && (cond.op === "eq" || cond.op === "ne")) {
    const variable = cond.left.kind === "var" && cond.right.kind === "const" ? cond.left : cond.right.kind === "var" && cond.left.kind === "const" ? cond.right : null;
    if (variable !== null) return { variable: exprKey(variable), branch: cond.op === "eq" ? "then" : "else" };
  }
  return null;
}

const zeroLiteral: Fragment = { text: "0", prec: TS.atom, bool: false, literal: true };

/**
 * `left === right` or `!==`. TypeScript rejects an equality between literal types that cannot
 * overlap (`6 === 0`: "this comparison appears to be unintentional"), so then the left side goes
 * through Number() to widen it.
 */
function tsEquality(left: Fragment, symbol: "===" | "!==", right: Fragment): Fragment {
  const l = left.literal && right.literal ? { text: `Number(${left.text})`, prec: TS.atom, bool: false } : left;
  return { text: `${paren(l, l.prec < TS.equality)} ${symbol} ${paren(right, right.prec <= TS.equality)}`, prec: TS.equality, bool: true };
}

// ---------------------------------------------------------------- simplification

/**
 * An equivalent expression, usually smaller, in a canonical form: constants folded; sums and
 * products flattened, like terms merged and sorted (`x + 2 + 3` → `x + 5`, `x - x` → 0,
 * `2 * (3 * x)` → `6 * x`, positive terms first, the constant last); operands of commutative
 * operators sorted by `compareExpr`; identities (`x * 1`, `not not b`, `xor(b, 0)`, `and(b, 1)`,
 * `min(x, x)`, …) removed.
 *
 * It preserves Python semantics, errors included: a subterm is dropped (`x * 0` → 0) only when it
 * cannot fail (`isTotal`). Overflow is not an error in Python, so `evaluate` may return null on
 * one side only when an intermediate leaves the safe integers.
 */
export function simplify(expr: Expr): Expr {
  // Each pass is bottom-up; a rewrite can expose another at its parent, so repeat to a fixpoint.
  for (let pass = 0; pass < 16; pass++) {
    const next = simplifyOnce(expr);
    if (exprEquals(next, expr)) return next;
    expr = next;
  }
  return expr;
}

function simplifyOnce(expr: Expr): Expr {
  switch (expr.kind) {
    case "const":
    case "var": return expr;
    case "unary": return simplifyUnary(expr.op, simplifyOnce(expr.arg));
    case "binary": return simplifyBinary(expr.op, simplifyOnce(expr.left), simplifyOnce(expr.right));
    case "if": return simplifyIf(simplifyOnce(expr.cond), simplifyOnce(expr.then), simplifyOnce(expr.else));
  }
}

/** b as 0/1: itself when already 0/1, else `b != 0`. */
const truth = (b: Expr): Expr => (isZeroOne(b) ? b : ne(b, c(0)));

const negatedComparison: Partial<Record<BinaryOp, BinaryOp>> = { eq: "ne", ne: "eq", lt: "ge", ge: "lt", le: "gt", gt: "le" };

function simplifyUnary(op: UnaryOp, arg: Expr): Expr {
  if (arg.kind === "const") {
    const value = applyUnary(op, arg.value);
    if (value !== null) return c(value);
  }
  switch (op) {
    case "neg": return normalizeSum(neg(arg));
    case "abs":
      if (isZeroOne(arg)) return arg;
      if (arg.kind === "unary" && (arg.op === "abs" || arg.op === "neg")) return abs(arg.arg);
      return abs(arg);
    case "not":
      if (arg.kind === "unary" && arg.op === "not") return truth(arg.arg);
      if (arg.kind === "binary" && negatedComparison[arg.op]) return binary(negatedComparison[arg.op]!, arg.left, arg.right);
      return not(arg);
  }
}

const commutative: ReadonlySet<BinaryOp> = new Set(["min", "max", "eq", "ne", "and", "or", "xor"]);

function simplifyBinary(op: BinaryOp, left: Expr, right: Expr): Expr {
  if (left.kind === "const" && right.kind === "const") {
    const value = applyBinary(op, left.value, right.value);
    if (value !== null) return c(value);
  }
  if (op === "add" || op === "sub" || op === "mul") return normalizeSum(binary(op, left, right));
  if (commutative.has(op) && compareExpr(left, right) > 0) [left, right] = [right, left];
  const same = exprEquals(left, right);
  const total = isTotal(left) && isTotal(right);
  // After sorting, a constant operand of a commutative operator is on the right.
  const k = right.kind === "const" ? right.value : null;
  switch (op) {
    case "floordiv":
      if (k === 1) return left;
      if (k === -1) return simplifyUnary("neg", left);
      break;
    case "mod":
      if ((k === 1 || k === -1) && total) return c(0);
      // (x % k) % k = x % k
      if (k !== null && k !== 0 && left.kind === "binary" && left.op === "mod" && exprEquals(left.right, right)) return left;
      break;
    case "min":
    case "max":
      if (same) return left;
      break;
    case "eq": case "ne": case "lt": case "le": case "gt": case "ge":
      if (same && total) return c(op === "eq" || op === "le" || op === "ge" ? 1 : 0);
      // A 0/1 value compared with 0 or 1 is itself or its negation.
      if ((op === "eq" || op === "ne") && (k === 0 || k === 1) && isZeroOne(left)) {
        return (op === "eq") === (k === 1) ? left : simplifyUnary("not", left);
      }
      break;
    case "and":
      if (k === 0 && total) return c(0);
      if ((k !== null && k !== 0) || same) return truth(left);
      break;
    case "or":
      if (k !== null && k !== 0 && total) return c(1);
      if (k === 0 || same) return truth(left);
      break;
    case "xor":
      if (k === 0) return truth(left);
      if (k !== null) return simplifyUnary("not", left);
      if (same && total) return c(0);
      break;
  }
  return binary(op, left, right);
}

function simplifyIf(cond: Expr, then: Expr, otherwise: Expr): Expr {
  if (cond.kind === "const") return cond.value !== 0 ? then : otherwise;
  // `if` tests c ≠ 0 itself.
  if (cond.kind === "binary" && cond.op === "ne" && cond.right.kind === "const" && cond.right.value === 0) cond = cond.left;
  if (isTotal(cond)) {
    if (exprEquals(then, otherwise)) return then;
    if (isZeroOne(cond) && then.kind === "const" && otherwise.kind === "const") {
      if (then.value === 1 && otherwise.value === 0) return cond;
      if (then.value === 0 && otherwise.value === 1) return simplifyUnary("not", cond);
    }
  }
  return ite(cond, then, otherwise);
}

/** A monomial: coefficient · product of factors (sorted; none constant, mul or neg). */
interface Term {
  coefficient: bigint;
  readonly factors: readonly Expr[];
}

/**
 * Flattens a tree of add, sub, neg and mul (children already simplified) into Σ coefficient·product
 * + constant, merges like terms and rebuilds it canonically. Coefficients are exact (BigInt); if
 * one leaves the safe integers, the tree is left as it is.
 */
function normalizeSum(expr: Expr): Expr {
  const terms = new Map<string, Term>();
  let constant = 0n;
  const addTerm = (expr: Expr, coefficient: bigint): void => {
    if (expr.kind === "const") {
      constant += coefficient * BigInt(expr.value);
    } else if (expr.kind === "unary" && expr.op === "neg") {
      addTerm(expr.arg, -coefficient);
    } else if (expr.kind === "binary" && (expr.op === "add" || expr.op === "sub")) {
      addTerm(expr.left, coefficient);
      addTerm(expr.right, expr.op === "add" ? coefficient : -coefficient);
    } else {
      const factors: Expr[] = [];
      const product = coefficient * collectFactors(expr, factors);
      if (factors.length === 0) {
        constant += product;
        return;
      }
      factors.sort(compareExpr);
      const key = factors.map(exprKey).join("*");
      const term = terms.get(key);
      if (term) term.coefficient += product;
      else terms.set(key, { coefficient: product, factors });
    }
  };
  addTerm(expr, 1n);
  const kept = [...terms.values()].filter((t) => t.coefficient !== 0n || !t.factors.every(isTotal));
  const safe = (x: bigint): boolean => x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= -BigInt(Number.MAX_SAFE_INTEGER);
  if (!safe(constant) || !kept.every((t) => safe(t.coefficient))) return expr;
  kept.sort((a, b) => compareFactorLists(a.factors, b.factors));
  const ordered = [...kept.filter((t) => t.coefficient >= 0n), ...kept.filter((t) => t.coefficient < 0n)];
  // With no positive term and no constant to lead, lead with a term whose coefficient absorbs the sign (`-2 * x - y`, not `-y - 2 * x`).
  const lead = ordered.findIndex((t) => t.coefficient !== -1n);
  if (constant === 0n && ordered[0] && ordered[0].coefficient < 0n && lead > 0) ordered.unshift(...ordered.splice(lead, 1));
  // `1 - x` rather than `-x + 1` (smaller, too).
  let sum: Expr | null = constant !== 0n && ordered[0] && ordered[0].coefficient < 0n ? c(Number(constant)) : null;
  if (sum !== null) constant = 0n;
  for (const { coefficient, factors } of ordered) {
    if (sum === null) sum = monomial(coefficient, factors);
    else if (coefficient >= 0n) sum = add(sum, monomial(coefficient, factors));
    else sum = sub(sum, monomial(-coefficient, factors));
  }
  if (sum === null) return c(Number(constant));
  if (constant > 0n) return add(sum, c(Number(constant)));
  if (constant < 0n) return sub(sum, c(Number(-constant)));
  return sum;
}

/** Pushes the non-constant factors of a product onto `factors`; returns the constant factor. */
function collectFactors(expr: Expr, factors: Expr[]): bigint {
  if (expr.kind === "const") return BigInt(expr.value);
  if (expr.kind === "unary" && expr.op === "neg") return -collectFactors(expr.arg, factors);
  if (expr.kind === "binary" && expr.op === "mul") return collectFactors(expr.left, factors) * collectFactors(expr.right, factors);
  factors.push(expr);
  return 1n;
}

/** coefficient · f1 · f2 · …, left-nested so it prints without parentheses: `3 * x * y`, `-x`. */
function monomial(coefficient: bigint, factors: readonly Expr[]): Expr {
  const product = factors.reduce((acc, f) => mul(acc, f));
  if (coefficient === 1n) return product;
  if (coefficient === -1n) return neg(product);
  return factors.reduce((acc, f) => mul(acc, f), c(Number(coefficient)));
}

function compareFactorLists(a: readonly Expr[], b: readonly Expr[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareExpr(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}
