/**
 * symbolic/: exact formulas for a machine's transitions and outputs.
 *
 * Input: a Machine from fsm-extract/ (integer state codes, integer inputs, transition and output
 * rows). Output: a ProgramIR (registers with initial values and one update formula each, one formula
 * per output) that reproduces the machine on every row it was given, or a RegressFailure naming the
 * register or output without a formula and why: `no_fit` (nothing within the size budget fits),
 * `inconsistent_rows` (equal inputs, different targets), `budget_exhausted` (a count or the time
 * limit ran out).
 *
 * Invariants: every formula equals its target on every row of its table (checked with `evaluate`,
 * Python's integer semantics); `runProgram` reproduces the machine (checked before `regress`
 * returns); the same machine and options give the same program.
 *
 * Methods, cheapest first: constant, integer-linear (exact rational row reduction, linear.ts),
 * Boolean (two-level minimisation with parity and counting forms, boolean.ts; bit by bit for
 * small multi-valued targets), enumerative formula search (search.ts). State re-codings
 * (recode.ts) compete on total formula size.
 */

// The expression IR and its data types.
export type { BinaryOp, Expr, Formula, RegressionFailure, RegressionMethod, RegressionTable, UnaryOp, Variable } from "./types.js";

// Expressions: constructors, Python-semantics evaluation, size, printing, simplification.
export type { Env, VariableNames } from "./expr.js";
export {
  abs, add, and, binary, c, eq, floordiv, ge, gt, ite, le, lt, max, min, mod, mul, ne, neg, not, or, sub, unary, v, variable, xor,
  applyBinary, applyUnary, compareExpr, evaluate, exprEquals, exprKey, exprSize, floorDivInt, formatPython,
  formatTypeScript, indexedNames, isTotal, isZeroOne, modInt, simplify, typeScriptHelpers,
} from "./expr.js";

// The regression methods, each a function from a RegressionTable to a Formula or a failure.
export type { AffineFit, AffineOptions } from "./linear.js";
export { affineExpr, fitAffine, solveAffine } from "./linear.js";
export type { BooleanOptions } from "./boolean.js";
export { fitBoolean } from "./boolean.js";
// `SearchOptions` is exported as FormulaSearchOptions: rnn/ has an architecture `SearchOptions`.
export type { SearchOptions as FormulaSearchOptions, WorkerControl } from "./search.js";
export { defaultConstants, searchFormula, searchFormulaInWorker } from "./search.js";

// The methods as regress() runs them: the cheap ones behind one interface, and sampled search.
export type { Method, MethodOptions, SearchRun } from "./methods.js";
export { cheapMethods, fitsTable, searchRunner, searchTable } from "./methods.js";

// Programs: the IR that regression produces, its interpreter and its printer.
export type { ProgramIR, Register } from "./program.js";
export { formatProgram, plainRegisterNames, programNames, programSize, runProgram, stepProgram, validRegisterName } from "./program.js";

// State re-codings that regression tries.
export type { RecodeOptions, Recoding } from "./recode.js";
export { principalOrder, recodings } from "./recode.js";

// The stage: regress(machine) → ProgramIR.
export type { Attempt, RecodingReport, RegressFailure, RegressionResult, RegressOptions, TargetReport } from "./regress.js";
export { describeRegressFailure, regress, regressionTables } from "./regress.js";
