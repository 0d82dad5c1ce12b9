/**
 * The paper's 62 benchmark tasks (Michaud et al. 2024, Table 1), as a typed registry.
 *
 * Each entry copies its specification from ../shared/benchmark/tasks.json (test/benchmarks/tasks.test.ts
 * cross-checks the two) and adds `reference`, the exact target written as TypeScript. The registry is
 * source, not a file read at run time, so the task definitions are reviewed like code.
 *
 * Conventions shared by every reference:
 * - x[t] has `inputDim` integers and y[t] has `outputDim` integers, even when the dimension is 1.
 * - A reference is pure and defined for any length >= 1 (later stages verify at 2x and 5x the
 *   training length), so nothing below depends on the task's own `seqLen`.
 * - Inputs before the start count as 0 (x_{<0} := 0), as the targets say.
 * - Integer division and modulo follow Python (floor toward -infinity), see floorDiv and pyMod.
 */
import type { IntRange, Sequence, Step } from "../task/types.js";

/** A task's exact target as a function from an input sequence to the output sequence of the same length. */
export type Reference = (x: Sequence) => Sequence;

/**
 * How input sequences are drawn. "iid": every component of every step uniform over `input`.
 * "palindrome-prefix" (Bit_Palindrome): a random palindrome of random length L >= 2 starts the sequence.
 * "iid-unique" (Previous_Equals_Current): iid, then duplicate sequences within one draw are removed.
 */
export type Sampling = "iid" | "palindrome-prefix" | "iid-unique";

/** The paper's regression methods: integer-linear (LR), Boolean (BR), symbolic (SR). */
export type PaperMethod = "LR" | "BR" | "SR";

/** What the paper reports for a task, copied verbatim from tasks.json. */
export interface PaperResult {
  readonly trainSteps: number;
  /** Hidden size of the smallest RNN the authors trained to 100%. */
  readonly rnnHiddenDim: number;
  readonly mipsSolved: boolean;
  readonly mipsMethod: PaperMethod | null;
  readonly gpt4Solved: boolean;
}

export interface BenchmarkTask {
  readonly name: string;
  readonly inputDim: number;
  readonly outputDim: number;
  /** The alphabet of every input component (inclusive). */
  readonly input: IntRange;
  readonly sampling: Sampling;
  readonly seqLen: number;
  /** Fraction of the paper's data used for training. */
  readonly split: number;
  /** The spec's description of the output values: "[a,b]", "{0,1}", or a looser note for the Newton tasks. */
  readonly outputRange: string;
  /** The spec's exact definition; `reference` implements it. */
  readonly target: string;
  readonly reference: Reference;
  readonly paper: PaperResult;
}

// ---------------------------------------------------------------------------------------------
// Python integer semantics: JavaScript's % truncates toward zero, Python's floors.

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function pyMod(a: number, b: number): number {
  return a - b * Math.floor(a / b);
}

// ---------------------------------------------------------------------------------------------
// Reference builders, one per family of tasks.

/** Component `component` of x_t, with x_t := 0 before the start (t < 0). */
function at(x: Sequence, t: number, component = 0): number {
  return t >= 0 ? x[t]![component]! : 0;
}

/** The last k inputs x_{t-k+1}, ..., x_t (oldest first), zero-padded before the start. */
function lastK(x: Sequence, t: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => at(x, t - k + 1 + i));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** y_t = f(x_t): no memory. */
function pointwise(f: (step: Step) => number): Reference {
  return (x) => x.map((step) => [f(step)]);
}

/** y_t = f(x_0) + ... + f(x_t). */
function prefixSum(f: (step: Step) => number): Reference {
  return (x) => {
    let total = 0;
    return x.map((step) => {
      total += f(step);
      return [total];
    });
  };
}

/** y_t = (f(x_0) + ... + f(x_t)) mod k. */
function prefixSumMod(k: number, f: (step: Step) => number): Reference {
  return (x) => prefixSum(f)(x).map(([total]) => [pyMod(total!, k)]);
}

/** PrevK: y_t = x_{t-k}, and 0 for t < k. */
function prev(k: number): Reference {
  return (x) => x.map((_, t) => [at(x, t - k)]);
}

/** Sum_LastK: y_t = x_{t-k+1} + ... + x_t. */
function sumLast(k: number): Reference {
  return (x) => x.map((_, t) => [sum(lastK(x, t, k))]);
}

/** Parity_LastK: y_t = (x_{t-k+1} + ... + x_t) mod 2. */
function parityLast(k: number): Reference {
  return (x) => x.map((_, t) => [pyMod(sum(lastK(x, t, k)), 2)]);
}

/** Alternating_LastK: 1 iff the last k bits are exactly 0,1,0,... or 1,0,1,... (padding zeros included). */
function alternatingLast(k: number): Reference {
  const fromZero = Array.from({ length: k }, (_, i) => i % 2);
  const fromOne = fromZero.map((bit) => 1 - bit);
  const equals = (a: readonly number[], b: readonly number[]): boolean => a.every((v, i) => v === b[i]);
  return (x) =>
    x.map((_, t) => {
      const window = lastK(x, t, k);
      return [equals(window, fromZero) || equals(window, fromOne) ? 1 : 0];
    });
}

/**
 * Base_k_Addition / Binary_Addition: ripple-carry addition of two numbers given least significant
 * digit first. The carry out of the last position is never output, at any length.
 */
function baseAddition(k: number): Reference {
  return (x) => {
    let carry = 0;
    return x.map(([a, b]) => {
      const digitSum = a! + b! + carry;
      carry = floorDiv(digitSum, k);
      return [pyMod(digitSum, k)];
    });
  };
}

/**
 * Div_k: long division by k of the bits read most significant first. Step t computes quotient bit
 * q_t (always 0 or 1 because the remainder is < k), but outputs the previous one: y_0 = 0,
 * y_t = q_{t-1}. The division simply continues on longer sequences.
 */
function delayedLongDivision(k: number): Reference {
  return (x) => {
    let remainder = 0;
    let previousQuotientBit = 0;
    return x.map(([bit]) => {
      const output = [previousQuotientBit];
      const value = 2 * remainder + bit!;
      previousQuotientBit = floorDiv(value, k);
      remainder = pyMod(value, k);
      return output;
    });
  };
}

/** Majority_0_k: the most frequent value in x_0..x_t, ties broken toward the smallest value. */
function majority(k: number): Reference {
  return (x) => {
    const counts = new Array<number>(k + 1).fill(0);
    return x.map(([v]) => {
      counts[v!]! += 1;
      // indexOf returns the first (smallest) value reaching the maximum count: the tie-break.
      return [counts.indexOf(Math.max(...counts))];
    });
  };
}

/** Max_Seen / Min_Seen: y_t = pick(x_0, ..., x_t). */
function runningExtreme(pick: (a: number, b: number) => number): Reference {
  return (x) => {
    let best = at(x, 0);
    return x.map(([v]) => {
      best = pick(best, v!);
      return [best];
    });
  };
}

function isEven(v: number): boolean {
  return pyMod(v, 2) === 0;
}

const PERFECT_SQUARES_BELOW_20: ReadonlySet<number> = new Set([0, 1, 4, 9, 16]);

/** Bit_Palindrome: is the prefix x_0..x_t a palindrome? (A single step always is.) */
function isPalindromePrefix(x: Sequence, t: number): boolean {
  for (let s = 0; s <= t; s++) if (at(x, s) !== at(x, t - s)) return false;
  return true;
}

/**
 * Balanced_Parenthesis: 0 = "(" adds 1 to the balance, 1 = ")" subtracts 1. Output 1 when the
 * balance is back to 0 and never went negative; once it went negative the sequence is broken and
 * every later output is 0, even if the balance returns to 0.
 */
function balancedParenthesis(x: Sequence): Sequence {
  let balance = 0;
  let broken = false;
  return x.map(([bit]) => {
    balance += 1 - 2 * bit!;
    if (balance < 0) broken = true;
    return [!broken && balance === 0 ? 1 : 0];
  });
}

/** Dithering: the number of multiples of 15 the running sum crossed at this step (0 or 1 for x_t <= 15). */
function dithering(x: Sequence): Sequence {
  let total = 0;
  return x.map(([v]) => {
    const before = total;
    total += v!;
    return [floorDiv(total, 15) - floorDiv(before, 15)];
  });
}

/**
 * Newton_Freebody / Gravity / Spring: unit mass starting at rest at 0; `acceleration` sees the
 * previous position p_{t-1} and the input force x_t. Velocity is updated first, then position.
 */
function newton1d(acceleration: (previousPosition: number, force: number) => number): Reference {
  return (x) => {
    let velocity = 0;
    let position = 0;
    return x.map(([force]) => {
      velocity += acceleration(position, force!);
      position += velocity;
      return [position];
    });
  };
}

/**
 * Newton_Magnetic: a unit charge in a unit magnetic field. The velocity is multiplied by (1 + i)
 * each step, so its magnitude grows like sqrt(2)^t: exact in doubles up to roughly 95 steps, and
 * the reference refuses (throws) rather than return rounded positions beyond that.
 */
function newtonMagnetic(x: Sequence): Sequence {
  let vx = 0;
  let vy = 0;
  let px = 0;
  let py = 0;
  return x.map(([fx, fy], t) => {
    const ax = fx! - vy;
    const ay = fy! + vx;
    vx += ax;
    vy += ay;
    px += vx;
    py += vy;
    if (!Number.isSafeInteger(px) || !Number.isSafeInteger(py)) {
      throw new RangeError(`Newton_Magnetic: position exceeds 2^53 at step ${t}; too long for exact doubles`);
    }
    return [px, py];
  });
}

// ---------------------------------------------------------------------------------------------
// The registry, in tasks.json order (alphabetical).

export const benchmarkTasks: readonly BenchmarkTask[] = [
  {
    name: "Abs_Current",
    inputDim: 1, outputDim: 1, input: { min: -100, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,100]",
    target: "y_t = |x_t| for every t",
    reference: pointwise((s) => Math.abs(s[0])),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "SR", gpt4Solved: true },
  },
  {
    name: "Abs_Diff",
    inputDim: 1, outputDim: 1, input: { min: -100, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,199]",
    target: "y_0 = |x_0|; y_t = |x_t - x_{t-1}| for t>=1 (i.e. x_{-1} := 0)",
    reference: (x) => x.map((_, t) => [Math.abs(at(x, t) - at(x, t - 1))]),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "SR", gpt4Solved: false },
  },
  {
    name: "Add_Mod_3",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 2 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[0,2]",
    target: "y_t = (x_0 + x_1 + ... + x_t) mod 3",
    reference: prefixSumMod(3, (s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "SR", gpt4Solved: true },
  },
  {
    name: "Add_Mod_4",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 3 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[0,3]",
    target: "y_t = (x_0 + x_1 + ... + x_t) mod 4",
    reference: prefixSumMod(4, (s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Add_Mod_5",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 4 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[0,4]",
    target: "y_t = (x_0 + x_1 + ... + x_t) mod 5",
    reference: prefixSumMod(5, (s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 3, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Add_Mod_6",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 5 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[0,5]",
    target: "y_t = (x_0 + x_1 + ... + x_t) mod 6",
    reference: prefixSumMod(6, (s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 4, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Add_Mod_7",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 6 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[0,6]",
    target: "y_t = (x_0 + x_1 + ... + x_t) mod 7",
    reference: prefixSumMod(7, (s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 4, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Add_Mod_8",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 7 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[0,7]",
    target: "y_t = (x_0 + x_1 + ... + x_t) mod 8",
    reference: prefixSumMod(8, (s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 67, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Alternating_Last3",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "with x_{-2} = x_{-1} := 0: y_t = 1 if (x_{t-2}, x_{t-1}, x_t) is (0,1,0) or (1,0,1), else 0  (so y_0 = 0 always; y_1 = 1 iff x_0=1,x_1=0)",
    reference: alternatingLast(3),
    paper: { trainSteps: 20000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Alternating_Last4",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "with x_{-3} = x_{-2} = x_{-1} := 0: y_t = 1 if (x_{t-3}, x_{t-2}, x_{t-1}, x_t) is (0,1,0,1) or (1,0,1,0), else 0  (y_0 = y_1 = 0 always; y_2 = 1 iff x_0..x_2 = 1,0,1)",
    reference: alternatingLast(4),
    paper: { trainSteps: 20000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Balanced_Parenthesis",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "0 = '(' , 1 = ')'. B_t = sum_{s<=t} (1 - 2 x_s). y_t = 1 iff B_t = 0 and B_s >= 0 for all s <= t; else 0. Once some B_s < 0 every later y is 0 (the generator 'breaks').",
    reference: balancedParenthesis,
    paper: { trainSteps: 20000, rnnHiddenDim: 1, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Base_3_Addition",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 2 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,2]",
    target: "x_t = (a_t, b_t) are base-3 digits, least significant first. c_0 = 0; s_t = a_t + b_t + c_t; y_t = s_t mod 3; c_(t+1) = floor(s_t / 3). The final carry out of position 9 is discarded (sum truncated to 10 digits).",
    reference: baseAddition(3),
    paper: { trainSteps: 20000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Base_4_Addition",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 3 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,3]",
    target: "x_t = (a_t, b_t) are base-4 digits, least significant first. c_0 = 0; s_t = a_t + b_t + c_t; y_t = s_t mod 4; c_(t+1) = floor(s_t / 4). The final carry out of position 9 is discarded (sum truncated to 10 digits).",
    reference: baseAddition(4),
    paper: { trainSteps: 20000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Base_5_Addition",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 4 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,4]",
    target: "x_t = (a_t, b_t) are base-5 digits, least significant first. c_0 = 0; s_t = a_t + b_t + c_t; y_t = s_t mod 5; c_(t+1) = floor(s_t / 5). The final carry out of position 9 is discarded (sum truncated to 10 digits).",
    reference: baseAddition(5),
    paper: { trainSteps: 20000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Base_6_Addition",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 5 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,5]",
    target: "x_t = (a_t, b_t) are base-6 digits, least significant first. c_0 = 0; s_t = a_t + b_t + c_t; y_t = s_t mod 6; c_(t+1) = floor(s_t / 6). The final carry out of position 9 is discarded (sum truncated to 10 digits).",
    reference: baseAddition(6),
    paper: { trainSteps: 20000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Base_7_Addition",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 6 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,6]",
    target: "x_t = (a_t, b_t) are base-7 digits, least significant first. c_0 = 0; s_t = a_t + b_t + c_t; y_t = s_t mod 7; c_(t+1) = floor(s_t / 7). The final carry out of position 9 is discarded (sum truncated to 10 digits).",
    reference: baseAddition(7),
    paper: { trainSteps: 20000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Binary_Addition",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "x_t = (a_t, b_t) bits, least significant first. c_0 = 0; s_t = a_t + b_t + c_t; y_t = s_t mod 2; c_(t+1) = floor(s_t/2). Final carry discarded.",
    reference: baseAddition(2),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "BR", gpt4Solved: false },
  },
  {
    name: "Bit_Dot_Prod_Mod2",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "x_t = (a_t, b_t): y_t = (sum_{s<=t} a_s * b_s) mod 2",
    reference: prefixSumMod(2, (s) => s[0] * s[1]),
    paper: { trainSteps: 20000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "BR", gpt4Solved: false },
  },
  {
    name: "Bit_Palindrome",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "palindrome-prefix", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = 1 iff the prefix x_0..x_t is a palindrome (x_s = x_{t-s} for all 0<=s<=t), else 0; y_0 = 1 always",
    reference: (x) => x.map((_, t) => [isPalindromePrefix(x, t) ? 1 : 0]),
    paper: { trainSteps: 20000, rnnHiddenDim: 18, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Bit_Shift_Right",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_0 = 0; y_t = x_{t-1} for t>=1",
    reference: prev(1),
    paper: { trainSteps: 20000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Bitwise_And",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "x_t = (a_t, b_t): y_t = a_t AND b_t",
    reference: pointwise((s) => s[0] & s[1]),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "BR", gpt4Solved: true },
  },
  {
    name: "Bitwise_Not",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = 1 - x_t",
    reference: pointwise((s) => 1 - s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Bitwise_Or",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "x_t = (a_t, b_t): y_t = a_t OR b_t",
    reference: pointwise((s) => s[0] | s[1]),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "BR", gpt4Solved: true },
  },
  {
    name: "Bitwise_Xor",
    inputDim: 2, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "x_t = (a_t, b_t): y_t = a_t XOR b_t",
    reference: pointwise((s) => s[0] ^ s[1]),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "BR", gpt4Solved: true },
  },
  {
    name: "Current_Number",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,99]",
    target: "y_t = x_t (identity)",
    reference: pointwise((s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Diff_Abs_Values",
    inputDim: 1, outputDim: 1, input: { min: -100, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[-100,100]",
    target: "y_0 = |x_0|; y_t = |x_t| - |x_{t-1}| for t>=1 (x_{-1} := 0)",
    reference: (x) => x.map((_, t) => [Math.abs(at(x, t)) - Math.abs(at(x, t - 1))]),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Diff_Last2",
    inputDim: 1, outputDim: 1, input: { min: -100, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[-199,199]",
    target: "y_0 = x_0; y_t = x_t - x_{t-1} for t>=1 (x_{-1} := 0)",
    reference: (x) => x.map((_, t) => [at(x, t) - at(x, t - 1)]),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "LR", gpt4Solved: false },
  },
  {
    name: "Dithering",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 15 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "{0,1}",
    target: "S_t = x_0 + ... + x_t, S_{-1} = 0; y_t = floor(S_t/15) - floor(S_{t-1}/15)  (1-bit error-diffusion quantisation of brightness x/15; always 0 or 1 because x_t <= 15)",
    reference: dithering,
    paper: { trainSteps: 10000, rnnHiddenDim: 81, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Div_3",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "{0,1}",
    target: "long division by 3 of the bit stream read MOST-significant bit first, output delayed by one step (paper/Dropbox variant): r_{-1} = 0; for each t: v_t = 2*r_{t-1} + x_t, q_t = floor(v_t/3) (always 0/1), r_t = v_t mod 3. y_0 = 0; y_t = q_{t-1} for t >= 1 (q_9 is never output). Equivalently q_0..q_9 are the 10 MSB-first binary digits of floor(V/3) with V = sum_t x_t*2^(9-t), and y = (0, q_0, ..., q_8).",
    // tasks.json also lists a variant (HEAD_main) of the upstream repository; the main definition is the paper's.
    reference: delayedLongDivision(3),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Div_5",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "{0,1}",
    target: "long division by 5 of the bit stream read MOST-significant bit first, output delayed by one step (paper/Dropbox variant): r_{-1} = 0; for each t: v_t = 2*r_{t-1} + x_t, q_t = floor(v_t/5) (always 0/1), r_t = v_t mod 5. y_0 = 0; y_t = q_{t-1} for t >= 1 (q_9 is never output). Equivalently q_0..q_9 are the 10 MSB-first binary digits of floor(V/5) with V = sum_t x_t*2^(9-t), and y = (0, q_0, ..., q_8).",
    // tasks.json also lists a variant (HEAD_main) of the upstream repository; the main definition is the paper's.
    reference: delayedLongDivision(5),
    paper: { trainSteps: 10000, rnnHiddenDim: 4, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Div_7",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "{0,1}",
    target: "long division by 7 of the bit stream read MOST-significant bit first, output delayed by one step (paper/Dropbox variant): r_{-1} = 0; for each t: v_t = 2*r_{t-1} + x_t, q_t = floor(v_t/7) (always 0/1), r_t = v_t mod 7. y_0 = 0; y_t = q_{t-1} for t >= 1 (q_9 is never output). Equivalently q_0..q_9 are the 10 MSB-first binary digits of floor(V/7) with V = sum_t x_t*2^(9-t), and y = (0, q_0, ..., q_8).",
    // tasks.json also lists a variant (HEAD_main) of the upstream repository; the main definition is the paper's.
    reference: delayedLongDivision(7),
    paper: { trainSteps: 10000, rnnHiddenDim: 4, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Evens_Counter",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 9 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,10]",
    target: "y_t = #{ s <= t : x_s is even (0,2,4,6,8) }",
    reference: prefixSum((s) => (isEven(s[0]) ? 1 : 0)),
    paper: { trainSteps: 20000, rnnHiddenDim: 4, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Evens_Detector",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 9 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = 1 if x_t is even (0,2,4,6,8) else 0",
    reference: pointwise((s) => (isEven(s[0]) ? 1 : 0)),
    paper: { trainSteps: 20000, rnnHiddenDim: 5, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Majority_0_1",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,1]",
    target: "c_t(v) = #{ s<=t : x_s = v } for v in 0..1; y_t = the smallest v with c_t(v) = max_u c_t(u) (most frequent value in the prefix, ties broken toward the lower value)",
    reference: majority(1),
    paper: { trainSteps: 20000, rnnHiddenDim: 1, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Majority_0_2",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 2 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,2]",
    target: "c_t(v) = #{ s<=t : x_s = v } for v in 0..2; y_t = the smallest v with c_t(v) = max_u c_t(u) (most frequent value in the prefix, ties broken toward the lower value)",
    reference: majority(2),
    paper: { trainSteps: 20000, rnnHiddenDim: 4, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Majority_0_3",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 3 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,3]",
    target: "c_t(v) = #{ s<=t : x_s = v } for v in 0..3; y_t = the smallest v with c_t(v) = max_u c_t(u) (most frequent value in the prefix, ties broken toward the lower value)",
    reference: majority(3),
    paper: { trainSteps: 20000, rnnHiddenDim: 21, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Max_Seen",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 9 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,9]",
    target: "y_t = max(x_0, ..., x_t)",
    // tasks.json also lists a variant (HEAD_main) of the upstream repository; the main definition is the paper's.
    reference: runningExtreme(Math.max),
    paper: { trainSteps: 20000, rnnHiddenDim: 1, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Min_Seen",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 9 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,9]",
    target: "y_t = min(x_0, ..., x_t)",
    reference: runningExtreme(Math.min),
    paper: { trainSteps: 20000, rnnHiddenDim: 1, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Newton_Freebody",
    inputDim: 1, outputDim: 1, input: { min: -10, max: 10 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[-550,550] (bound)",
    target: "force/acceleration x_t, mass 1: v_t = v_{t-1} + x_t; p_t = p_{t-1} + v_t; y_t = p_t; v_{-1} = p_{-1} = 0. (y_t = sum_{s<=t} sum_{r<=s} x_r)",
    reference: newton1d((p, x) => x),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "LR", gpt4Solved: false },
  },
  {
    name: "Newton_Gravity",
    inputDim: 1, outputDim: 1, input: { min: -10, max: 10 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[-605,495] (bound)",
    target: "as Newton_Freebody but with gravity -1: v_t = v_{t-1} + (x_t - 1); p_t = p_{t-1} + v_t; y_t = p_t; v_{-1} = p_{-1} = 0",
    reference: newton1d((p, x) => x - 1),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "LR", gpt4Solved: false },
  },
  {
    name: "Newton_Magnetic",
    inputDim: 2, outputDim: 2, input: { min: -10, max: 10 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "about [-1031,1001] observed in 200k samples",
    target: "x_t = (Fx_t, Fy_t); p, v in Z^2 start at (0,0). a_t = (Fx_t - vy_{t-1}, Fy_t + vx_{t-1}); v_t = v_{t-1} + a_t; p_t = p_{t-1} + v_t; y_t = p_t = (px_t, py_t)",
    reference: newtonMagnetic,
    paper: { trainSteps: 10000, rnnHiddenDim: 4, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Newton_Spring",
    inputDim: 1, outputDim: 1, input: { min: -10, max: 10 }, sampling: "iid", seqLen: 10, split: 0.8,
    outputRange: "[-70,70] (bound)",
    target: "spring k=1, mass 1: a_t = x_t - p_{t-1}; v_t = v_{t-1} + a_t; p_t = p_{t-1} + v_t; y_t = p_t; p_{-1} = v_{-1} = 0. Equivalently p_t = p_{t-1} - p_{t-2} + x_t with p_{-1} = p_{-2} = 0",
    reference: newton1d((p, x) => x - p),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "LR", gpt4Solved: false },
  },
  {
    name: "Parity_All",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = (x_0 + ... + x_t) mod 2",
    reference: prefixSumMod(2, (s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "BR", gpt4Solved: false },
  },
  {
    name: "Parity_Bits_Mod2",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = t mod 2 (0,1,0,1,...,1), independent of the input",
    reference: (x) => x.map((_, t) => [t % 2]),
    paper: { trainSteps: 20000, rnnHiddenDim: 1, mipsSolved: false, mipsMethod: null, gpt4Solved: true },
  },
  {
    name: "Parity_Last2",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_0 = x_0; y_t = x_t XOR x_{t-1} for t>=1",
    reference: parityLast(2),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "BR", gpt4Solved: true },
  },
  {
    name: "Parity_Last3",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = (x_{t-2} + x_{t-1} + x_t) mod 2 with x_{<0} := 0",
    reference: parityLast(3),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "BR", gpt4Solved: false },
  },
  {
    name: "Parity_Last4",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = (x_{t-3} + x_{t-2} + x_{t-1} + x_t) mod 2 with x_{<0} := 0",
    reference: parityLast(4),
    paper: { trainSteps: 10000, rnnHiddenDim: 3, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Parity_Zeros",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 1 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = #{ s<=t : x_s = 0 } mod 2",
    reference: prefixSumMod(2, (s) => (s[0] === 0 ? 1 : 0)),
    paper: { trainSteps: 20000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "BR", gpt4Solved: false },
  },
  {
    name: "Perfect_Square_Detector",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 19 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_t = 1 if x_t in {0,1,4,9,16} else 0",
    reference: pointwise((s) => (PERFECT_SQUARES_BELOW_20.has(s[0]) ? 1 : 0)),
    paper: { trainSteps: 20000, rnnHiddenDim: 48, mipsSolved: false, mipsMethod: null, gpt4Solved: false },
  },
  {
    name: "Prev1",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,99]",
    target: "y_t = x_{t-1} for t >= 1; y_t = 0 for t < 1",
    reference: prev(1),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Prev2",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,99]",
    target: "y_t = x_{t-2} for t >= 2; y_t = 0 for t < 2",
    reference: prev(2),
    paper: { trainSteps: 10000, rnnHiddenDim: 3, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Prev3",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,99]",
    target: "y_t = x_{t-3} for t >= 3; y_t = 0 for t < 3",
    reference: prev(3),
    paper: { trainSteps: 10000, rnnHiddenDim: 4, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Prev4",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,99]",
    target: "y_t = x_{t-4} for t >= 4; y_t = 0 for t < 4",
    reference: prev(4),
    paper: { trainSteps: 10000, rnnHiddenDim: 5, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Prev5",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 20, split: 0.9,
    outputRange: "[0,99]",
    target: "y_t = x_{t-5} for t >= 5; y_t = 0 for t < 5",
    reference: prev(5),
    paper: { trainSteps: 10000, rnnHiddenDim: 6, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Previous_Equals_Current",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 7 }, sampling: "iid-unique", seqLen: 10, split: 0.9,
    outputRange: "{0,1}",
    target: "y_0 = 1 if x_0 = 0 else 0 (as if x_{-1} := 0); y_t = 1 if x_t = x_{t-1} else 0 for t>=1",
    reference: (x) => x.map((_, t) => [at(x, t) === at(x, t - 1) ? 1 : 0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "SR", gpt4Solved: false },
  },
  {
    name: "Sum_All",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,990]",
    target: "y_t = x_0 + ... + x_t",
    reference: prefixSum((s) => s[0]),
    paper: { trainSteps: 10000, rnnHiddenDim: 1, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Sum_Last2",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,198]",
    target: "y_t = sum of x_s for s = max(0, t-1) .. t (terms before the start count as 0)",
    reference: sumLast(2),
    paper: { trainSteps: 10000, rnnHiddenDim: 2, mipsSolved: true, mipsMethod: "LR", gpt4Solved: false },
  },
  {
    name: "Sum_Last3",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,297]",
    target: "y_t = sum of x_s for s = max(0, t-2) .. t (terms before the start count as 0)",
    reference: sumLast(3),
    paper: { trainSteps: 10000, rnnHiddenDim: 3, mipsSolved: true, mipsMethod: "LR", gpt4Solved: false },
  },
  {
    name: "Sum_Last4",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 10, split: 0.9,
    outputRange: "[0,396]",
    target: "y_t = sum of x_s for s = max(0, t-3) .. t (terms before the start count as 0)",
    reference: sumLast(4),
    paper: { trainSteps: 10000, rnnHiddenDim: 4, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Sum_Last5",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 20, split: 0.9,
    outputRange: "[0,495]",
    target: "y_t = sum of x_s for s = max(0, t-4) .. t (terms before the start count as 0)",
    reference: sumLast(5),
    paper: { trainSteps: 10000, rnnHiddenDim: 5, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Sum_Last6",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 20, split: 0.9,
    outputRange: "[0,594]",
    target: "y_t = sum of x_s for s = max(0, t-5) .. t (terms before the start count as 0)",
    reference: sumLast(6),
    paper: { trainSteps: 10000, rnnHiddenDim: 6, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
  {
    name: "Sum_Last7",
    inputDim: 1, outputDim: 1, input: { min: 0, max: 99 }, sampling: "iid", seqLen: 20, split: 0.9,
    outputRange: "[0,693]",
    target: "y_t = sum of x_s for s = max(0, t-6) .. t (terms before the start count as 0)",
    reference: sumLast(7),
    paper: { trainSteps: 10000, rnnHiddenDim: 7, mipsSolved: true, mipsMethod: "LR", gpt4Solved: true },
  },
];

const tasksByName: ReadonlyMap<string, BenchmarkTask> = new Map(benchmarkTasks.map((task) => [task.name, task]));

/** The task with exactly this name (case-sensitive), or undefined. */
export function findBenchmarkTask(name: string): BenchmarkTask | undefined {
  return tasksByName.get(name);
}

/**
 * Up to `limit` task names close to `name`, best first, for "did you mean" messages: a
 * case-insensitive exact match if there is one, else names containing the query (Sum_Last ->
 * Sum_Last2..7) and names within a small edit distance (Parity_Al -> Parity_All).
 */
export function suggestBenchmarkTaskNames(name: string, limit = 3): string[] {
  const query = name.toLowerCase();
  const exact = benchmarkTasks.find((task) => task.name.toLowerCase() === query);
  if (exact) return [exact.name];
  const maxDistance = Math.max(2, Math.floor(query.length / 4));
  return benchmarkTasks
    .map((task) => {
      const candidate = task.name.toLowerCase();
      const contains = query.length >= 3 && candidate.includes(query);
      return { name: task.name, score: contains ? 0 : editDistance(query, candidate) };
    })
    .filter(({ score }) => score <= maxDistance)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name: candidate }) => candidate);
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, substitution));
    }
    row = next;
  }
  return row[b.length]!;
}
