/**
 * index.html of the leaderboard: one self-contained page (no network, no external script or
 * style) with the summary, a bar chart of solved counts against the paper's MIPS and GPT-4, and
 * the task table — sortable by any column — where each solved task's program and state diagram
 * open in a dialog. The data sits in the page as JSON; a small inline script renders it.
 */
import type { CacheEntry } from "./bench-task.js";
import { summaryLine, type LeaderboardResults } from "./leaderboard.js";

export function leaderboardPage(results: LeaderboardResults, entries: ReadonlyMap<string, CacheEntry>): string {
  const data = {
    results,
    programs: Object.fromEntries([...entries].filter(([, e]) => e.python !== null).map(([task, e]) => [task, e.python])),
    diagrams: Object.fromEntries([...entries].filter(([, e]) => e.svg !== null).map(([task, e]) => [task, e.svg])),
  };
  // JSON inside <script>: "<" escaped so no "</script>" can end the element early.
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  const summary = summaryLine(results).replace(/\*\*/g, "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mips leaderboard</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2rem; color: #111; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { cursor: pointer; background: #f4f4f4; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.formula { color: #064; font-weight: bold; } td.table { color: #046; font-weight: bold; } td.unsolved { color: #a00; }
code { font-size: 12px; }
dialog { max-width: 90vw; max-height: 90vh; overflow: auto; }
pre { background: #f8f8f8; padding: 8px; overflow: auto; }
button { cursor: pointer; }
</style>
</head>
<body>
<h1>mips leaderboard</h1>
<p id="summary">${escapeHtml(summary)}</p>
<svg id="chart" width="520" height="190" role="img" aria-label="solved tasks"></svg>
<table id="tasks"><thead><tr></tr></thead><tbody></tbody></table>
<dialog id="viewer"><h2 id="viewer-title"></h2><div id="viewer-diagram"></div><pre id="viewer-code"></pre><form method="dialog"><button>close</button></form></dialog>
<script type="application/json" id="data">${json}</script>
<script>
${PAGE_SCRIPT}
</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The page's behaviour, plain browser JavaScript (no modules, no dependencies). */
const PAGE_SCRIPT = String.raw`
const data = JSON.parse(document.getElementById("data").textContent);
const rows = data.results.tasks;
const totals = data.results.totals;

// Bar chart: mips (formulas + tables stacked), the paper's MIPS, GPT-4.
(function chart() {
  const svg = document.getElementById("chart");
  const bars = [
    { label: "mips", parts: [[totals.formulas, "#2a7", "formulas"], [totals.tables, "#49c", "tables"]] },
    { label: "paper MIPS", parts: [[totals.paperMips, "#999", "solved"]] },
    { label: "GPT-4", parts: [[totals.gpt4, "#bbb", "solved"]] },
  ];
  const scale = 360 / totals.tasks;
  let html = "";
  bars.forEach((bar, i) => {
    const y = 20 + i * 50;
    html += '<text x="0" y="' + (y + 22) + '" font-size="13">' + bar.label + "</text>";
    let x = 100;
    let sum = 0;
    for (const [count, colour, what] of bar.parts) {
      html += '<rect x="' + x + '" y="' + y + '" width="' + count * scale + '" height="32" fill="' + colour + '"><title>' + count + " " + what + "</title></rect>";
      x += count * scale;
      sum += count;
    }
    html += '<text x="' + (x + 6) + '" y="' + (y + 22) + '" font-size="13">' + sum + " / " + totals.tasks + "</text>";
  });
  svg.innerHTML = html;
})();

const columns = [
  { key: "task", label: "task", value: (r) => r.task },
  { key: "status", label: "mips", value: (r) => r.status },
  { key: "program", label: "program", value: (r) => (r.status === "unsolved" ? r.reason || "" : r.lines.map((l) => l.line).join("; ")) },
  { key: "hidden", label: "hidden (paper)", value: (r) => r.hiddenSize ?? Infinity },
  { key: "machine", label: "machine", value: (r) => (r.machine ? r.machine.path + " " + r.machine.states : "") },
  { key: "heldOut", label: "held-out", value: (r) => suite(r.verification.heldOut) },
  { key: "exhaustive", label: "exhaustive", value: (r) => suite(r.verification.exhaustive) },
  { key: "len", label: "2× / 5×", value: (r) => suite(r.verification.length2x) + " / " + suite(r.verification.length5x) },
  { key: "paper", label: "paper MIPS", value: (r) => (r.paper.mipsSolved ? "yes (" + r.paper.mipsMethod + ")" : "no") },
  { key: "gpt4", label: "GPT-4", value: (r) => (r.paper.gpt4Solved ? "yes" : "no") },
  { key: "seconds", label: "seconds", value: (r) => r.seconds.total ?? 0 },
];
function suite(s) { return s ? (s.exact ? "✓ " : "✗ ") + s.sequences : "–"; }
function text(s) { const span = document.createElement("span"); span.textContent = s; return span; }

let sortKey = "task";
let ascending = true;
function render() {
  const head = document.querySelector("#tasks thead tr");
  head.innerHTML = "";
  for (const c of columns) {
    const th = document.createElement("th");
    th.textContent = c.label;
    th.dataset.key = c.key;
    if (c.key === sortKey) th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    th.onclick = () => { ascending = c.key === sortKey ? !ascending : true; sortKey = c.key; render(); };
    head.appendChild(th);
  }
  const column = columns.find((c) => c.key === sortKey);
  const sorted = [...rows].sort((a, b) => {
    const x = column.value(a), y = column.value(b);
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return ascending ? order : -order;
  });
  const body = document.querySelector("#tasks tbody");
  body.innerHTML = "";
  for (const r of sorted) {
    const tr = document.createElement("tr");
    tr.dataset.task = r.task;
    for (const c of columns) {
      const td = document.createElement("td");
      if (c.key === "status") {
        td.className = r.status;
        td.appendChild(text(r.status === "unsolved" ? "unsolved (" + r.stage + ")" : r.status));
        if (data.programs[r.task]) {
          const button = document.createElement("button");
          button.textContent = "program";
          button.className = "open-program";
          button.onclick = () => open(r.task);
          td.appendChild(document.createTextNode(" "));
          td.appendChild(button);
        }
      } else if (c.key === "program" && r.status !== "unsolved") {
        r.lines.forEach((l, i) => { if (i) td.appendChild(document.createElement("br")); const code = document.createElement("code"); code.textContent = l.line; td.appendChild(code); td.appendChild(text(" (" + l.method + ")")); });
      } else if (c.key === "hidden") {
        td.textContent = (r.hiddenSize ?? "–") + " (" + r.paperHiddenSize + ")";
      } else {
        td.textContent = String(c.value(r));
      }
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}
function open(task) {
  document.getElementById("viewer-title").textContent = task;
  document.getElementById("viewer-code").textContent = data.programs[task];
  document.getElementById("viewer-diagram").innerHTML = data.diagrams[task] || "<p>(no state diagram: lattice machine or more than 24 states)</p>";
  document.getElementById("viewer").showModal();
}
render();
`;
