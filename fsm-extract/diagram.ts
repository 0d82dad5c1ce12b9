/**
 * State diagrams of a machine: Graphviz DOT, Mermaid, and a self-contained SVG. Each state shows its code and output;
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

/**
 * A self-contained SVG of the diagram (no layout engine): states on a circle, the initial one at
 * the top with a double ring, each edge a curve bending to its left (so a pair of opposite edges
 * stays apart), self-loops as small rings outside the circle.
 */
export function machineToSvg(machine: Machine, maxStates = 24): string {
  const g = graph(machine, maxStates);
  const n = g.states.length;
  const radius = n === 1 ? 0 : Math.max(70, (n * 46) / (2 * Math.PI));
  const node = 20;
  const size = 2 * (radius + node + 40);
  const centre = size / 2;
  const at = (i: number): [number, number] => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)];
  };
  const f = (v: number): string => v.toFixed(1);
  const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f(size)} ${f(size)}" width="${f(size)}" height="${f(size)}" font-family="Helvetica, Arial, sans-serif" font-size="10">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>',
  ];
  for (const e of g.edges) {
    const [x1, y1] = at(e.from);
    const [x2, y2] = at(e.to);
    if (e.from === e.to) {
      const dx = x1 - centre || 0;
      const dy = y1 - centre || -1;
      const len = Math.hypot(dx, dy);
      const [lx, ly] = [x1 + (dx / len) * (node + 12), y1 + (dy / len) * (node + 12)];
      parts.push(`<circle cx="${f(lx)}" cy="${f(ly)}" r="12" fill="none" stroke="#555"/>`);
      parts.push(`<text x="${f(lx + (dx / len) * 18)}" y="${f(ly + (dy / len) * 18 + 3)}" text-anchor="middle">${escape(e.label)}</text>`);
      continue;
    }
    const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
    const len = Math.hypot(x2 - x1, y2 - y1);
    const [nx, ny] = [-(y2 - y1) / len, (x2 - x1) / len];
    const [cx, cy] = [mx + nx * 0.2 * len, my + ny * 0.2 * len];
    // End the curve on the target's rim: step back along the control-point direction.
    const back = Math.hypot(x2 - cx, y2 - cy);
    const [ex, ey] = [x2 - ((x2 - cx) / back) * node, y2 - ((y2 - cy) / back) * node];
    const start = Math.hypot(cx - x1, cy - y1);
    const [sx, sy] = [x1 + ((cx - x1) / start) * node, y1 + ((cy - y1) / start) * node];
    parts.push(`<path d="M ${f(sx)} ${f(sy)} Q ${f(cx)} ${f(cy)} ${f(ex)} ${f(ey)}" fill="none" stroke="#555" marker-end="url(#arrow)"/>`);
    parts.push(`<text x="${f((sx + 2 * cx + ex) / 4)}" y="${f((sy + 2 * cy + ey) / 4)}" text-anchor="middle" fill="#124">${escape(e.label)}</text>`);
  }
  g.states.forEach((state, i) => {
    const [x, y] = at(i);
    parts.push(`<circle cx="${f(x)}" cy="${f(y)}" r="${node}" fill="#fff" stroke="#222"/>`);
    if (i === 0) parts.push(`<circle cx="${f(x)}" cy="${f(y)}" r="${node - 3}" fill="none" stroke="#222"/>`);
    parts.push(`<text x="${f(x)}" y="${f(y + 3)}" text-anchor="middle">${escape(stateLabel(state, g.outputOf))}</text>`);
  });
  if (g.omitted > 0) parts.push(`<text x="8" y="${f(size - 8)}">${g.omitted} more states not drawn</text>`);
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
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
