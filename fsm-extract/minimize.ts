/**
 * Minimising a partial Moore machine (fsm-extract/finite-table.ts).
 *
 * Partition refinement that treats "unknown" as a value of its own merges only states that are
 * equivalent on everything observed, so it is always safe. Greedy merging with don't-cares (as in
 * RPNI state merging) merges two states when no observed output contradicts it, following the
 * successors the merge forces; states first seen at the last step have no successors, and only
 * merging folds them into the states they behave like. Merging can over-merge where the data is
 * thin, so callers check the result on held-out sequences and keep the safe machine when it fails;
 * `mergeVerified` checks each merge against the network's outputs on training sequences instead.
 */
import { stepKey } from "./hidden-states.js";
import { reachableRenumbered, type FiniteTable } from "./finite-table.js";

/** Quotient by the coarsest partition that keeps observed outputs and unknowns apart. */
export function refinePartition(table: FiniteTable): { table: FiniteTable; blockOf: Int32Array } {
  const a = table.alphabet.length;
  let blockOf = new Int32Array(table.size);
  let count = relabel(blockOf, (s) => (table.outputs[s] ? stepKey(table.outputs[s]!) : "?"));
  for (;;) {
    const current = blockOf;
    const signature = (s: number): string => {
      const parts = [String(current[s])];
      for (let k = 0; k < a; k++) {
        const t = table.next[s * a + k]!;
        parts.push(t >= 0 ? String(current[t]) : "?");
      }
      return parts.join(" ");
    };
    const refined = new Int32Array(table.size);
    const refinedCount = relabel(refined, signature);
    blockOf = refined;
    if (refinedCount === count) break;
    count = refinedCount;
  }
  return quotient(table, blockOf, count);
}

/**
 * Greedy don't-care merging of a (small) machine, then the reachable part renumbered. Pairs are
 * tried nearest first when the states' hidden vectors are given (the network's geometry says which
 * states mean the same), else in index order.
 */
export function mergeCompatible(table: FiniteTable, centres?: readonly (readonly number[])[]): { table: FiniteTable; blockOf: Int32Array } {
  const state = MergeState.of(table);
  for (const [i, j] of candidatePairs(table, centres)) {
    if (state.find(i) !== state.find(j)) state.merge(i, j);
  }
  return state.quotient(table);
}

/** Sequences a merged machine must reproduce: per sequence, the input symbols and the output key expected after each. */
export interface MergeEvidence {
  readonly symbols: readonly Int32Array[];
  readonly outputs: readonly (readonly string[])[];
}

/**
 * Greedy merging where each merge must also keep the machine reproducing `evidence` (the network's
 * own outputs on training sequences): nearest pairs first, a merge that breaks a sequence is undone.
 * Unlike don't-care merging it cannot over-merge on thin data, so it can fold states that drift
 * apart only after the training length (exploration keeps those apart). Stops merging at
 * `deadline` (performance.now()); every merge kept so far was checked, so the result stays valid.
 */
export function mergeVerified(
  table: FiniteTable,
  evidence: MergeEvidence,
  centres: readonly (readonly number[])[] | undefined,
  deadline: number,
): { table: FiniteTable; blockOf: Int32Array } {
  const state = MergeState.of(table);
  // Tolerance-merged states can make the unmerged machine itself miss a few sequences: merges must
  // keep every sequence it gets right.
  const kept = state.reproducedPart(evidence);
  for (const [i, j] of candidatePairs(table, centres)) {
    if (performance.now() > deadline) break;
    if (state.find(i) === state.find(j) || !state.merge(i, j)) continue;
    if (!state.reproduces(kept)) state.undo();
  }
  return state.quotient(table);
}

/**
 * Red–blue state merging (RPNI) of a prefix tree: in breadth-first order, each blue node (a
 * successor of a red one) folds into the first red node it is compatible with — red nodes nearest
 * in `centres` first — or turns red. Gives up past `deadline` or `maxRed` red nodes.
 */
export function mergeRedBlue(
  tree: FiniteTable,
  centres: readonly (readonly number[])[],
  deadline: number,
  maxRed = 2000,
): { ok: true; value: { table: FiniteTable; blockOf: Int32Array } } | { ok: false; detail: string } {
  const a = tree.alphabet.length;
  const depth = breadthFirstDepths(tree);
  const state = MergeState.of(tree);
  let red = [0];
  const isRed = new Uint8Array(tree.size);
  isRed[0] = 1;
  for (;;) {
    if (performance.now() > deadline) return { ok: false, detail: `state merging ran out of time with ${red.length} states` };
    let blue = -1;
    for (const r of red) {
      for (let k = 0; k < a; k++) {
        const n = state.successor(r, k);
        if (n < 0 || isRed[n]) continue;
        if (blue < 0 || depth[n]! < depth[blue]! || (depth[n] === depth[blue] && n < blue)) blue = n;
      }
    }
    if (blue < 0) break;
    const h = centres[blue]!;
    const order = [...red].sort((p, q) => linf(centres[p]!, h) - linf(centres[q]!, h) || p - q);
    if (!order.some((r) => state.merge(r, blue))) {
      if (red.length >= maxRed) return { ok: false, detail: `state merging needs more than ${maxRed} states` };
      red.push(blue);
      isRed[blue] = 1;
    }
    // A fold can, rarely, merge two red nodes: keep one per class.
    red = [...new Set(red.map((r) => state.find(r)))];
    red.forEach((r) => (isRed[r] = 1));
  }
  return { ok: true, value: state.quotient(tree) };
}

/** Depth of every state reachable from 0 (unreachable: Infinity). */
function breadthFirstDepths(table: FiniteTable): Float64Array {
  const a = table.alphabet.length;
  const depth = new Float64Array(table.size).fill(Infinity);
  depth[0] = 0;
  const queue = [0];
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    for (let k = 0; k < a; k++) {
      const t = table.next[s * a + k]!;
      if (t >= 0 && depth[t] === Infinity) {
        depth[t] = depth[s]! + 1;
        queue.push(t);
      }
    }
  }
  return depth;
}

/** Pairs with no contradicting outputs, nearest first (L∞ between centres), ties in index order. */
function candidatePairs(table: FiniteTable, centres?: readonly (readonly number[])[]): Array<[number, number]> {
  const pairs: Array<[number, number, number]> = [];
  const key = table.outputs.map((o) => (o ? stepKey(o) : null));
  for (let i = 0; i < table.size; i++) {
    for (let j = i + 1; j < table.size; j++) {
      if (key[i] !== null && key[j] !== null && key[i] !== key[j]) continue;
      pairs.push([i, j, centres ? linf(centres[i]!, centres[j]!) : 0]);
    }
  }
  pairs.sort((p, q) => p[2] - q[2] || p[0] - q[0] || p[1] - q[1]);
  return pairs.map(([i, j]) => [i, j]);
}

function linf(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Union–find over states with the merged class's outputs and successors at each root. A merge
 * that hits a contradiction is rolled back from a journal of the entries it changed, so a failed
 * trial costs only the work it did (most fail within a few steps).
 */
class MergeState {
  private readonly journal: Array<{ array: Int32Array | (string | null)[]; index: number; old: number | string | null }> = [];

  private constructor(
    private readonly a: number,
    private readonly parent: Int32Array,
    private readonly next: Int32Array,
    private readonly outputs: (string | null)[],
  ) {}

  static of(table: FiniteTable): MergeState {
    const parent = new Int32Array(table.size);
    for (let s = 0; s < table.size; s++) parent[s] = s;
    return new MergeState(table.alphabet.length, parent, table.next.slice(), table.outputs.map((o) => (o ? stepKey(o) : null)));
  }

  /** The class reached from s's class on symbol k (its root), or −1 when unknown. */
  successor(s: number, k: number): number {
    const n = this.next[this.find(s) * this.a + k]!;
    return n < 0 ? -1 : this.find(n);
  }

  find(s: number): number {
    while (this.parent[s] !== s) s = this.parent[s]!;
    return s;
  }

  /** Merge two classes and everything the merge forces; on a contradiction undo it all and return false. */
  merge(first: number, second: number): boolean {
    this.journal.length = 0;
    const pending: Array<[number, number]> = [[first, second]];
    while (pending.length > 0) {
      const [p, q] = pending.pop()!;
      const x = this.find(p);
      const y = this.find(q);
      if (x === y) continue;
      const ox = this.outputs[x]!;
      const oy = this.outputs[y]!;
      if (ox !== null && oy !== null && ox !== oy) {
        this.rollback();
        return false;
      }
      this.set(this.parent, y, x);
      if (ox === null) this.set(this.outputs, x, oy);
      for (let k = 0; k < this.a; k++) {
        const tx = this.next[x * this.a + k]!;
        const ty = this.next[y * this.a + k]!;
        if (tx < 0) this.set(this.next, x * this.a + k, ty);
        else if (ty >= 0) pending.push([tx, ty]);
      }
    }
    return true;
  }

  /** True when the merged machine, from state 0, gives every expected output of the evidence. */
  reproduces(evidence: MergeEvidence): boolean {
    for (let i = 0; i < evidence.symbols.length; i++) if (!this.reproducesOne(evidence.symbols[i]!, evidence.outputs[i]!)) return false;
    return true;
  }

  /** The sequences of the evidence the machine reproduces now. */
  reproducedPart(evidence: MergeEvidence): MergeEvidence {
    const keep = evidence.symbols.map((symbols, i) => this.reproducesOne(symbols, evidence.outputs[i]!));
    return { symbols: evidence.symbols.filter((_, i) => keep[i]), outputs: evidence.outputs.filter((_, i) => keep[i]) };
  }

  private reproducesOne(symbols: Int32Array, outputs: readonly string[]): boolean {
    let s = this.find(0);
    for (let t = 0; t < symbols.length; t++) {
      const n = this.next[s * this.a + symbols[t]!]!;
      if (n < 0) return false;
      s = this.find(n);
      if (this.outputs[s] !== outputs[t]) return false;
    }
    return true;
  }

  /** The table on the merge classes (numbered by first member), reachable part renumbered. */
  quotient(table: FiniteTable): { table: FiniteTable; blockOf: Int32Array } {
    const roots = new Map<number, number>();
    const blockOf = new Int32Array(table.size);
    for (let s = 0; s < table.size; s++) {
      const r = this.find(s);
      if (!roots.has(r)) roots.set(r, roots.size);
      blockOf[s] = roots.get(r)!;
    }
    return quotient(table, blockOf, roots.size);
  }

  /** Undo the last successful merge. */
  undo(): void {
    this.rollback();
  }

  private set<T extends number | string | null>(array: Int32Array | (string | null)[], index: number, value: T): void {
    this.journal.push({ array, index, old: array[index]! });
    (array as unknown as T[])[index] = value;
  }

  private rollback(): void {
    for (let i = this.journal.length - 1; i >= 0; i--) {
      const { array, index, old } = this.journal[i]!;
      (array as unknown as Array<number | string | null>)[index] = old;
    }
    this.journal.length = 0;
  }
}

/** Assign block numbers in order of first appearance of each key; returns the block count. */
function relabel(blockOf: Int32Array, key: (s: number) => string): number {
  const ids = new Map<string, number>();
  for (let s = 0; s < blockOf.length; s++) {
    const k = key(s);
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    blockOf[s] = id;
  }
  return ids.size;
}

/**
 * The machine on blocks (each takes any known output and successor of its members), reachable part
 * renumbered; blockOf maps each original state to its new state (−1 if unreachable).
 */
function quotient(table: FiniteTable, blockOf: Int32Array, count: number): { table: FiniteTable; blockOf: Int32Array } {
  const a = table.alphabet.length;
  const next = new Int32Array(count * a).fill(-1);
  const outputs: (FiniteTable["outputs"][number])[] = new Array(count).fill(null);
  for (let s = 0; s < table.size; s++) {
    const b = blockOf[s]!;
    outputs[b] ??= table.outputs[s] ?? null;
    for (let k = 0; k < a; k++) {
      const t = table.next[s * a + k]!;
      if (t >= 0 && next[b * a + k] === -1) next[b * a + k] = blockOf[t]!;
    }
  }
  // Block 0 holds state 0 (blocks are numbered by first member), so the initial state stays 0.
  const renumbered = reachableRenumbered({ alphabet: table.alphabet, size: count, next, outputs });
  const newOfBlock = new Int32Array(count).fill(-1);
  renumbered.oldOf.forEach((block, s) => (newOfBlock[block] = s));
  return { table: renumbered.table, blockOf: blockOf.map((b) => newOfBlock[b]!) };
}
