/**
 * State diagrams of a machine: Graphviz DOT and Mermaid. Each state shows its code and output;
 * the inputs that take one state to the same next state share one edge. Big machines (lattice
 * machines have a state per code seen) are drawn up to `maxStates`, nearest the initial state first,
 * with a note saying how many were left out.
 */
import { stepKey } from "./hidden-states.js";
import type { Machine, StateCode, TransitionRow } from "./types.js";

export const DIAGRAM_MAX_STATES = 64;

interface DiagramGraph {
  readonly states: StateCode[];
  readonly edges: Array<{ from: number; to: number; label: string }>;
  readonly omitted: number;
  readonly outputOf: Map<string, string>;
}

export function machineToDot(machine: Machine, maxStates = DIAGRAM_MAX_STATES): string {
  const g = graph(machine, maxStates);
  const lines = ["digraph machine {", "  rankdir=LR;", '  node [shape=circle, fontname="Helvetica"];', '  start [shape=point];'];
  g.states.forEach((s, i) => lines.push(`  s${i} [label="${stateLabel(s, g.outputOf)}"${i === 0 ? ", shape=doublecircle" : ""}];`));
  lines.push("  start -> s0;");
  for (const e of g.edges) lines.push(`  s${e.from} -> s${e.to} [label="${e.label}"];`);
  if (g.omitted > 0) lines.push(`  omitted [shape=note, label="${g.omitted} more states not drawn"];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

export function machineToMermaid(machine: Machine, maxStates = DIAGRAM_MAX_STATES): string {
  const g = graph(machine, maxStates);
  const lines = ["stateDiagram-v2"];
  g.states.forEach((s, i) => lines.push(`  s${i} : ${stateLabel(s, g.outputOf)}`));
  lines.push("  [*] --> s0");
  for (const e of g.edges) lines.push(`  s${e.from} --> s${e.to} : ${e.label}`);
  if (g.omitted > 0) lines.push(`  note right of s0 : ${g.omitted} more states not drawn`);
  return `${lines.join("\n")}\n`;
}

function stateLabel(state: StateCode, outputOf: Map<string, string>): string {
  const output = outputOf.get(stepKey(state));
  return `[${state.join(",")}]${output !== undefined ? ` / ${output}` : ""}`;
}

/** The states reachable from the initial one, breadth first, at most maxStates of them. */
function graph(machine: Machine, maxStates: number): DiagramGraph {
  const outgoing = new Map<string, TransitionRow[]>();
  for (const row of machine.transitions) {
    const key = stepKey(row.state);
    const list = outgoing.get(key);
    if (list) list.push(row);
    else outgoing.set(key, [row]);
  }
  const index = new Map<string, number>([[stepKey(machine.initial), 0]]);
  const states: StateCode[] = [machine.initial];
  const edges: DiagramGraph["edges"] = [];
  for (let i = 0; i < states.length; i++) {
    const byTarget = new Map<number, string[]>();
    for (const row of outgoing.get(stepKey(states[i]!)) ?? []) {
      let to = index.get(stepKey(row.next));
      if (to === undefined) {
        if (states.length >= maxStates) continue;
        to = states.length;
        index.set(stepKey(row.next), to);
        states.push(row.next);
      }
      const labels = byTarget.get(to) ?? [];
      labels.push(row.input.length === 1 ? String(row.input[0]) : `(${row.input.join(",")})`);
      byTarget.set(to, labels);
    }
    for (const [to, labels] of byTarget) edges.push({ from: i, to, label: compactLabels(labels) });
  }
  const outputOf = new Map(machine.outputs.map((o) => [stepKey(o.state), o.output.length === 1 ? String(o.output[0]) : `(${o.output.join(",")})`]));
  return { states, edges, omitted: Math.max(0, machine.states.length - states.length), outputOf };
}

/** "0,1,2,3" stays; long lists are cut with a count. */
function compactLabels(labels: string[]): string {
  return labels.length <= 6 ? labels.join(",") : `${labels.slice(0, 5).join(",")},… (${labels.length})`;
}
