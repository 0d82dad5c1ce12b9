/**
 * The expression IR of symbolic regression: small typed trees over integer variables (state
 * registers and inputs) and integer constants. Semantics are Python's on unbounded integers:
 * `//` and `%` floor toward −∞ (x % 0 and x // 0 are errors), comparisons and Boolean operators
 * yield 0/1, and "not" maps 0 → 1 and anything else → 0. Plain JSON data.
 */

/** A variable: state register i (of the state before the step) or input component i. */
export type Variable = { readonly kind: "state"; readonly index: number } | { readonly kind: "input"; readonly index: number };

export type UnaryOp = "neg" | "abs" | "not";
export type BinaryOp =
  | "add" | "sub" | "mul" | "floordiv" | "mod"
  | "min" | "max"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge"
  | "and" | "or" | "xor";

export type Expr =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "var"; readonly variable: Variable }
  | { readonly kind: "unary"; readonly op: UnaryOp; readonly arg: Expr }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "if"; readonly cond: Expr; readonly then: Expr; readonly else: Expr };

/** How a formula was found. */
export type RegressionMethod = "constant" | "integer-linear" | "boolean" | "search";

/** One fitted formula: exact on every row it was given. */
export interface Formula {
  readonly expr: Expr;
  readonly method: RegressionMethod;
  /** Node count of expr (see symbolic/expr.ts `exprSize`). */
  readonly size: number;
}

/**
 * A regression problem: rows of variable values and the integer target on each row. `values[r]`
 * lists, for row r, the value of each variable in `variables` (same order).
 */
export interface RegressionTable {
  readonly variables: readonly Variable[];
  readonly values: readonly (readonly number[])[];
  readonly targets: readonly number[];
}

/** Why no formula: nothing within the budget (size or time) fits every row, or the rows contradict. */
export interface RegressionFailure {
  readonly reason: "no_fit" | "budget_exhausted" | "inconsistent_rows";
  readonly detail: string;
}
