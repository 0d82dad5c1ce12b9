/**
 * Finite states by state merging on the network's own behaviour (the third finite path, for
 * networks whose hidden states drift, so that exploration keeps depth-unrolled copies apart and
 * k-means finds no consistent clustering).
 *
 * 1. The prefix tree of the training sequences: one node per distinct input prefix, labelled with
 *    the network's output after it and the network's hidden state there.
 * 2. Red–blue merging (RPNI, Oncina & García 1992): red nodes are the machine's states so far; a
 *    blue node (a successor of a red one) merges into the first red node, nearest hidden state
 *    first, with which it folds without contradicting any output — else it turns red.
 *
 * Every merge keeps every training sequence's outputs, so the machine reproduces the network on
 * all of its training data by construction; held-out sequences then check that it generalises.
 */
import type { Step } from "../task/types.js";
import type { FiniteTable } from "./finite-table.js";
import { symbolIndex } from "./finite-table.js";
import { stepKey, type HiddenTrace } from "./hidden-states.js";
import { mergeRedBlue } from "./minimize.js";

export interface PrefixTree {
  readonly table: FiniteTable;
  /** The network's hidden state at each node (the root: h₋₁ = 0). */
  readonly centres: number[][];
}

export type PrefixTreeResult = { ok: true; value: PrefixTree } | { ok: false; detail: string };

/** The prefix tree of the traces; gives up beyond `maxNodes` nodes. */
export function prefixTree(traces: readonly HiddenTrace[], alphabet: readonly Step[], maxNodes: number): PrefixTreeResult {
  const a = alphabet.length;
  const index = symbolIndex(alphabet);
  const next: number[] = new Array<number>(a).fill(-1);
  const outputs: (Step | null)[] = [null];
  const centres: number[][] = [[...traces[0]?.hidden[0] ?? []]];
  for (const trace of traces) {
    let node = 0;
    for (let t = 0; t < trace.inputs.length; t++) {
      const k = index.get(stepKey(trace.inputs[t]!));
      if (k === undefined) break;
      let child = next[node * a + k]!;
      if (child < 0) {
        if (outputs.length >= maxNodes) return { ok: false, detail: `more than ${maxNodes} distinct training prefixes` };
        child = outputs.length;
        next[node * a + k] = child;
        for (let j = 0; j < a; j++) next.push(-1);
        outputs.push(trace.predictions[t]!);
        centres.push([...trace.hidden[t + 1]!]);
      }
      node = child;
    }
  }
  return { ok: true, value: { table: { alphabet, size: outputs.length, next: Int32Array.from(next), outputs }, centres } };
}

/** The red–blue machine of the traces, with the hidden state of each state's first prefix. */
export function mergedMachine(
  traces: readonly HiddenTrace[],
  alphabet: readonly Step[],
  options: { readonly maxNodes: number; readonly deadline: number },
): { ok: true; value: { table: FiniteTable; centres: number[][]; nodes: number } } | { ok: false; detail: string } {
  const tree = prefixTree(traces, alphabet, options.maxNodes);
  if (!tree.ok) return tree;
  const merged = mergeRedBlue(tree.value.table, tree.value.centres, options.deadline);
  if (!merged.ok) return merged;
  const centres: number[][] = new Array(merged.value.table.size);
  merged.value.blockOf.forEach((b, node) => {
    if (b >= 0 && centres[b] === undefined) centres[b] = tree.value.centres[node]!;
  });
  return { ok: true, value: { table: merged.value.table, centres, nodes: tree.value.table.size } };
}
