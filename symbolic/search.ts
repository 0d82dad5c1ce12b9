/**
 * Enumerative formula search: the smallest expression (by node count) that equals the target on
 * every row, over the table's variables and a few constants.
 *
 * Bottom-up by size, with semantic de-duplication: an expression is represented by its vector of
 * values on the (deduplicated) rows, and a vector seen before is dropped, so each stored entry is
 * the smallest, earliest expression with its values. Entries of size ≤ maxSize − 2 are stored;
 * formulas of every size up to maxSize are then found by target-directed root checks over the
 * store: `t = a + b` looks `t − a` up in the hash table, `t = a − b` looks up `a − t`, `min`/`max`
 * pair only operands bounded by t, and the rest scan. Every level's root checks run before the
 * level is stored, so the first formula found is a smallest one.
 *
 * Grammar (and so the limits of "smallest"): leaves are non-constant variables and the constants;
 * `a * b` needs a leaf on the left; `a // d` and `a % d` need d a constant ≥ 2 or a variable;
 * if-then-else needs a 0/1-valued condition and appears only in formulas up to `maxIfSize`; `abs`
 * is the only unary op. A subexpression is dropped when it is constant on every row (the constant
 * leaves stand for it), fails on some row (division by zero, even in an untaken branch), or leaves
 * the 32-bit range. Comparisons cover ==, !=, <, <=, >, >=.
 */
import { Worker } from "node:worker_threads";
import { compiledModuleUrl } from "../common/compiled-url.js";
import { fail, ok, type Result } from "../common/result.js";
import { exprSize } from "./expr.js";
import type { BinaryOp, Expr, Formula, RegressionFailure, RegressionTable } from "./types.js";

export interface SearchOptions {
  /** Largest formula, in nodes (default 9). */
  readonly maxSize?: number;
  /** Safety net on wall-clock time (default 20,000 ms); the failure says when it fired. */
  readonly timeLimitMs?: number;
  /** Count budget: candidate expressions evaluated (default 300,000,000). */
  readonly maxCandidates?: number;
  /**
   * The constant leaves. Default: −1..3, the targets' values, one more than the largest target and
   * one more than each variable's largest value (likely moduli), smallest magnitude first, at most
   * `maxConstants`, all within ±64.
   */
  readonly constants?: readonly number[];
  readonly maxConstants?: number;
  /** if-then-else only in formulas up to this size (default 7). */
  readonly maxIfSize?: number;
  /** Memory cap on stored value vectors, in integers (default 2^25, 128 MB); beyond it nothing more is stored. */
  readonly maxStoredValues?: number;
}

const defaults: Required<Omit<SearchOptions, "constants">> = {
  maxSize: 9,
  timeLimitMs: 20_000,
  maxCandidates: 300_000_000,
  maxConstants: 12,
  maxIfSize: 7,
  maxStoredValues: 1 << 25,
};

// Node kinds of stored entries. Comparisons are contiguous: EQ..GE.
const VAR = 0, CONST = 1, ADD = 2, SUB = 3, MUL = 4, FLOORDIV = 5, MOD = 6, MIN = 7, MAX = 8;
const EQ = 9, NE = 10, LT = 11, LE = 12, GT = 13, GE = 14, ABS = 15, IF = 16;
const binaryOps: Record<number, BinaryOp> = {
  [ADD]: "add", [SUB]: "sub", [MUL]: "mul", [FLOORDIV]: "floordiv", [MOD]: "mod", [MIN]: "min", [MAX]: "max",
  [EQ]: "eq", [NE]: "ne", [LT]: "lt", [LE]: "le", [GT]: "gt", [GE]: "ge",
};
const I32_MAX = 2147483647, I32_MIN = -2147483648;
const ZERO_ONE = 1, NEGATIVE = 2, LEAF = 4, CONST_LEAF = 8, VAR_LEAF = 16;

// ---------------------------------------------------------------------------------------------
// Public surface

/** The smallest formula fitting every row, searched in this thread. */
export function searchFormula(table: RegressionTable, options: SearchOptions = {}): Result<Formula, RegressionFailure> {
  const opts = { ...defaults, ...options };
  // Sizes are stored in bytes; a larger budget is a caller's bug, not a property of the table.
  if (!Number.isInteger(opts.maxSize) || opts.maxSize < 1 || opts.maxSize > 64) throw new RangeError(`searchFormula: maxSize ${opts.maxSize} is not in 1..64`);
  const rows = dedupeRows(table);
  if (!rows.ok) return rows;
  const { values, targets } = rows.value;
  if (targets.length === 0) return fail({ reason: "no_fit", detail: "the table has no rows" });
  if (targets.every((t) => t === targets[0])) {
    return ok({ expr: { kind: "const", value: targets[0]! }, method: "constant", size: 1 });
  }
  const constants = options.constants ?? defaultConstants(values, targets, opts.maxConstants);
  return new Search(table, values, targets, constants, opts).run();
}

/** Control of a search in a worker thread: aborting terminates the thread. */
export interface WorkerControl {
  readonly signal?: AbortSignal;
}

/**
 * `searchFormula` on a worker thread of its own, so that two searches use two cores and either
 * can be stopped. The thread is terminated when the signal aborts, or 5 s after the time limit.
 */
export function searchFormulaInWorker(
  table: RegressionTable,
  options: SearchOptions = {},
  control: WorkerControl = {},
): Promise<Result<Formula, RegressionFailure>> {
  const limitMs = options.timeLimitMs ?? defaults.timeLimitMs;
  return new Promise((resolve, reject) => {
    const stopped = (detail: string): void => finish(() => resolve(fail({ reason: "budget_exhausted", detail })));
    if (control.signal?.aborted) return resolve(fail({ reason: "budget_exhausted", detail: "cancelled before the search started" }));
    const worker = new Worker(compiledModuleUrl(import.meta.url, "./search-worker.js"), { workerData: { table, options } });
    const onAbort = (): void => stopped("cancelled");
    const watchdog = setTimeout(() => stopped(`the worker did not answer within ${limitMs + 5000} ms`), limitMs + 5000);
    let done = false;
    function finish(settle: () => void): void {
      if (done) return;
      done = true;
      clearTimeout(watchdog);
      control.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      settle();
    }
    control.signal?.addEventListener("abort", onAbort);
    worker.on("message", (message: { result?: Result<Formula, RegressionFailure>; error?: string }) =>
      finish(() => (message.result ? resolve(message.result) : reject(new Error(message.error)))),
    );
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => finish(() => reject(new Error(`search worker exited with code ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------
// Rows and constants

function dedupeRows(table: RegressionTable): Result<{ values: number[][]; targets: number[] }, RegressionFailure> {
  const firstRow = new Map<string, number>();
  const values: number[][] = [];
  const targets: number[] = [];
  for (let r = 0; r < table.values.length; r++) {
    const row = table.values[r]!;
    const target = table.targets[r]!;
    if (![...row, target].every((x) => Number.isInteger(x) && x >= I32_MIN && x <= I32_MAX)) {
      return fail({ reason: "no_fit", detail: `row ${r} holds a value that is not a 32-bit integer` });
    }
    const key = row.join(",");
    const seen = firstRow.get(key);
    if (seen === undefined) {
      firstRow.set(key, r);
      values.push([...row]);
      targets.push(target);
    } else if (table.targets[seen] !== target) {
      const detail = `rows ${seen} and ${r} have the same values (${key}) but targets ${table.targets[seen]} and ${target}`;
      return fail({ reason: "inconsistent_rows", detail });
    }
  }
  return ok({ values, targets });
}

export function defaultConstants(values: readonly (readonly number[])[], targets: readonly number[], maxConstants: number): number[] {
  const largest = (xs: readonly number[]): number => xs.reduce((a, b) => Math.max(a, b), -Infinity);
  const extra = [...targets, largest(targets) + 1];
  const width = values[0]?.length ?? 0;
  for (let v = 0; v < width; v++) extra.push(largest(values.map((row) => row[v]!)) + 1);
  const chosen = [-1, 0, 1, 2, 3];
  const rest = [...new Set(extra)].filter((c) => Math.abs(c) <= 64 && !chosen.includes(c));
  rest.sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  for (const c of rest) if (chosen.length < maxConstants) chosen.push(c);
  return chosen.sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// The store of distinct value vectors

/** Entries in size order; entry i's values are values[i·n .. i·n+n). A hash table finds an entry by its values. */
class Bank {
  count = 0;
  values: Int32Array;
  op = new Uint8Array(1024);
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  third = new Int32Array(1024);
  size = new Uint8Array(1024);
  hash = new Int32Array(1024);
  flags = new Uint8Array(1024);
  private slots = new Int32Array(4096);

  /** At most maxEntries entries (the caller checks before adding). */
  constructor(
    readonly n: number,
    private readonly maxEntries: number,
  ) {
    this.values = new Int32Array(1024 * n);
  }

  /** The entry with these values (hash h), or -1. */
  find(vec: Int32Array, h: number): number {
    const mask = this.slots.length - 1;
    const n = this.n;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === 0) return -1;
      const id = slot - 1;
      if (this.hash[id] !== h) continue;
      const base = id * n;
      let r = 0;
      while (r < n && this.values[base + r] === vec[r]) r++;
      if (r === n) return id;
    }
  }

  add(vec: Int32Array, h: number, op: number, left: number, right: number, third: number, size: number, leafFlags: number): number {
    const id = this.count++;
    if (id === this.op.length) this.growEntries();
    const n = this.n;
    let zeroOne = true;
    let negative = false;
    for (let r = 0; r < n; r++) {
      const x = vec[r]!;
      this.values[id * n + r] = x;
      if (x !== 0 && x !== 1) zeroOne = false;
      if (x < 0) negative = true;
    }
    this.op[id] = op;
    this.left[id] = left;
    this.right[id] = right;
    this.third[id] = third;
    this.size[id] = size;
    this.hash[id] = h;
    this.flags[id] = leafFlags | (zeroOne ? ZERO_ONE : 0) | (negative ? NEGATIVE : 0);
    if (2 * this.count > this.slots.length) this.rehash();
    else this.insertSlot(id);
    return id;
  }

  private insertSlot(id: number): void {
    const mask = this.slots.length - 1;
    let i = this.hash[id]! & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let id = 0; id < this.count; id++) this.insertSlot(id);
  }

  private growEntries(): void {
    const grow = <T extends Int32Array | Uint8Array>(a: T, length: number): T => {
      const b = new (a.constructor as new (length: number) => T)(length);
      b.set(a);
      return b;
    };
    const capacity = Math.min(this.op.length * 2, this.maxEntries);
    this.values = grow(this.values, capacity * this.n);
    this.op = grow(this.op, capacity);
    this.left = grow(this.left, capacity);
    this.right = grow(this.right, capacity);
    this.third = grow(this.third, capacity);
    this.size = grow(this.size, capacity);
    this.hash = grow(this.hash, capacity);
    this.flags = grow(this.flags, capacity);
  }
}

/** MurmurHash3's mixing over a vector of 32-bit integers. */
function hashVector(vec: Int32Array, n: number): number {
  let h = 0x9747b28c;
  for (let r = 0; r < n; r++) {
    let k = Math.imul(vec[r]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= n;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Thrown inside the search when a budget runs out; caught in `run`. */
class BudgetSpent {
  constructor(readonly detail: string) {}
}

// ---------------------------------------------------------------------------------------------
// The search

class Search {
  private readonly n: number;
  private readonly bank: Bank;
  private readonly target: Int32Array;
  private readonly targetZeroOne: boolean;
  private readonly targetMin: number;
  private readonly scratch: Int32Array;
  /** Entries of size s are ids levelStart[s] .. levelStart[s + 1] − 1. */
  private readonly levelStart: number[] = [0, 0];
  private readonly leaves: number[] = [];
  private readonly divisors: number[] = [];
  private readonly maxStore: number;
  private readonly hasTwo: boolean;
  private storeFull = false;
  private candidates = 0;
  private readonly deadline: number;

  constructor(
    private readonly table: RegressionTable,
    values: readonly (readonly number[])[],
    targets: readonly number[],
    private readonly constants: readonly number[],
    private readonly opts: Required<Omit<SearchOptions, "constants">>,
  ) {
    this.n = targets.length;
    this.bank = new Bank(this.n, Math.max(1024, Math.floor(opts.maxStoredValues / this.n)));
    this.target = Int32Array.from(targets);
    this.targetZeroOne = targets.every((t) => t === 0 || t === 1);
    this.targetMin = targets.reduce((a, b) => Math.min(a, b), Infinity);
    this.scratch = new Int32Array(this.n);
    this.fullMask = new Int32Array(Math.ceil(this.n / 32)).fill(-1);
    if (this.n % 32 !== 0) this.fullMask[this.fullMask.length - 1] = (1 << this.n % 32) - 1;
    this.maxStore = opts.maxSize - 2;
    this.hasTwo = constants.includes(2);
    this.deadline = performance.now() + opts.timeLimitMs;
    this.addLeaves(values);
  }

  run(): Result<Formula, RegressionFailure> {
    let reached = 0;
    try {
      for (let s = 1; s <= this.opts.maxSize; s++) {
        if (this.rootSearch(s)) return ok(this.formula());
        reached = s;
        if (s >= 2 && s <= this.maxStore) this.grow(s);
        this.levelStart[s + 1] = this.bank.count;
      }
    } catch (error) {
      if (!(error instanceof BudgetSpent)) throw error;
      const partial = this.storeFull ? "; the store was full, so larger sizes were searched only in part" : "";
      return fail({ reason: "budget_exhausted", detail: `no formula of size ≤ ${reached} fits; ${error.detail} while searching size ${reached + 1}${partial}` });
    }
    const partial = this.storeFull ? " (the store was full, so larger sizes were searched only in part)" : "";
    return fail({ reason: "budget_exhausted", detail: `no formula of size ≤ ${this.opts.maxSize} fits${partial}` });
  }

  // -- leaves

  private addLeaves(values: readonly (readonly number[])[]): void {
    const bank = this.bank;
    const vec = this.scratch;
    this.table.variables.forEach((_, v) => {
      for (let r = 0; r < this.n; r++) vec[r] = values[r]![v]!;
      // A variable constant on every row says nothing the constants do not.
      if (vec.every((x) => x === vec[0])) return;
      const h = hashVector(vec, this.n);
      if (bank.find(vec, h) >= 0) return;
      const id = bank.add(vec, h, VAR, v, 0, 0, 1, LEAF | VAR_LEAF);
      this.leaves.push(id);
      this.divisors.push(id);
    });
    for (const c of this.constants) {
      vec.fill(c);
      const h = hashVector(vec, this.n);
      if (bank.find(vec, h) >= 0) continue;
      const id = bank.add(vec, h, CONST, c, 0, 0, 1, LEAF | CONST_LEAF);
      this.leaves.push(id);
      if (c >= 2) this.divisors.push(id);
    }
    this.levelStart[2] = bank.count;
  }

  // -- budgets

  private tick(): void {
    if (++this.candidates > this.opts.maxCandidates) throw new BudgetSpent(`the candidate budget (${this.opts.maxCandidates}) ran out`);
    if ((this.candidates & 4095) === 0 && performance.now() > this.deadline) {
      throw new BudgetSpent(`the time limit (${this.opts.timeLimitMs} ms) fired`);
    }
  }

  // -- evaluation

  /** Values of op(a, b, c) into `out`; false when a row fails or leaves the 32-bit range. */
  private compute(op: number, a: number, b: number, c: number, out: Int32Array): boolean {
    const V = this.bank.values;
    const n = this.n;
    const oa = a * n, ob = b * n, oc = c * n;
    switch (op) {
      case ADD:
        for (let r = 0; r < n; r++) {
          const x = V[oa + r]! + V[ob + r]!;
          if (x > I32_MAX || x < I32_MIN) return false;
          out[r] = x;
        }
        return true;
      case SUB:
        for (let r = 0; r < n; r++) {
          const x = V[oa + r]! - V[ob + r]!;
          if (x > I32_MAX || x < I32_MIN) return false;
          out[r] = x;
        }
        return true;
      case MUL:
        for (let r = 0; r < n; r++) {
          const x = V[oa + r]! * V[ob + r]!;
          if (x > I32_MAX || x < I32_MIN) return false;
          out[r] = x;
        }
        return true;
      case FLOORDIV:
        for (let r = 0; r < n; r++) {
          const d = V[ob + r]!;
          if (d === 0) return false;
          const x = Math.floor(V[oa + r]! / d);
          if (x > I32_MAX) return false;
          out[r] = x;
        }
        return true;
      case MOD:
        for (let r = 0; r < n; r++) {
          const d = V[ob + r]!;
          if (d === 0) return false;
          const m = V[oa + r]! % d;
          out[r] = m !== 0 && m < 0 !== d < 0 ? m + d : m;
        }
        return true;
      case MIN:
        for (let r = 0; r < n; r++) out[r] = Math.min(V[oa + r]!, V[ob + r]!);
        return true;
      case MAX:
        for (let r = 0; r < n; r++) out[r] = Math.max(V[oa + r]!, V[ob + r]!);
        return true;
      case EQ:
        for (let r = 0; r < n; r++) out[r] = V[oa + r] === V[ob + r] ? 1 : 0;
        return true;
      case NE:
        for (let r = 0; r < n; r++) out[r] = V[oa + r] !== V[ob + r] ? 1 : 0;
        return true;
      case LT:
        for (let r = 0; r < n; r++) out[r] = V[oa + r]! < V[ob + r]! ? 1 : 0;
        return true;
      case LE:
        for (let r = 0; r < n; r++) out[r] = V[oa + r]! <= V[ob + r]! ? 1 : 0;
        return true;
      case GT:
        for (let r = 0; r < n; r++) out[r] = V[oa + r]! > V[ob + r]! ? 1 : 0;
        return true;
      case GE:
        for (let r = 0; r < n; r++) out[r] = V[oa + r]! >= V[ob + r]! ? 1 : 0;
        return true;
      case ABS:
        for (let r = 0; r < n; r++) {
          const x = Math.abs(V[oa + r]!);
          if (x > I32_MAX) return false;
          out[r] = x;
        }
        return true;
      case IF:
        for (let r = 0; r < n; r++) out[r] = V[oa + r] !== 0 ? V[ob + r]! : V[oc + r]!;
        return true;
    }
    throw new Error(`search: unknown op ${op}`);
  }

  /** Whether a * b, a // b or a % b equals the target on every row; stops at the first row that differs. */
  private scanMatches(op: number, a: number, b: number): boolean {
    const V = this.bank.values;
    const T = this.target;
    const n = this.n;
    const oa = a * n, ob = b * n;
    if (op === MUL) {
      for (let r = 0; r < n; r++) if (V[oa + r]! * V[ob + r]! !== T[r]) return false;
      return true;
    }
    for (let r = 0; r < n; r++) {
      const x = V[oa + r]!;
      const d = V[ob + r]!;
      if (d === 0) return false;
      if (op === FLOORDIV) {
        if (Math.floor(x / d) !== T[r]) return false;
      } else {
        const m = x % d;
        if ((m !== 0 && m < 0 !== d < 0 ? m + d : m) !== T[r]) return false;
      }
    }
    return true;
  }

  // -- storing one level

  /** Evaluate a candidate and store it when its values are new (and not constant). */
  private consider(op: number, a: number, b: number, c: number, size: number): void {
    this.tick();
    const out = this.scratch;
    if (!this.compute(op, a, b, c, out)) return;
    const first = out[0];
    let constant = true;
    for (let r = 1; r < this.n && constant; r++) constant = out[r] === first;
    if (constant) return;
    const h = hashVector(out, this.n);
    if (this.bank.find(out, h) >= 0) return;
    if (this.bank.count >= Math.max(1024, Math.floor(this.opts.maxStoredValues / this.n))) {
      this.storeFull = true;
      return;
    }
    this.bank.add(out, h, op, a, b, c, size, 0);
  }

  /** All expressions of size s from stored ones, each kept when its values are new. */
  private grow(s: number): void {
    const bank = this.bank;
    const start = this.levelStart;
    // abs of size s − 1, only where it changes something.
    for (let a = start[s - 1]!; a < start[s]!; a++) if (bank.flags[a]! & NEGATIVE) this.consider(ABS, a, 0, 0, s);
    // Binary operators: left of size i, right of size j, i + j = s − 1.
    for (let i = 1; i <= s - 2; i++) {
      const j = s - 1 - i;
      const [bLo, bHi] = [start[j]!, start[j + 1]!];
      for (let a = start[i]!; a < start[i + 1]!; a++) {
        const aConst = (bank.flags[a]! & CONST_LEAF) !== 0;
        for (let b = bLo; b < bHi; b++) {
          const bConst = (bank.flags[b]! & CONST_LEAF) !== 0;
          if (aConst && bConst) continue;
          if (a === b) {
            if (!this.hasTwo) this.consider(ADD, a, b, 0, s); // else 2 * a, no larger
            if (this.mulAllowed(a, b)) this.consider(MUL, a, b, 0, s); // x * x
            continue;
          }
          const unordered = i < j || a < b; // commutative ops: each pair once
          if (unordered) {
            if (!this.doubles(a, b)) this.consider(ADD, a, b, 0, s);
            this.consider(MIN, a, b, 0, s);
            this.consider(MAX, a, b, 0, s);
            for (let op = EQ; op <= GE; op++) this.consider(op, a, b, 0, s);
          }
          this.consider(SUB, a, b, 0, s);
          if (this.mulAllowed(a, b)) this.consider(MUL, a, b, 0, s);
          if (j === 1 && this.isDivisor(b)) {
            this.consider(FLOORDIV, a, b, 0, s);
            this.consider(MOD, a, b, 0, s);
          }
        }
      }
    }
    if (s <= this.opts.maxIfSize) this.growIf(s);
  }

  private growIf(s: number): void {
    const bank = this.bank;
    for (let i = 1; i <= s - 3; i++) {
      for (let j = 1; i + j <= s - 2; j++) {
        const k = s - 1 - i - j;
        for (let cond = this.levelStart[i]!; cond < this.levelStart[i + 1]!; cond++) {
          if (!(bank.flags[cond]! & ZERO_ONE)) continue;
          for (let a = this.levelStart[j]!; a < this.levelStart[j + 1]!; a++) {
            for (let b = this.levelStart[k]!; b < this.levelStart[k + 1]!; b++) {
              if (a !== b) this.consider(IF, cond, a, b, s);
            }
          }
        }
      }
    }
  }

  /**
   * Whether a + b is a + (a ± c) for a leaf a: the same size as 2 * a ± c, which is kept instead
   * because it reads better (when 2 is a constant).
   */
  private doubles(a: number, b: number): boolean {
    const bank = this.bank;
    if (!this.hasTwo || !(bank.flags[a]! & LEAF) || (bank.op[b] !== ADD && bank.op[b] !== SUB)) return false;
    return bank.left[b] === a || (bank.op[b] === ADD && bank.right[b] === a);
  }

  /** `a * b` with a leaf on the left: a constant times anything, or a variable times a non-constant. */
  private mulAllowed(a: number, b: number): boolean {
    const fa = this.bank.flags[a]!;
    const fb = this.bank.flags[b]!;
    if (!(fa & LEAF)) return false;
    if (fa & CONST_LEAF) return this.bank.left[a] !== 0 && this.bank.left[a] !== 1;
    if (fb & CONST_LEAF) return false; // written as constant * variable
    return !(fb & VAR_LEAF) || a <= b;
  }

  private isDivisor(id: number): boolean {
    const f = this.bank.flags[id]!;
    return (f & VAR_LEAF) !== 0 || ((f & CONST_LEAF) !== 0 && this.bank.left[id]! >= 2);
  }

  // -- root checks: is there a formula of exactly size s equal to the target?

  private solution: { op: number; a: number; b: number; c: number } | null = null;

  /** Whether some formula of exactly size s fits (then `solution` holds its root). */
  private rootSearch(s: number): boolean {
    if (s === 1) {
      const id = this.bank.find(this.target, hashVector(this.target, this.n));
      return id >= 0 && this.found(-1, id, 0, 0);
    }
    const checks = [
      () => this.rootAbs(s),
      () => this.rootAddSub(s),
      () => this.rootScan(s),
      () => this.rootMinMax(s),
      () => this.rootCompare(s),
      () => this.rootIf(s),
    ];
    return checks.some((check) => check());
  }

  private found(op: number, a: number, b: number, c: number): true {
    this.solution = { op, a, b, c };
    return true;
  }

  /** Ids of stored entries with size ≤ m. */
  private upTo(m: number): number {
    return this.levelStart[Math.min(m, this.maxStore) + 1] ?? this.bank.count;
  }

  private rootAbs(s: number): boolean {
    if (this.targetMin < 0 || s - 1 > this.maxStore) return false;
    const bank = this.bank;
    const n = this.n;
    for (let a = this.levelStart[s - 1]!; a < this.levelStart[s]!; a++) {
      this.tick();
      if (!(bank.flags[a]! & NEGATIVE)) continue;
      let r = 0;
      while (r < n && Math.abs(bank.values[a * n + r]!) === this.target[r]) r++;
      if (r === n) return this.found(ABS, a, 0, 0);
    }
    return false;
  }

  /** t = a + b and t = a − b: for each a, look the other operand up by its values. */
  private rootAddSub(s: number): boolean {
    const bank = this.bank;
    const n = this.n;
    const vec = this.scratch;
    const end = this.upTo(s - 2);
    for (const op of [ADD, SUB]) {
      for (let a = 0; a < end; a++) {
        this.tick();
        const need = s - 1 - bank.size[a]!;
        if (need < 1) continue;
        let valid = true;
        for (let r = 0; r < n; r++) {
          const x = op === ADD ? this.target[r]! - bank.values[a * n + r]! : bank.values[a * n + r]! - this.target[r]!;
          if (x > I32_MAX || x < I32_MIN) valid = false;
          vec[r] = x;
        }
        if (!valid) continue;
        const b = bank.find(vec, hashVector(vec, n));
        if (b >= 0 && bank.size[b] === need) return this.found(op, a, b, 0);
      }
    }
    return false;
  }

  /** Products with a leaf factor, and floor division and modulo by a leaf: linear scans. */
  private rootScan(s: number): boolean {
    if (s - 2 > this.maxStore) return false;
    const bank = this.bank;
    const lo = this.levelStart[s - 2]!;
    const hi = this.levelStart[s - 1]!;
    for (const leaf of this.leaves) {
      for (let b = lo; b < hi; b++) {
        if (!this.mulAllowed(leaf, b)) continue;
        this.tick();
        if (this.scanMatches(MUL, leaf, b)) return this.found(MUL, leaf, b, 0);
      }
    }
    for (let a = lo; a < hi; a++) {
      for (const d of this.divisors) {
        if (d === a || bank.flags[a]! & bank.flags[d]! & CONST_LEAF) continue;
        for (const op of [FLOORDIV, MOD]) {
          this.tick();
          if (this.scanMatches(op, a, d)) return this.found(op, a, d, 0);
        }
      }
    }
    return false;
  }

  /**
   * min(a, b) = t needs a, b ≥ t everywhere (max: ≤ t) and, on each row, one of them equal to t.
   * Operands are grouped by the rows where they equal t, and groups are paired, not entries.
   */
  private rootMinMax(s: number): boolean {
    for (const op of [MIN, MAX]) {
      for (let i = 1; 2 * i <= s - 1; i++) {
        const j = s - 1 - i;
        if (j > this.maxStore) continue;
        const left = this.equalRows(op, i);
        const right = i === j ? left : this.equalRows(op, j);
        for (let x = 0; x < left.length; x++) {
          const a = left[x]!;
          for (let y = i === j ? x + 1 : 0; y < right.length; y++) {
            const b = right[y]!;
            this.tick();
            let w = 0;
            while (w < a.mask.length && (a.mask[w]! | b.mask[w]!) === this.fullMask[w]) w++;
            if (w === a.mask.length) return this.found(op, a.id, b.id, 0);
          }
        }
      }
    }
    return false;
  }

  private readonly fullMask: Int32Array;
  private readonly equalRowsCache = new Map<number, { id: number; mask: Int32Array }[]>();

  /** Entries of one size bounded by the target (≥ it for min, ≤ for max): the first of each set of rows equal to it. */
  private equalRows(op: number, size: number): { id: number; mask: Int32Array }[] {
    const key = op * 256 + size;
    const cached = this.equalRowsCache.get(key);
    if (cached) return cached;
    const bank = this.bank;
    const n = this.n;
    const seen = new Set<string>();
    const groups: { id: number; mask: Int32Array }[] = [];
    for (let a = this.levelStart[size]!; a < this.levelStart[size + 1]!; a++) {
      this.tick();
      const mask = new Int32Array(this.fullMask.length);
      let bounded = true;
      for (let r = 0; r < n && bounded; r++) {
        const x = bank.values[a * n + r]!;
        const t = this.target[r]!;
        if (x === t) mask[r >>> 5]! |= 1 << (r & 31);
        else bounded = op === MIN ? x > t : x < t;
      }
      const text = mask.join(",");
      if (bounded && !seen.has(text)) {
        seen.add(text);
        groups.push({ id: a, mask });
      }
    }
    this.equalRowsCache.set(key, groups);
    return groups;
  }

  /** a ⋈ b = t for 0/1 targets: every pair once, all six comparisons at a time. */
  private rootCompare(s: number): boolean {
    if (!this.targetZeroOne) return false;
    const bank = this.bank;
    const n = this.n;
    const V = bank.values;
    const T = this.target;
    for (let i = 1; 2 * i <= s - 1; i++) {
      const j = s - 1 - i;
      if (j > this.maxStore) continue;
      for (let a = this.levelStart[i]!; a < this.levelStart[i + 1]!; a++) {
        const aConst = bank.flags[a]! & CONST_LEAF;
        for (let b = i < j ? this.levelStart[j]! : a + 1; b < this.levelStart[j + 1]!; b++) {
          if (aConst && bank.flags[b]! & CONST_LEAF) continue;
          this.tick();
          // Bits: eq, ne, lt, le, gt, ge still possible.
          let alive = 0b111111;
          for (let r = 0; r < n && alive !== 0; r++) {
            const x = V[a * n + r]!;
            const y = V[b * n + r]!;
            const t = T[r]!;
            const eq = x === y ? 1 : 0;
            const lt = x < y ? 1 : 0;
            const gt = x > y ? 1 : 0;
            const results = eq | ((1 - eq) << 1) | (lt << 2) | ((lt | eq) << 3) | (gt << 4) | ((gt | eq) << 5);
            alive &= t === 1 ? results : ~results;
          }
          if (alive !== 0) return this.found(EQ + Math.log2(alive & -alive), a, b, 0);
        }
      }
    }
    return false;
  }

  /** cond ? a : b = t: for each 0/1 condition, branches that match t on their own rows. */
  private rootIf(s: number): boolean {
    if (s > this.opts.maxIfSize) return false;
    const bank = this.bank;
    const n = this.n;
    const V = bank.values;
    const T = this.target;
    for (let i = 1; i <= s - 3; i++) {
      for (let cond = this.levelStart[i]!; cond < this.levelStart[i + 1]!; cond++) {
        if (!(bank.flags[cond]! & ZERO_ONE)) continue;
        const branchEnd = this.upTo(s - 2 - i);
        // Smallest branch of each size that matches where cond is 1 (then) and 0 (else).
        const then: number[] = [];
        const otherwise: number[] = [];
        for (let a = 0; a < branchEnd; a++) {
          this.tick();
          let matchThen = true;
          let matchElse = true;
          for (let r = 0; r < n && (matchThen || matchElse); r++) {
            if (V[a * n + r] === T[r]) continue;
            if (V[cond * n + r] !== 0) matchThen = false;
            else matchElse = false;
          }
          const size = bank.size[a]!;
          if (matchThen && then[size] === undefined) then[size] = a;
          if (matchElse && otherwise[size] === undefined) otherwise[size] = a;
        }
        for (let j = 1; j <= s - 2 - i; j++) {
          const a = then[j];
          const b = otherwise[s - 1 - i - j];
          if (a !== undefined && b !== undefined) return this.found(IF, cond, a, b);
        }
      }
    }
    return false;
  }

  // -- the answer

  private formula(): Formula {
    const { op, a, b, c } = this.solution!;
    const expr = op < 0 ? this.exprOf(a) : this.node(op, a, b, c);
    return { expr, method: "search", size: exprSize(expr) };
  }

  private exprOf(id: number): Expr {
    const bank = this.bank;
    return this.node(bank.op[id]!, bank.left[id]!, bank.right[id]!, bank.third[id]!);
  }

  /** Build an Expr; constants go on the right of commutative operators and comparisons (x >= 2, not 2 <= x). */
  private node(op: number, a: number, b: number, c: number): Expr {
    if (op === VAR) return { kind: "var", variable: this.table.variables[a]! };
    if (op === CONST) return { kind: "const", value: a };
    if (op === ABS) return { kind: "unary", op: "abs", arg: this.exprOf(a) };
    if (op === IF) return { kind: "if", cond: this.exprOf(a), then: this.exprOf(b), else: this.exprOf(c) };
    let left = this.exprOf(a);
    let right = this.exprOf(b);
    let name = binaryOps[op]!;
    const mirrored: Partial<Record<BinaryOp, BinaryOp>> = { add: "add", min: "min", max: "max", eq: "eq", ne: "ne", lt: "gt", le: "ge", gt: "lt", ge: "le" };
    if (left.kind === "const" && right.kind !== "const" && mirrored[name] !== undefined) {
      [left, right, name] = [right, left, mirrored[name]!];
    }
    // x - -1 reads as x + 1 (and x + -1 as x - 1).
    if ((name === "add" || name === "sub") && right.kind === "const" && right.value < 0) {
      [right, name] = [{ kind: "const", value: -right.value }, name === "add" ? "sub" : "add"];
    }
    return { kind: "binary", op: name, left, right };
  }
}
