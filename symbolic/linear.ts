/**
 * Exact affine regression: find target = Σ cᵢ·varᵢ + c₀ with rational coefficients that holds on
 * EVERY row of a table, by exact row reduction over the rationals (no least squares, no
 * tolerance), or show that none exists.
 *
 * - Rows are first reduced to distinct ones; equal variable values with different targets fail
 *   with `inconsistent_rows`. An affine system with no solution fails with `no_fit`.
 * - When variables are collinear the solution is not unique. Then the rule is: fewest nonzero
 *   coefficients (the constant counts as one), then the smallest common denominator, then the
 *   smallest Σ |integer coefficient| (over that denominator, constant included), then the support
 *   that comes first lexicographically (the constant first, then variables in table order). A
 *   variable that is 0 on every row, or equal on every row to an earlier variable, always gets 0.
 *   Sparsest solutions are basic solutions, so the search tries bases of the column space (or,
 *   when there are too many, supports by increasing size), each solved exactly, within a budget
 *   of `maxBasisCandidates`; `AffineFit.search` says whether the choice was exhaustive.
 * - Integer coefficients print as `a*x + b*y + c`; rational ones with common denominator d as
 *   `(a*x + b*y + c) // d`, which equals the target on every row because each row's value of the
 *   numerator is exactly d·target. Every row is checked with `evaluate` before returning.
 *
 * Speed: a row costs one integer dot product per dimension of the solution space (plus one) to
 * check whether it is implied by the rows kept so far; only the at most (#variables + 1) rows
 * that are not are reduced with rationals.
 */
import {
  type Rational,
  ONE,
  ZERO,
  add as radd,
  div as rdiv,
  gcd,
  isZero,
  mul as rmul,
  neg as rneg,
  rational,
  sub as rsub,
} from "../common/rational.js";
import { type Result, fail, ok } from "../common/result.js";
import { add, c, evaluate, exprSize, floordiv, mul, simplify, variable } from "./expr.js";
import type { Expr, Formula, RegressionFailure, RegressionTable, Variable } from "./types.js";

export interface AffineOptions {
  /** How many bases (or supports) the sparsest-solution search may try when variables are collinear (default 2000). */
  readonly maxBasisCandidates?: number;
}

export const defaultMaxBasisCandidates = 2000;

/** An exact affine fit: target = Σ coefficients[i]·variables[i] + constant on every row. */
export interface AffineFit {
  readonly variables: readonly Variable[];
  readonly coefficients: readonly Rational[];
  readonly constant: Rational;
  /**
   * How the solution was chosen: the only one (`unique`), provably the preferred one
   * (`exhaustive`), or the best found within maxBasisCandidates tries (`candidate_limit`).
   */
  readonly search: "unique" | "exhaustive" | "candidate_limit";
}

/** The affine formula that fits every row: `a*x + b*y + c`, or `(a*x + b*y + c) // d`. */
export function fitAffine(table: RegressionTable, options: AffineOptions = {}): Result<Formula, RegressionFailure> {
  const solved = solveAffine(table, options);
  if (!solved.ok) return solved;
  const expr = affineExpr(solved.value);
  if (!expr.ok) return expr;
  for (let r = 0; r < table.targets.length; r++) {
    const value = evaluate(expr.value, envOf(table.variables, table.values[r]!));
    if (value !== table.targets[r]) {
      return fail({ reason: "no_fit", detail: `the affine fit gives ${value ?? "an overflow"} on row ${r}, where the target is ${table.targets[r]}` });
    }
  }
  const method = solved.value.coefficients.every(isZero) ? "constant" : "integer-linear";
  return ok({ expr: expr.value, method, size: exprSize(expr.value) });
}

/** The exact rational coefficients of the preferred affine fit (see the rule above). */
export function solveAffine(table: RegressionTable, options: AffineOptions = {}): Result<AffineFit, RegressionFailure> {
  const { variables } = table;
  if (table.values.length !== table.targets.length) throw new RangeError(`solveAffine: ${table.values.length} rows of values, ${table.targets.length} targets`);
  const rows = distinctRows(table);
  if (!rows.ok) return rows;
  const columns = informativeColumns(variables.length, rows.value);
  // System columns: 0 is the constant, j ≥ 1 is variable columns[j − 1].
  const system = new EchelonSystem(columns.length + 1);
  for (const row of rows.value) {
    const values = [1n, ...columns.map((i) => BigInt(row.values[i]!))];
    if (!system.addRow(values, BigInt(row.target))) {
      return fail({
        reason: "no_fit",
        detail: `no affine function of ${variables.map(variableName).join(", ") || "nothing"} fits: row ${row.index} (${describeRow(variables, row)}) contradicts earlier rows`,
      });
    }
  }
  const { solution, search } = sparsestSolution(system, options.maxBasisCandidates ?? defaultMaxBasisCandidates);
  const coefficients: Rational[] = variables.map(() => ZERO);
  columns.forEach((variableIndex, j) => (coefficients[variableIndex] = solution[j + 1]!));
  return ok({ variables, coefficients, constant: solution[0]!, search });
}

/** The expression of a fit over integers: Σ aᵢ·xᵢ + a₀, divided (floor) by the common denominator if it is not 1. */
export function affineExpr(fit: AffineFit): Result<Expr, RegressionFailure> {
  const all = [fit.constant, ...fit.coefficients];
  const denominator = all.reduce((d, q) => (d / gcd(d, q.den)) * q.den, 1n);
  const scaled = all.map((q) => (q.num * denominator) / q.den);
  const unsafe = [denominator, ...scaled].find((x) => x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER));
  if (unsafe !== undefined) return fail({ reason: "no_fit", detail: `the affine fit needs the integer ${unsafe}, beyond the safe integers` });
  let sum: Expr = c(Number(scaled[0]));
  fit.variables.forEach((v, i) => {
    if (scaled[i + 1] !== 0n) sum = add(sum, mul(c(Number(scaled[i + 1])), variable(v)));
  });
  sum = simplify(sum);
  return ok(denominator === 1n ? sum : floordiv(sum, c(Number(denominator))));
}

// ---------------------------------------------------------------- rows and columns

interface Row {
  /** Index of the row's first occurrence in the table. */
  readonly index: number;
  readonly values: readonly number[];
  readonly target: number;
}

function distinctRows(table: RegressionTable): Result<Row[], RegressionFailure> {
  const seen = new Map<string, Row>();
  for (let r = 0; r < table.values.length; r++) {
    const values = table.values[r]!;
    if (values.length !== table.variables.length) throw new RangeError(`solveAffine: row ${r} has ${values.length} values for ${table.variables.length} variables`);
    const key = values.join(",");
    const target = table.targets[r]!;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, { index: r, values, target });
    else if (first.target !== target) {
      return fail({
        reason: "inconsistent_rows",
        detail: `rows ${first.index} and ${r} have the same values (${describeValues(table.variables, values)}) but targets ${first.target} and ${target}`,
      });
    }
  }
  return ok([...seen.values()]);
}

/** Variables worth a coefficient: not 0 on every row, not equal on every row to an earlier variable. */
function informativeColumns(variableCount: number, rows: readonly Row[]): number[] {
  const kept: number[] = [];
  const keys = new Set<string>();
  for (let i = 0; i < variableCount; i++) {
    const column = rows.map((row) => row.values[i]!);
    const key = column.join(",");
    if (column.every((x) => x === 0) || keys.has(key)) continue;
    keys.add(key);
    kept.push(i);
  }
  return kept;
}

function variableName(v: Variable): string {
  return `${v.kind === "state" ? "s" : "x"}${v.index}`;
}

function describeValues(variables: readonly Variable[], values: readonly number[]): string {
  return variables.map((v, i) => `${variableName(v)}=${values[i]}`).join(", ");
}

function describeRow(variables: readonly Variable[], row: Row): string {
  return `${describeValues(variables, row.values)} → ${row.target}`;
}

function envOf(variables: readonly Variable[], values: readonly number[]): { state: number[]; input: number[] } {
  const env = { state: [] as number[], input: [] as number[] };
  variables.forEach((v, i) => ((v.kind === "state" ? env.state : env.input)[v.index] = values[i]!));
  return env;
}

// ---------------------------------------------------------------- exact row reduction

/**
 * A consistent linear system kept in reduced row echelon form over the rationals, with its
 * solution set (particular + span of the null space) also kept as integer vectors, so that
 * checking whether a new row is implied costs integer dot products only.
 */
class EchelonSystem {
  /** Rows of the RREF: coefficients (width entries), then the right-hand side. */
  readonly rows: Rational[][] = [];
  readonly pivots: number[] = [];
  particular: Rational[];
  nullspace: Rational[][];
  private particularInt: { readonly numerators: bigint[]; readonly denominator: bigint };
  private nullspaceInt: bigint[][];

  constructor(readonly width: number) {
    this.particular = Array.from({ length: width }, () => ZERO);
    this.nullspace = Array.from({ length: width }, (_, f) => Array.from({ length: width }, (_, i) => (i === f ? ONE : ZERO)));
    this.particularInt = scaleToIntegers(this.particular);
    this.nullspaceInt = this.nullspace.map((n) => scaleToIntegers(n).numerators);
  }

  /** Adds the equation values · x = target; false (and no change) if it contradicts the system. */
  addRow(values: readonly bigint[], target: bigint): boolean {
    const independent = this.nullspaceInt.some((n) => dot(n, values) !== 0n);
    if (!independent) return dot(this.particularInt.numerators, values) === this.particularInt.denominator * target;
    // Reduce against the pivots, then make the new pivot column zero in the other rows.
    let row = [...values.map((x) => rational(x)), rational(target)];
    for (let r = 0; r < this.rows.length; r++) {
      const factor = row[this.pivots[r]!]!;
      if (!isZero(factor)) row = row.map((x, j) => rsub(x, rmul(factor, this.rows[r]![j]!)));
    }
    const pivot = row.findIndex((x, j) => j < this.width && !isZero(x));
    if (pivot < 0) throw new Error("EchelonSystem: an independent row reduced to zero");
    const scale = row[pivot]!;
    row = row.map((x) => rdiv(x, scale));
    for (let r = 0; r < this.rows.length; r++) {
      const factor = this.rows[r]![pivot]!;
      if (!isZero(factor)) this.rows[r] = this.rows[r]!.map((x, j) => rsub(x, rmul(factor, row[j]!)));
    }
    this.rows.push(row);
    this.pivots.push(pivot);
    this.updateSolutions();
    return true;
  }

  /** Particular solution: free variables 0. Null space: one vector per free column f, with x_f = 1. */
  private updateSolutions(): void {
    const free = Array.from({ length: this.width }, (_, j) => j).filter((j) => !this.pivots.includes(j));
    this.particular = Array.from({ length: this.width }, () => ZERO);
    this.rows.forEach((row, r) => (this.particular[this.pivots[r]!] = row[this.width]!));
    this.nullspace = free.map((f) => {
      const n = Array.from({ length: this.width }, (_, j) => (j === f ? ONE : ZERO));
      this.rows.forEach((row, r) => (n[this.pivots[r]!] = rneg(row[f]!)));
      return n;
    });
    this.particularInt = scaleToIntegers(this.particular);
    this.nullspaceInt = this.nullspace.map((n) => scaleToIntegers(n).numerators);
  }
}

function dot(a: readonly bigint[], b: readonly bigint[]): bigint {
  let sum = 0n;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0n) sum += a[i]! * b[i]!;
  return sum;
}

/** v = numerators / denominator with integer numerators and the least positive denominator. */
function scaleToIntegers(v: readonly Rational[]): { numerators: bigint[]; denominator: bigint } {
  const denominator = v.reduce((d, q) => (d / gcd(d, q.den)) * q.den, 1n);
  return { numerators: v.map((q) => (q.num * denominator) / q.den), denominator };
}

// ---------------------------------------------------------------- the sparsest solution

/**
 * The preferred solution (see the module comment). Sparsest solutions are basic: zero on some set
 * Z of columns, |Z| = dim(null space), that pins the solution down. When there are at most
 * maxCandidates such sets, all are tried (`exhaustive`). Otherwise supports S are tried by
 * increasing size, stopping after the first size at which one fits (also `exhaustive`: nothing
 * smaller fits) or after maxCandidates supports (`candidate_limit`, keeping the best so far, else
 * the echelon form's own solution).
 */
function sparsestSolution(system: EchelonSystem, maxCandidates: number): { solution: Rational[]; search: AffineFit["search"] } {
  const { particular, nullspace, width } = system;
  const k = nullspace.length;
  if (k === 0) return { solution: particular, search: "unique" };
  const equations = system.rows.map((row) => scaleToIntegers(row).numerators);
  // (Typed through `as`: TypeScript would narrow a plain null initializer and miss the closure's writes.)
  let best = null as { solution: Rational[]; cost: Cost } | null;
  const consider = (solution: Rational[] | null): void => {
    if (solution === null) return;
    const cost = costOf(solution);
    if (best === null || compareCosts(cost, best.cost) < 0) best = { solution, cost };
  };

  if (binomial(width, k) <= maxCandidates) {
    const nullInt = system.nullspace.map((n) => scaleToIntegers(n).numerators);
    const { numerators, denominator } = scaleToIntegers(particular);
    for (const zeroed of combinations(width, k)) {
      if (k <= equations.length) {
        // Null-space coordinates u with numerators + Σ u_j·nullInt_j zero on `zeroed` (k × k).
        const u = solveUnique(zeroed.map((i) => nullInt.map((n) => n[i]!)), zeroed.map((i) => -numerators[i]!));
        consider(u && numerators.map((a, i) => rdiv(nullInt.reduce((acc, n, j) => radd(acc, rmul(rational(n[i]!), u[j]!)), rational(a)), rational(denominator))));
      } else {
        consider(solveOnSupport(equations, width, complement(width, zeroed)));
      }
    }
    return { solution: best!.solution, search: "exhaustive" };
  }

  let tried = 0;
  for (let size = 0; size <= equations.length; size++) {
    for (const support of combinations(width, size)) {
      if (tried++ >= maxCandidates) return { solution: best?.solution ?? particular, search: "candidate_limit" };
      consider(solveOnSupport(equations, width, support));
    }
    if (best !== null) return { solution: best.solution, search: "exhaustive" };
  }
  throw new Error("sparsestSolution: a consistent system has no basic solution");
}

/** The solution that is zero off `support`, if exactly one such exists. */
function solveOnSupport(equations: readonly (readonly bigint[])[], width: number, support: readonly number[]): Rational[] | null {
  const x = solveUnique(equations.map((row) => support.map((j) => row[j]!)), equations.map((row) => row[width]!));
  if (x === null) return null;
  const solution = Array.from({ length: width }, () => ZERO);
  support.forEach((j, i) => (solution[j] = x[i]!));
  return solution;
}

/**
 * The unique solution of a·x = b (integer a with at least as many rows as columns), or null when
 * there is none or more than one. Fraction-free (Bareiss) elimination keeps every entry an
 * integer, with exact divisions, which is much cheaper than rational arithmetic.
 */
function solveUnique(a: readonly (readonly bigint[])[], b: readonly bigint[]): Rational[] | null {
  const rows = b.length;
  const cols = rows === 0 ? 0 : a[0]!.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  let previous = 1n;
  for (let k = 0; k < cols; k++) {
    const p = m.findIndex((row, r) => r >= k && row[k] !== 0n);
    if (p < 0) return null;
    [m[k], m[p]] = [m[p]!, m[k]!];
    const pivotRow = m[k]!;
    for (let i = k + 1; i < rows; i++) {
      const row = m[i]!;
      for (let j = k + 1; j <= cols; j++) row[j] = (pivotRow[k]! * row[j]! - row[k]! * pivotRow[j]!) / previous;
      row[k] = 0n;
    }
    previous = pivotRow[k]!;
  }
  for (let i = cols; i < rows; i++) if (m[i]![cols] !== 0n) return null;
  const x: Rational[] = Array.from({ length: cols }, () => ZERO);
  for (let k = cols - 1; k >= 0; k--) {
    let rest = rational(m[k]![cols]!);
    for (let j = k + 1; j < cols; j++) rest = rsub(rest, rmul(rational(m[k]![j]!), x[j]!));
    x[k] = rdiv(rest, rational(m[k]![k]!));
  }
  return x;
}

function complement(width: number, set: readonly number[]): number[] {
  const excluded = new Set(set);
  return Array.from({ length: width }, (_, j) => j).filter((j) => !excluded.has(j));
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/** k-subsets of 0..n−1 in lexicographic order. */
function* combinations(n: number, k: number): Generator<number[]> {
  if (k > n) return;
  const chosen = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield [...chosen];
    let i = k - 1;
    while (i >= 0 && chosen[i] === n - k + i) i--;
    if (i < 0) return;
    chosen[i]!++;
    for (let j = i + 1; j < k; j++) chosen[j] = chosen[j - 1]! + 1;
  }
}

interface Cost {
  readonly support: readonly number[];
  readonly denominator: bigint;
  readonly magnitude: bigint;
}

function costOf(solution: readonly Rational[]): Cost {
  const { numerators, denominator } = scaleToIntegers(solution);
  const support = numerators.flatMap((x, i) => (x !== 0n ? [i] : []));
  return { support, denominator, magnitude: numerators.reduce((s, x) => s + (x < 0n ? -x : x), 0n) };
}

function compareCosts(a: Cost, b: Cost): number {
  if (a.support.length !== b.support.length) return a.support.length - b.support.length;
  if (a.denominator !== b.denominator) return a.denominator < b.denominator ? -1 : 1;
  if (a.magnitude !== b.magnitude) return a.magnitude < b.magnitude ? -1 : 1;
  for (let i = 0; i < a.support.length; i++) if (a.support[i] !== b.support[i]) return a.support[i]! - b.support[i]!;
  return 0;
}
