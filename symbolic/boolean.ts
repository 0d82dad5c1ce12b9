/**
 * Boolean regression: the smallest formula for a 0/1 target over variables with small domains.
 *
 * Encoding: each variable is multi-valued over the values it takes in the table (a 0/1 variable is
 * the usual Boolean one). A cube allows a subset of each variable's values, and a literal prints as
 * the cheapest of `x`, `not x`, `x == v`, `x != v`, `x >= v`, `x <= v`, a range or a disjunction.
 * This is what one-hot literals `x == k` give once the impossible one-hot combinations are
 * don't-cares, without listing them. Input combinations absent from the table are don't-cares.
 *
 * Minimisation: the prime implicants through each on-row are the minimal hitting sets of the
 * off-rows (Berge's algorithm), which gives Quine–McCluskey's primes without enumerating don't-care
 * minterms; then a branch-and-bound cover weighted by printed size, greedy beyond a limit. The
 * complement is minimised too (printed under `not`). Symmetric forms over 0/1 variables compete:
 * parity of a subset (`a ^ b ^ c`) and the count of a subset against a constant (`a + b + c >= 2`).
 * The smallest expression by node count wins; ties go to the sum of products.
 */
import { fail, ok, type Result } from "../common/result.js";
import { binary, exprSize, not } from "./expr.js";
import type { Expr, Formula, RegressionFailure, RegressionTable, Variable } from "./types.js";

export interface BooleanOptions {
  /** A variable taking more distinct values than this makes the table no_fit (default 16, at most 30). */
  readonly maxDomainSize?: number;
  /** Primes through one row beyond this: that row contributes one greedily grown prime instead (default 2000). */
  readonly maxPrimesPerRow?: number;
  /** More primes than this in total: greedy cover instead of branch and bound (default 400). */
  readonly maxExactCoverPrimes?: number;
  /** Branch-and-bound nodes before the best cover so far is kept (default 200,000). */
  readonly maxCoverNodes?: number;
  /** Symmetric forms are tried over subsets of at most this many 0/1 variables (default 12). */
  readonly maxSymmetricVariables?: number;
}

const defaults: Required<BooleanOptions> = {
  maxDomainSize: 16,
  maxPrimesPerRow: 2000,
  maxExactCoverPrimes: 400,
  maxCoverNodes: 200_000,
  maxSymmetricVariables: 12,
};

/** The truth table: relevant variables (two or more values), their sorted domains, and the rows split by target. */
interface TruthTable {
  readonly variables: readonly Variable[];
  readonly domains: readonly (readonly number[])[];
  /** Points as domain indices, one per relevant variable. */
  readonly on: readonly (readonly number[])[];
  readonly off: readonly (readonly number[])[];
}

/** A cube: for each relevant variable, a bitmask over its domain indices of the values allowed. */
type Cube = readonly number[];

export function fitBoolean(table: RegressionTable, options: BooleanOptions = {}): Result<Formula, RegressionFailure> {
  const opts = { ...defaults, ...options };
  const built = truthTable(table, Math.min(opts.maxDomainSize, 30));
  if (!built.ok) return built;
  const tt = built.value;
  if (tt.on.length === 0 || tt.off.length === 0) {
    const expr: Expr = { kind: "const", value: tt.on.length > 0 ? 1 : 0 };
    return ok({ expr, method: "constant", size: exprSize(expr) });
  }
  const candidates: Expr[] = [
    sumOfProducts(tt.on, tt.off, tt, opts),
    not(sumOfProducts(tt.off, tt.on, tt, opts)),
    ...symmetricForms(tt, opts.maxSymmetricVariables),
  ];
  let best = candidates[0]!;
  let bestSize = exprSize(best);
  for (const expr of candidates.slice(1)) {
    const size = exprSize(expr);
    if (size < bestSize) [best, bestSize] = [expr, size];
  }
  return ok({ expr: best, method: "boolean", size: bestSize });
}

/** Dedupe rows, check targets are 0/1 and consistent, and drop variables that never change. */
function truthTable(table: RegressionTable, maxDomainSize: number): Result<TruthTable, RegressionFailure> {
  if (table.values.length === 0) return fail({ reason: "no_fit", detail: "the table has no rows" });
  const firstRow = new Map<string, number>();
  const rows: (readonly number[])[] = [];
  const targets: number[] = [];
  for (let r = 0; r < table.values.length; r++) {
    const target = table.targets[r]!;
    if (target !== 0 && target !== 1) return fail({ reason: "no_fit", detail: `target ${target} on row ${r} is not 0 or 1` });
    const key = table.values[r]!.join(",");
    const seen = firstRow.get(key);
    if (seen === undefined) {
      firstRow.set(key, r);
      rows.push(table.values[r]!);
      targets.push(target);
    } else if (table.targets[seen] !== target) {
      const detail = `rows ${seen} and ${r} have the same values (${key}) but targets ${table.targets[seen]} and ${target}`;
      return fail({ reason: "inconsistent_rows", detail });
    }
  }
  const relevant: number[] = [];
  const domains: number[][] = [];
  for (let v = 0; v < table.variables.length; v++) {
    const domain = [...new Set(rows.map((row) => row[v]!))].sort((a, b) => a - b);
    if (domain.length < 2) continue;
    if (domain.length > maxDomainSize) {
      const { kind, index } = table.variables[v]!;
      return fail({ reason: "no_fit", detail: `${kind} ${index} takes ${domain.length} values, more than ${maxDomainSize}` });
    }
    relevant.push(v);
    domains.push(domain);
  }
  const point = (row: readonly number[]): number[] => relevant.map((v, i) => domains[i]!.indexOf(row[v]!));
  return ok({
    variables: relevant.map((v) => table.variables[v]!),
    domains,
    on: rows.filter((_, r) => targets[r] === 1).map(point),
    off: rows.filter((_, r) => targets[r] === 0).map(point),
  });
}

// ---------------------------------------------------------------------------------------------
// Sum of products

function sumOfProducts(on: readonly (readonly number[])[], off: readonly (readonly number[])[], tt: TruthTable, opts: Required<BooleanOptions>): Expr {
  const primes = primeImplicants(on, off, tt, opts.maxPrimesPerRow);
  const covers = primes.map((cube) => on.flatMap((p, i) => (contains(cube, p) ? [i] : [])));
  // Each chosen term costs its size plus one `or` node (one too many overall, the same for every cover).
  const costs = primes.map((cube) => exprSize(cubeExpr(cube, tt)) + 1);
  const chosen =
    primes.length <= opts.maxExactCoverPrimes
      ? exactCover(on.length, covers, costs, opts.maxCoverNodes)
      : greedyCover(on.length, covers, costs);
  // Terms in reading order: by the first variable they constrain, then by value.
  const full = tt.domains.map((domain) => (1 << domain.length) - 1);
  const order = (cube: Cube): number[] => cube.flatMap((mask, v) => (mask === full[v] ? [] : [v, -mask]));
  const byOrder = (a: Cube, b: Cube): number => {
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  const terms = chosen.map((i) => primes[i]!).sort(byOrder).map((cube) => cubeExpr(cube, tt));
  return terms.reduce((acc, term) => binary("or", acc, term));
}

function contains(cube: Cube, point: readonly number[]): boolean {
  return point.every((value, v) => ((cube[v]! >>> value) & 1) === 1);
}

/**
 * Every prime implicant that covers an on-point. A cube through q avoids off-point p exactly when it
 * excludes p's value of some variable where p and q differ, so the primes through q are the minimal
 * sets of (variable, value) exclusions hitting every off-point: minimal hitting sets.
 */
function primeImplicants(on: readonly (readonly number[])[], off: readonly (readonly number[])[], tt: TruthTable, maxPerRow: number): Cube[] {
  const offsets: number[] = [];
  let width = 0;
  for (const domain of tt.domains) {
    offsets.push(width);
    width += domain.length;
  }
  const seen = new Set<string>();
  const primes: Cube[] = [];
  for (const q of on) {
    const edges = minimalEdges(
      off.map((p) => {
        let edge = 0n;
        p.forEach((value, v) => {
          if (value !== q[v]) edge |= 1n << BigInt(offsets[v]! + value);
        });
        return edge;
      }),
    );
    const transversals = minimalTransversals(edges, maxPerRow) ?? [greedyTransversal(edges)];
    for (const t of transversals) {
      const cube = tt.domains.map((domain, v) => {
        const excluded = Number((t >> BigInt(offsets[v]!)) & ((1n << BigInt(domain.length)) - 1n));
        return ((1 << domain.length) - 1) & ~excluded;
      });
      const key = cube.join(",");
      if (!seen.has(key)) {
        seen.add(key);
        primes.push(cube);
      }
    }
  }
  return primes;
}

function popcount(x: bigint): number {
  let n = 0;
  for (; x !== 0n; x &= x - 1n) n++;
  return n;
}

/** Distinct edges with no proper subset among them (a superset edge is hit whenever its subset is), smallest first. */
function minimalEdges(edges: readonly bigint[]): bigint[] {
  const sorted = [...new Set(edges)].sort((a, b) => popcount(a) - popcount(b) || (a < b ? -1 : 1));
  const kept: bigint[] = [];
  for (const e of sorted) if (!kept.some((k) => (k & e) === k)) kept.push(e);
  return kept;
}

/** Berge's algorithm: all minimal hitting sets, or null when there are more than `limit`. */
function minimalTransversals(edges: readonly bigint[], limit: number): bigint[] | null {
  let current: bigint[] = [0n];
  for (const edge of edges) {
    const hit = current.filter((t) => (t & edge) !== 0n);
    const grown: bigint[] = [];
    for (const t of current) {
      if ((t & edge) !== 0n) continue;
      for (let rest = edge; rest !== 0n; rest &= rest - 1n) {
        const candidate = t | (rest & -rest);
        if (hit.some((h) => (h & candidate) === h)) continue;
        if (grown.some((g) => (g & candidate) === g)) continue;
        for (let i = grown.length - 1; i >= 0; i--) if ((grown[i]! & candidate) === candidate) grown.splice(i, 1);
        grown.push(candidate);
      }
    }
    current = [...hit, ...grown];
    if (current.length > limit) return null;
  }
  return current;
}

/** One minimal hitting set: add the element hitting most edges, then drop elements not needed. */
function greedyTransversal(edges: readonly bigint[]): bigint {
  let t = 0n;
  const chosen: bigint[] = [];
  while (edges.some((e) => (e & t) === 0n)) {
    const open = edges.filter((e) => (e & t) === 0n);
    const union = open.reduce((a, e) => a | e, 0n);
    let best = 0n;
    let bestCount = -1;
    for (let rest = union; rest !== 0n; rest &= rest - 1n) {
      const bit = rest & -rest;
      const count = open.filter((e) => (e & bit) !== 0n).length;
      if (count > bestCount) [best, bestCount] = [bit, count];
    }
    t |= best;
    chosen.push(best);
  }
  for (const bit of chosen.reverse()) {
    const without = t & ~bit;
    if (edges.every((e) => (e & without) !== 0n)) t = without;
  }
  return t;
}

/** Greedy weighted set cover: most newly covered elements per unit cost, earliest on ties. */
function greedyCover(nElements: number, covers: readonly (readonly number[])[], costs: readonly number[]): number[] {
  const covered = new Uint8Array(nElements);
  let remaining = nElements;
  const chosen: number[] = [];
  while (remaining > 0) {
    let best = -1;
    let bestRatio = 0;
    covers.forEach((set, i) => {
      const fresh = set.filter((e) => covered[e] === 0).length;
      if (fresh > 0 && fresh / costs[i]! > bestRatio) [best, bestRatio] = [i, fresh / costs[i]!];
    });
    chosen.push(best);
    for (const e of covers[best]!) if (covered[e] === 0) (covered[e] = 1), remaining--;
  }
  return chosen;
}

/** Minimum-cost set cover by branch and bound, starting from the greedy cover; the best found when the node budget runs out. */
function exactCover(nElements: number, covers: readonly (readonly number[])[], costs: readonly number[], maxNodes: number): number[] {
  let best = greedyCover(nElements, covers, costs);
  let bestCost = best.reduce((s, i) => s + costs[i]!, 0);
  const setsOf: number[][] = Array.from({ length: nElements }, () => []);
  covers.forEach((set, i) => set.forEach((e) => setsOf[e]!.push(i)));
  for (const sets of setsOf) sets.sort((a, b) => costs[a]! - costs[b]! || a - b);
  const cheapest = setsOf.map((sets) => costs[sets[0]!]!);
  const covered = new Int32Array(nElements);
  const chosen: number[] = [];
  let nodes = 0;
  const search = (cost: number): void => {
    if (++nodes > maxNodes) return;
    // Branch on the uncovered element with the fewest covering sets; bound by its dearest cheapest set.
    let pick = -1;
    let bound = 0;
    for (let e = 0; e < nElements; e++) {
      if (covered[e]! > 0) continue;
      if (pick < 0 || setsOf[e]!.length < setsOf[pick]!.length) pick = e;
      bound = Math.max(bound, cheapest[e]!);
    }
    if (pick < 0) {
      if (cost < bestCost) [best, bestCost] = [[...chosen], cost];
      return;
    }
    if (cost + bound >= bestCost) return;
    for (const set of setsOf[pick]!) {
      if (cost + costs[set]! >= bestCost) break;
      chosen.push(set);
      for (const e of covers[set]!) covered[e]!++;
      search(cost + costs[set]!);
      for (const e of covers[set]!) covered[e]!--;
      chosen.pop();
    }
  };
  search(0);
  return best;
}

// ---------------------------------------------------------------------------------------------
// Printing cubes

function cubeExpr(cube: Cube, tt: TruthTable): Expr {
  const literals: Expr[] = [];
  cube.forEach((mask, v) => {
    const domain = tt.domains[v]!;
    if (mask !== (1 << domain.length) - 1) literals.push(literalExpr(tt.variables[v]!, domain, mask));
  });
  return literals.length === 0 ? { kind: "const", value: 1 } : literals.reduce((acc, lit) => binary("and", acc, lit));
}

/** The smallest expression true exactly for the allowed values (a bitmask over the sorted domain). */
function literalExpr(variable: Variable, domain: readonly number[], mask: number): Expr {
  const x: Expr = { kind: "var", variable };
  const k = (value: number): Expr => ({ kind: "const", value });
  const allowed = domain.filter((_, i) => ((mask >>> i) & 1) === 1);
  const excluded = domain.filter((_, i) => ((mask >>> i) & 1) === 0);
  const options: Expr[] = [];
  if (domain.length === 2 && domain[0] === 0 && domain[1] === 1) options.push(allowed[0] === 1 ? x : not(x));
  if (allowed.length === 1) options.push(binary("eq", x, k(allowed[0]!)));
  const first = domain.indexOf(allowed[0]!);
  const last = domain.indexOf(allowed[allowed.length - 1]!);
  if (last - first + 1 === allowed.length) {
    // A contiguous run of the domain: one or two comparisons.
    const lower = binary("ge", x, k(allowed[0]!));
    const upper = binary("le", x, k(allowed[allowed.length - 1]!));
    options.push(first === 0 ? upper : last === domain.length - 1 ? lower : binary("and", lower, upper));
  }
  options.push(allowed.map((value) => binary("eq", x, k(value))).reduce((a, b) => binary("or", a, b)));
  options.push(excluded.map((value) => binary("ne", x, k(value))).reduce((a, b) => binary("and", a, b)));
  return options.reduce((a, b) => (exprSize(b) < exprSize(a) ? b : a));
}

// ---------------------------------------------------------------------------------------------
// Symmetric forms: parity and counting over subsets of 0/1 variables

function symmetricForms(tt: TruthTable, maxVariables: number): Expr[] {
  const binaryVars = tt.domains.flatMap((domain, v) => (domain.length === 2 && domain[0] === 0 && domain[1] === 1 ? [v] : []));
  const vars = binaryVars.slice(0, maxVariables);
  const rows = [...tt.on.map((p) => ({ p, t: 1 })), ...tt.off.map((p) => ({ p, t: 0 }))];
  const found: Expr[] = [];
  for (let subset = 1; subset < 1 << vars.length; subset++) {
    const members = vars.filter((_, i) => ((subset >>> i) & 1) === 1);
    if (members.length < 2) continue;
    const terms = members.map((v): Expr => ({ kind: "var", variable: tt.variables[v]! }));
    // Target as a function of the count of ones in the subset (null where counts disagree).
    const byCount: (number | undefined)[] = new Array(members.length + 1);
    let symmetric = true;
    for (const { p, t } of rows) {
      const count = members.reduce((n, v) => n + p[v]!, 0);
      if (byCount[count] === undefined) byCount[count] = t;
      else if (byCount[count] !== t) symmetric = false;
    }
    if (!symmetric) continue;
    const parity = byCount.every((t, c) => t === undefined || t === c % 2);
    const oddIsZero = byCount.every((t, c) => t === undefined || t === 1 - (c % 2));
    const xor = terms.reduce((a, b) => binary("xor", a, b));
    if (parity) found.push(xor);
    if (oddIsZero) found.push(not(xor));
    const sum = terms.reduce((a, b) => binary("add", a, b));
    const counts = byCount.flatMap((t, c) => (t === undefined ? [] : [{ c, t }]));
    const ones = counts.filter((e) => e.t === 1).map((e) => e.c);
    const zeros = counts.filter((e) => e.t === 0).map((e) => e.c);
    const k = (value: number): Expr => ({ kind: "const", value });
    if (Math.max(...zeros) < Math.min(...ones)) found.push(binary("ge", sum, k(Math.max(...zeros) + 1)));
    if (Math.max(...ones) < Math.min(...zeros)) found.push(binary("le", sum, k(Math.max(...ones))));
    if (ones.length === 1) found.push(binary("eq", sum, k(ones[0]!)));
    if (zeros.length === 1) found.push(binary("ne", sum, k(zeros[0]!)));
  }
  return found;
}
