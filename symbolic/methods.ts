/**
 * The regression methods as regress() uses them (symbolic/regress.ts): the cheap ones behind one
 * small interface (constant, integer-linear, Boolean — bit by bit for small multi-valued targets),
 * and formula search on a growing sample of rows, in this thread or on worker threads.
 */
import { fail, ok, type Result } from "../common/result.js";
import { fitBoolean } from "./boolean.js";
import { add, c, evaluate, exprKey, exprSize, mul, simplify } from "./expr.js";
import { fitAffine } from "./linear.js";
import { defaultConstants, searchFormula, searchFormulaInWorker, type SearchOptions } from "./search.js";
import type { Expr, Formula, RegressionFailure, RegressionMethod, RegressionTable, Variable } from "./types.js";

export function envOf(variables: readonly Variable[], row: readonly number[]): { state: number[]; input: number[] } {
  const env = { state: [] as number[], input: [] as number[] };
  variables.forEach((v, i) => ((v.kind === "state" ? env.state : env.input)[v.index] = row[i]!));
  return env;
}

/** True when expr gives the target on every row. */
export function fitsTable(expr: Expr, table: RegressionTable): boolean {
  return table.values.every((row, r) => evaluate(expr, envOf(table.variables, row)) === table.targets[r]);
}

// ---------------------------------------------------------------- the cheap methods

/** A regression method: a name and an exact fit (or why not). */
export interface Method {
  readonly name: RegressionMethod;
  /** `smallest`: the smallest fit of the methods before it, if any. */
  fit(table: RegressionTable, opts: MethodOptions, smallest: Formula | null): Result<Formula, RegressionFailure>;
}

export interface MethodOptions {
  /** Boolean regression only on tables of at most this many rows (its cost grows fast with rows). */
  readonly maxBooleanRows: number;
  /** A fit of at most this many nodes is small: no bit-by-bit Boolean fit is tried next to it. */
  readonly largeFitSize: number;
}

const isZeroOneTable = (t: RegressionTable): boolean => t.targets.every((y) => y === 0 || y === 1);

/** The cheap methods, cheapest first: all run on every target, and the smallest fit is kept. */
export const cheapMethods: readonly Method[] = [
  {
    name: "constant",
    fit: (t) =>
      t.targets.every((y) => y === t.targets[0])
        ? ok({ expr: { kind: "const", value: t.targets[0] ?? 0 }, method: "constant", size: 1 })
        : fail({ reason: "no_fit", detail: "the target takes more than one value" }),
  },
  { name: "integer-linear", fit: (t) => fitAffine(t) },
  {
    name: "boolean",
    fit: (t, opts, smallest) => {
      if (t.values.length > opts.maxBooleanRows) return fail({ reason: "no_fit", detail: `not tried on ${t.values.length} rows (more than ${opts.maxBooleanRows})` });
      // Bit by bit, a formula is rarely small: not worth it next to a small fit.
      if (smallest && (smallest.size === 1 || (!isZeroOneTable(t) && smallest.size <= opts.largeFitSize))) {
        return fail({ reason: "no_fit", detail: `not tried: a fit of ${smallest.size} nodes is already small` });
      }
      return fitBooleanBits(t);
    },
  },
];

/**
 * Boolean regression; a target with a few small values v ∈ lo..lo + 31 is written in binary,
 * lo + Σ 2^j·b_j, with a Boolean formula b_j for each bit of v − lo.
 */
function fitBooleanBits(t: RegressionTable): Result<Formula, RegressionFailure> {
  const options = { maxDomainSize: 30 };
  if (isZeroOneTable(t)) return fitBoolean(t, options);
  const lo = Math.min(...t.targets);
  const hi = Math.max(...t.targets);
  if (hi - lo > 31) return fail({ reason: "no_fit", detail: `the target spans ${lo}..${hi}, more than 5 bits` });
  let sum: Expr = c(lo);
  for (let j = 0; (hi - lo) >> j > 0; j++) {
    const bit = fitBoolean({ ...t, targets: t.targets.map((y) => ((y - lo) >> j) & 1) }, options);
    if (!bit.ok) return fail({ ...bit.failure, detail: `bit ${j} of the target: ${bit.failure.detail}` });
    sum = add(sum, j === 0 ? bit.value.expr : mul(c(1 << j), bit.value.expr));
  }
  const expr = simplify(sum);
  return ok({ expr, method: "boolean", size: exprSize(expr) });
}

/** Distinct variables in an expression. */
function leafVariables(expr: Expr, into = new Set<string>()): Set<string> {
  if (expr.kind === "var") into.add(exprKey(expr));
  else if (expr.kind === "unary") leafVariables(expr.arg, into);
  else if (expr.kind === "binary") {
    leafVariables(expr.left, into);
    leafVariables(expr.right, into);
  } else if (expr.kind === "if") {
    leafVariables(expr.cond, into);
    leafVariables(expr.then, into);
    leafVariables(expr.else, into);
  }
  return into;
}

/**
 * The size below which no formula is expected: 2 when nothing cheap fits (a single leaf would have
 * been an affine fit); 2k − 1 for an integer-linear fit over k variables, since a formula reading
 * k variables has k leaves and k − 1 operators. (Only a heuristic: on a sample of rows, a
 * nonlinear function of fewer variables could fit too; it saves searches that cannot pay, such as
 * a sum of 7 registers.)
 */
export function expectedLowerBound(fit: Formula | null): number {
  if (fit === null) return 2;
  if (fit.method === "integer-linear") return Math.min(fit.size, 2 * leafVariables(fit.expr).size - 1);
  return Math.min(fit.size, 2);
}

// ---------------------------------------------------------------- formula search

export interface SearchRun {
  readonly search: (table: RegressionTable, options: SearchOptions) => Promise<Result<Formula, RegressionFailure>>;
}

export function searchRunner(threads: number, signal: AbortSignal): SearchRun {
  if (threads <= 0) return { search: async (table, options) => searchFormula(table, options) };
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    search: async (table, options) => {
      if (running >= threads) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await searchFormulaInWorker(table, options, { signal });
      } finally {
        running--;
        waiting.shift()?.();
      }
    },
  };
}

/**
 * Search on a sample of the distinct rows first (evenly spread), then check on all rows and add
 * the rows it got wrong, up to 4 rounds; then on every row. The constants come from the whole table.
 */
export async function searchTable(table: RegressionTable, options: SearchOptions, sampleRows: number, run: SearchRun): Promise<Result<Formula, RegressionFailure>> {
  const firstOf = new Map<string, number>();
  const distinct: number[] = [];
  table.values.forEach((row, r) => {
    const k = row.join(",");
    if (!firstOf.has(k)) {
      firstOf.set(k, r);
      distinct.push(r);
    }
  });
  const constants = options.constants ?? defaultConstants(table.values, table.targets, 12);
  const subTable = (rows: readonly number[]): RegressionTable => ({
    variables: table.variables,
    values: rows.map((r) => table.values[r]!),
    targets: rows.map((r) => table.targets[r]!),
  });
  const opts = { ...options, constants };
  if (distinct.length > sampleRows) {
    const step = distinct.length / sampleRows;
    const sample = new Set(Array.from({ length: sampleRows }, (_, i) => distinct[Math.floor(i * step)]!));
    for (let round = 0; round < 4; round++) {
      const found = await run.search(subTable([...sample].sort((p, q) => p - q)), opts);
      if (!found.ok) return found;
      const wrong = distinct.filter((r) => evaluate(found.value.expr, envOf(table.variables, table.values[r]!)) !== table.targets[r]);
      if (wrong.length === 0) return found;
      for (const r of wrong.slice(0, 64)) sample.add(r);
    }
  }
  return run.search(subTable(distinct), opts);
}

/**
 * `searchFormula` fails with reason budget_exhausted both when it ruled out every size up to
 * maxSize and when a count or time budget (or its store) cut it short; only the first proves a
 * lower bound. The detail says which: "no formula of size ≤ N fits" with nothing after it.
 */
export function provenBelow(failure: RegressionFailure): number | null {
  const match = /^no formula of size ≤ (\d+) fits$/.exec(failure.detail);
  return match ? Number(match[1]) + 1 : null;
}
