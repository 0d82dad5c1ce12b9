/**
 * State re-codings: the same machine with its states written as other integer vectors, so that the
 * formulas for its transitions and outputs come out shorter. Regression (symbolic/regress.ts) tries
 * every re-coding here and keeps the one with the smallest total formula size.
 *
 * A re-coding is a Machine of the same behaviour: from its initial code, every input sequence on
 * which the original machine is defined gives the same outputs. Two constructions:
 * - lattice machines: an affine map of the codes applied to every row (offset removed, one or all
 *   coordinates negated); `encode` maps an original code to its new one;
 * - finite machines: an observer that follows the machine and keeps a code (the next state's code
 *   from the state alone, or a window of past inputs); the re-coded machine is built from the
 *   reachable (state, code) pairs and is valid only when the codes determine the transitions and
 *   the outputs. Codes of several states may coincide (a quotient), and one state may carry
 *   several codes (the input window of a state is not always unique).
 *
 * Finite re-codings tried: as extracted (breadth-first numbering); by output value (when outputs
 * determine the state); ranks along the first principal direction of the states' hidden-vector
 * centres; output value plus the block of a closed partition (a Hartmanis–Stearns decomposition:
 * carry and digit of an adder); the last k inputs (a shift register); binary codes of the
 * breadth-first and principal numberings, one bit per register; one-hot.
 */
import type { Machine, OutputRow, StateCode, TransitionRow } from "../fsm-extract/types.js";
import type { Step } from "../task/types.js";

export interface Recoding {
  /** Short identifier, e.g. "by-output", "binary(bfs)". */
  readonly name: string;
  /** How the states were re-coded, in words (ProgramIR.recoding). */
  readonly description: string;
  /** The re-coded machine (same behaviour as the original). */
  readonly machine: Machine;
  /** Register names the re-coding justifies (bits, one-hot flags, input windows), if any. */
  readonly registerNames?: readonly string[];
  /** Lattice re-codings: the new code of an original code. */
  readonly encode?: (code: StateCode) => StateCode;
}

export interface RecodeOptions {
  /** Finite re-codings give up beyond this many (state, code) pairs (default 100,000). */
  readonly maxPairs?: number;
  /** One-hot codes only up to this many states (default 16). */
  readonly maxOneHotStates?: number;
  /** Binary codes only up to this many states (default 256: beyond, bit formulas only restate the table). */
  readonly maxBinaryStates?: number;
  /** Closed partitions are searched only up to this many states (default 64). */
  readonly maxPartitionStates?: number;
  /** Input windows up to this length (default 6). */
  readonly maxWindow?: number;
}

const defaults: Required<RecodeOptions> = { maxPairs: 100_000, maxOneHotStates: 16, maxBinaryStates: 256, maxPartitionStates: 64, maxWindow: 6 };

/** Every re-coding that applies to the machine, the machine as extracted first. */
export function recodings(machine: Machine, options: RecodeOptions = {}): Recoding[] {
  const opts = { ...defaults, ...options };
  return machine.path === "lattice" ? latticeRecodings(machine) : finiteRecodings(machine, opts);
}

const key = (v: readonly number[]): string => v.join(",");

// ---------------------------------------------------------------- lattice machines

function latticeRecodings(machine: Machine): Recoding[] {
  const identity: Recoding = { name: "as-extracted", description: "lattice codes as extracted", machine, encode: (z) => z };
  const out = [identity];
  const d = machine.stateDim;
  const offset = machine.initial;
  if (offset.some((x) => x !== 0)) {
    out.push(mapLattice(machine, "offset-removed", `lattice codes minus the initial code [${offset.join(", ")}]`, (z) => z.map((x, i) => x - offset[i]!)));
  }
  const base = out[out.length - 1]!;
  const baseEncode = base.encode!;
  for (let i = 0; i < d; i++) {
    const negated = mapLattice(base.machine, `negate-${i}`, `${base.description}, coordinate ${i} negated`, (z) => z.map((x, j) => (j === i ? -x : x) + 0));
    out.push({ ...negated, encode: (z) => negated.encode!(baseEncode(z)) });
  }
  if (d > 1) {
    const negated = mapLattice(base.machine, "negate-all", `${base.description}, every coordinate negated`, (z) => z.map((x) => -x + 0));
    out.push({ ...negated, encode: (z) => negated.encode!(baseEncode(z)) });
  }
  return out;
}

/** The lattice machine with every code z replaced by f(z) (f injective). */
function mapLattice(machine: Machine, name: string, description: string, f: (z: StateCode) => number[]): Recoding {
  const transitions = machine.transitions.map((r) => ({ state: f(r.state), input: r.input, next: f(r.next) }));
  const outputs = machine.outputs.map((o) => ({ state: f(o.state), output: o.output }));
  return {
    name,
    description,
    machine: {
      ...machine,
      initial: f(machine.initial),
      states: machine.states.map(f),
      transitions: sortTransitions(transitions),
      outputs: sortOutputs(outputs),
    },
    encode: f,
  };
}

// ---------------------------------------------------------------- finite machines

/** The finite machine as arrays: next[s * a + k] (−1 unknown), output per state (null unknown). */
export interface StateTable {
  readonly n: number;
  readonly inputs: readonly Step[];
  readonly next: Int32Array;
  readonly outputs: readonly (Step | null)[];
}

export function finiteTable(machine: Machine): StateTable {
  const n = machine.states.length;
  const a = machine.inputs.length;
  const inputIndex = new Map(machine.inputs.map((x, k) => [key(x), k]));
  const next = new Int32Array(n * a).fill(-1);
  for (const r of machine.transitions) next[r.state[0]! * a + inputIndex.get(key(r.input))!] = r.next[0]!;
  const outputs: (Step | null)[] = new Array(n).fill(null);
  for (const o of machine.outputs) outputs[o.state[0]!] = o.output;
  return { n, inputs: machine.inputs, next, outputs };
}

/** How an observer updates its code on a transition s →(input k) t. */
type Observer = (code: readonly number[], k: number, t: number) => number[];

function finiteRecodings(machine: Machine, opts: Required<RecodeOptions>): Recoding[] {
  const t = finiteTable(machine);
  const out: Recoding[] = [];
  const add = (r: Recoding | null): void => {
    if (r) out.push(r);
  };
  const bfs = Array.from({ length: t.n }, (_, s) => s);
  add(byStateCodes(machine, t, "as-extracted", "finite states numbered breadth first, as extracted", bfs.map((s) => [s])));
  add(byOutput(machine, t, opts));
  const principal = principalOrder(machine);
  if (principal) {
    add(byStateCodes(machine, t, "principal", "finite states numbered by rank along the first principal direction of their hidden-state centres, the initial state 0", principal.map((r) => [r])));
  }
  add(byOutputAndPartition(machine, t, opts));
  add(byInputWindow(machine, t, opts));
  if (t.n <= opts.maxBinaryStates) {
    const bits = Math.max(1, Math.ceil(Math.log2(t.n)));
    const bitNames = Array.from({ length: bits }, (_, i) => `bit${i}`);
    const binary = (numbers: readonly number[]): number[][] => numbers.map((v) => Array.from({ length: bits }, (_, i) => (v >> i) & 1));
    add(byStateCodes(machine, t, "binary(bfs)", "breadth-first state numbers in binary (register bitI holds bit I)", binary(bfs), bitNames));
    if (principal) {
      add(byStateCodes(machine, t, "binary(principal)", "principal-direction state numbers in binary (register bitI holds bit I)", binary(principal.map((r) => r - Math.min(...principal))), bitNames));
    }
  }
  if (t.n <= opts.maxOneHotStates && t.n > 2) {
    const oneHot = bfs.map((s) => bfs.map((i) => (i === s ? 1 : 0)));
    add(byStateCodes(machine, t, "one-hot", "one-hot: register qi is 1 in state i (breadth-first numbering)", oneHot, bfs.map((i) => `q${i}`)));
  }
  return out;
}

/** The re-coding that gives state s the code codes[s]; null when those codes do not determine the machine. */
function byStateCodes(machine: Machine, t: StateTable, name: string, description: string, codes: readonly (readonly number[])[], registerNames?: readonly string[]): Recoding | null {
  return observe(machine, t, name, description, codes[0]!, (_code, _k, next) => [...codes[next]!], Infinity, registerNames);
}

/**
 * Follow the machine from (initial state, initialCode), updating the code with `observer`, over
 * every reachable (state, code) pair; the re-coded machine has one transition per (code, input).
 * Null when a (code, input) pair leads to two codes, a code shows two outputs, or there are more
 * than maxPairs pairs.
 */
function observe(
  machine: Machine,
  t: StateTable,
  name: string,
  description: string,
  initialCode: readonly number[],
  observer: Observer,
  maxPairs: number,
  registerNames?: readonly string[],
): Recoding | null {
  const a = t.inputs.length;
  const seen = new Set<string>([`0|${key(initialCode)}`]);
  const queue: Array<{ s: number; code: readonly number[] }> = [{ s: 0, code: initialCode }];
  const transitions = new Map<string, TransitionRow>();
  const outputs = new Map<string, OutputRow>();
  const states = new Map<string, StateCode>([[key(initialCode), initialCode]]);
  if (t.outputs[0]) outputs.set(key(initialCode), { state: initialCode, output: t.outputs[0] });
  for (let q = 0; q < queue.length; q++) {
    const { s, code } = queue[q]!;
    for (let k = 0; k < a; k++) {
      const next = t.next[s * a + k]!;
      if (next < 0) continue;
      const nextCode = observer(code, k, next);
      const rowKey = `${key(code)}|${k}`;
      const row = transitions.get(rowKey);
      if (row === undefined) transitions.set(rowKey, { state: code, input: t.inputs[k]!, next: nextCode });
      else if (key(row.next) !== key(nextCode)) return null;
      const y = t.outputs[next];
      if (y) {
        const o = outputs.get(key(nextCode));
        if (o === undefined) outputs.set(key(nextCode), { state: nextCode, output: y });
        else if (key(o.output) !== key(y)) return null;
      }
      states.set(key(nextCode), nextCode);
      const pair = `${next}|${key(nextCode)}`;
      if (!seen.has(pair)) {
        if (seen.size >= maxPairs) return null;
        seen.add(pair);
        queue.push({ s: next, code: nextCode });
      }
    }
  }
  const { clusters: _centresOfOldStates, ...rest } = machine;
  const recoded: Machine = {
    ...rest,
    stateDim: initialCode.length,
    initial: initialCode,
    states: [...states.values()].sort(compareCodes),
    transitions: sortTransitions([...transitions.values()]),
    outputs: sortOutputs([...outputs.values()]),
  };
  return { name, description, machine: recoded, ...(registerNames ? { registerNames } : {}) };
}

/**
 * The output value as the state (one output component). The initial state's output is never read,
 * so it takes the first value (or a fresh one) that keeps the machine deterministic.
 */
function byOutput(machine: Machine, t: StateTable, opts: Required<RecodeOptions>): Recoding | null {
  if (machine.outputDim !== 1) return null;
  const values = [...new Set(t.outputs.flatMap((y) => (y ? [y[0]!] : [])))].sort((p, q) => p - q);
  if (values.length === 0) return null;
  const candidates = t.outputs[0] ? [t.outputs[0][0]!] : [...values, values[values.length - 1]! + 1];
  for (const initial of candidates) {
    const code = (s: number): number[] => [t.outputs[s]?.[0] ?? initial];
    const r = observe(machine, t, "by-output", "finite states numbered by their output value", [initial], (_c, _k, next) => code(next), opts.maxPairs);
    if (r) return r;
  }
  return null;
}

/**
 * The rank of each state along the first principal direction of its hidden-state centre (power
 * iteration from a fixed start, so deterministic), shifted so that the initial state is 0 and
 * oriented so that more states are positive than negative: a counter's value, when the network
 * lays its states out along a line.
 */
export function principalOrder(machine: Machine): number[] | null {
  const centres = machine.clusters?.centres;
  if (!centres || centres.length !== machine.states.length || centres.length < 2) return null;
  const dim = centres[0]!.length;
  const mean = Array.from({ length: dim }, (_, j) => centres.reduce((s, c) => s + c[j]!, 0) / centres.length);
  const centred = centres.map((c) => c.map((x, j) => x - mean[j]!));
  let v = Array.from({ length: dim }, (_, j) => 1 + j / dim);
  for (let iteration = 0; iteration < 200; iteration++) {
    const w = new Array<number>(dim).fill(0);
    for (const c of centred) {
      const p = c.reduce((s, x, j) => s + x * v[j]!, 0);
      for (let j = 0; j < dim; j++) w[j]! += p * c[j]!;
    }
    const norm = Math.hypot(...w);
    if (norm === 0) return null;
    v = w.map((x) => x / norm);
  }
  const projection = centred.map((c) => c.reduce((s, x, j) => s + x * v[j]!, 0));
  const order = projection.map((p, s) => ({ p, s })).sort((x, y) => x.p - y.p || x.s - y.s);
  const rank = new Array<number>(centres.length);
  order.forEach(({ s }, r) => (rank[s] = r));
  // The initial state is 0, and more states lie above it than below (a counter counts up).
  const below = rank[0]!;
  const sign = below > centres.length - 1 - below ? -1 : 1;
  return rank.map((r) => sign * (r - below) + 0);
}

/**
 * Output value plus the block of a closed partition: a partition of the states whose blocks move
 * as a machine of their own (a block and an input determine the next block, Hartmanis–Stearns's
 * substitution property), such that block and output together determine the state. The coarsest
 * such partition found greedily (fewest blocks) wins; its blocks are numbered breadth first.
 * Register 0 holds the block, register 1 the output value.
 */
function byOutputAndPartition(machine: Machine, t: StateTable, opts: Required<RecodeOptions>): Recoding | null {
  if (machine.outputDim !== 1 || t.n > opts.maxPartitionStates || t.n < 3) return null;
  const valid = (blockOf: Int32Array): boolean => {
    const seen = new Set<string>();
    for (let s = 0; s < t.n; s++) {
      const y = t.outputs[s];
      if (!y) continue;
      const k = `${blockOf[s]}|${key(y)}`;
      if (seen.has(k)) return false;
      seen.add(k);
    }
    return true;
  };
  const blockCount = (blockOf: Int32Array): number => new Set(blockOf).size;
  // The closed partition of each pair, then greedy joins from the one with the fewest blocks.
  const closures: Int32Array[] = [];
  for (let i = 0; i < t.n; i++) {
    for (let j = i + 1; j < t.n; j++) {
      const partition = closedPartition(t, [[i, j]]);
      if (blockCount(partition) > 1 && valid(partition)) closures.push(partition);
    }
  }
  if (closures.length === 0) return null;
  let best = closures.reduce((p, q) => (blockCount(q) < blockCount(p) ? q : p));
  for (const other of closures) {
    const joined = closedPartition(t, [...pairsOf(best), ...pairsOf(other)]);
    if (blockCount(joined) > 1 && blockCount(joined) < blockCount(best) && valid(joined)) best = joined;
  }
  const blocks = blockNumbersBreadthFirst(t, best);
  const values = [...new Set(t.outputs.flatMap((y) => (y ? [y[0]!] : [])))].sort((p, q) => p - q);
  const candidates = t.outputs[0] ? [t.outputs[0][0]!] : [...values, values[values.length - 1]! + 1];
  const count = new Set(blocks).size;
  for (const initial of candidates) {
    const code = (s: number): number[] => [blocks[s]!, t.outputs[s]?.[0] ?? initial];
    const r = observe(
      machine, t, "output+partition",
      `finite states coded as (block, output): block of a closed partition of ${count} blocks (numbered breadth first) and the output value`,
      code(0), (_c, _k, next) => code(next), opts.maxPairs,
    );
    if (r) return r;
  }
  return null;
}

/** Pairs (first member, other member) that rebuild a partition. */
function pairsOf(blockOf: Int32Array): Array<[number, number]> {
  const first = new Map<number, number>();
  const pairs: Array<[number, number]> = [];
  blockOf.forEach((b, s) => {
    const f = first.get(b);
    if (f === undefined) first.set(b, s);
    else pairs.push([f, s]);
  });
  return pairs;
}

/** The finest closed partition that puts each given pair in one block (merging forces the successors' merge). */
function closedPartition(t: StateTable, pairs: ReadonlyArray<readonly [number, number]>): Int32Array {
  const a = t.inputs.length;
  const parent = Int32Array.from({ length: t.n }, (_, s) => s);
  const succ = t.next.slice();
  const find = (s: number): number => {
    while (parent[s] !== s) s = parent[s] = parent[parent[s]!]!;
    return s;
  };
  const pending: Array<readonly [number, number]> = [...pairs];
  while (pending.length > 0) {
    const [p, q] = pending.pop()!;
    const x = find(p);
    const y = find(q);
    if (x === y) continue;
    parent[y] = x;
    for (let k = 0; k < a; k++) {
      const tx = succ[x * a + k]!;
      const ty = succ[y * a + k]!;
      if (tx < 0) succ[x * a + k] = ty;
      else if (ty >= 0) pending.push([tx, ty]);
    }
  }
  const ids = new Map<number, number>();
  return Int32Array.from({ length: t.n }, (_, s) => {
    const r = find(s);
    if (!ids.has(r)) ids.set(r, ids.size);
    return ids.get(r)!;
  });
}

/** Blocks renumbered in breadth-first order of the block machine from the initial state's block. */
function blockNumbersBreadthFirst(t: StateTable, blockOf: Int32Array): number[] {
  const a = t.inputs.length;
  const number = new Map<number, number>([[blockOf[0]!, 0]]);
  const queue = [0];
  const visited = new Set([0]);
  for (let i = 0; i < queue.length; i++) {
    for (let k = 0; k < a; k++) {
      const next = t.next[queue[i]! * a + k]!;
      if (next < 0 || visited.has(next)) continue;
      visited.add(next);
      queue.push(next);
      if (!number.has(blockOf[next]!)) number.set(blockOf[next]!, number.size);
    }
  }
  return Array.from(blockOf, (b) => number.get(b) ?? -1);
}

/**
 * The last k inputs as the state (a shift register: register lastj holds the input j − 1 steps
 * back), for the smallest k ≤ maxWindow that determines the outputs; before k inputs were read the
 * window holds a pad value (0, else one below the smallest input).
 */
function byInputWindow(machine: Machine, t: StateTable, opts: Required<RecodeOptions>): Recoding | null {
  if (machine.inputDim !== 1) return null;
  const values = t.inputs.map((x) => x[0]!);
  const pads = [...new Set([0, Math.min(...values) - 1])];
  for (let k = 1; k <= opts.maxWindow; k++) {
    if (Math.pow(t.inputs.length, k) > opts.maxPairs) break;
    for (const pad of pads) {
      const names = Array.from({ length: k }, (_, j) => `last${j + 1}`);
      const r = observe(
        machine, t, `window-${k}`,
        `the last ${k} input${k > 1 ? "s" : ""} as the state (register lastj holds the input j − 1 steps back; ${pad} before the start)`,
        new Array<number>(k).fill(pad), (code, i) => [values[i]!, ...code.slice(0, k - 1)], opts.maxPairs, names,
      );
      if (r) return r;
    }
  }
  return null;
}

// ---------------------------------------------------------------- rows in order

function compareCodes(p: readonly number[], q: readonly number[]): number {
  for (let i = 0; i < Math.min(p.length, q.length); i++) if (p[i] !== q[i]) return p[i]! - q[i]!;
  return p.length - q.length;
}

function sortTransitions(rows: TransitionRow[]): TransitionRow[] {
  return rows.sort((p, q) => compareCodes(p.state, q.state) || compareCodes(p.input, q.input));
}

function sortOutputs(rows: OutputRow[]): OutputRow[] {
  return rows.sort((p, q) => compareCodes(p.state, q.state));
}
