/** Random expressions for property tests (fast-check), shared by the evaluator and emitter tests. */
import fc from "fast-check";
import { binary, c, ite, unary } from "../../symbolic/expr.js";
import type { BinaryOp, Expr, UnaryOp } from "../../symbolic/types.js";

export const unaryOps: UnaryOp[] = ["neg", "abs", "not"];
export const binaryOps: BinaryOp[] = ["add", "sub", "mul", "floordiv", "mod", "min", "max", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor"];
/** Constants (and, in the tests, variable values) in [-9, 9]. */
export const small = fc.integer({ min: -9, max: 9 });

/**
 * At most 4 operator levels over `leaf` (constants in [-9, 9] and variables): with variable values
 * in [-9, 9] too, no intermediate exceeds 9^16 < 2^53, so JavaScript's doubles stay exact.
 */
export function exprArbitrary(variables: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  const leaf = fc.oneof(small.map(c), variables);
  return fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { maxDepth: 4, depthSize: "small" },
      { arbitrary: leaf, weight: 3 },
      { arbitrary: fc.tuple(fc.constantFrom(...unaryOps), tie("expr")).map(([op, a]) => unary(op, a)), weight: 1 },
      { arbitrary: fc.tuple(fc.constantFrom(...binaryOps), tie("expr"), tie("expr")).map(([op, a, b]) => binary(op, a, b)), weight: 4 },
      { arbitrary: fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([p, t, e]) => ite(p, t, e)), weight: 1 },
    ),
  })).expr;
}
