// The leaderboard page in headless Chromium (Debian's `chromium`, driven by playwright-core):
// the table, sorting, a program dialog with its state diagram, the chart. Built from hand-made rows.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { CacheEntry } from "../../benchmarks/bench-task.js";
import { leaderboardPage } from "../../benchmarks/leaderboard-html.js";
import { failedRow, leaderboardTotals, type LeaderboardResults, type LeaderboardRow } from "../../benchmarks/leaderboard.js";
import { benchmarkTasks } from "../../benchmarks/tasks.js";

const CHROMIUM = "/usr/bin/chromium";

/** Every task: the first three solved (a formula, a table, a formula), the rest unsolved. */
function results(): { results: LeaderboardResults; entries: Map<string, CacheEntry> } {
  const entries = new Map<string, CacheEntry>();
  const rows: LeaderboardRow[] = benchmarkTasks.map((t, i) => {
    const failed = failedRow(t.name, "timeout", "no result within 420 s", 420);
    const row: LeaderboardRow = i >= 3 ? failed : {
      ...failed, status: i === 1 ? "table" : "formula", stage: null, reason: null,
      lines: [{ line: `a = a + x  # ${t.name}`, method: "integer-linear" }], programSize: 3, hiddenSize: i + 1, machine: { path: "finite", states: 3 },
      verification: { heldOut: { sequences: 10000, length: 10, exact: true }, exhaustive: null, length2x: null, length5x: null }, seconds: { total: 10 + i },
    };
    entries.set(t.name, {
      kind: "bench-task", version: 1, key: { task: t.name, seed: 0, code: "test" }, row,
      python: i < 3 ? `"""${t.name}"""\ndef run(xs):\n    return [[0] for x in xs]  # </script> stays text\n` : null,
      svg: i === 1 ? '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle class="state" cx="20" cy="20" r="10"/></svg>' : null,
    });
    return row;
  });
  return {
    results: {
      kind: "leaderboard", version: 1, mips: "0.0.0", seed: 0, tasks: rows, totals: leaderboardTotals(rows), wallSeconds: 1500,
      machine: { cpus: 2, cpuModel: "test", memoryGiB: 24, node: "20", python: "Python 3.11", jobs: 2 },
    },
    entries,
  };
}

describe.skipIf(!existsSync(CHROMIUM))("leaderboard index.html in headless Chromium", () => {
  it("shows 62 rows, sorts by a column, opens a program with its diagram, and draws the chart", async () => {
    const { results: data, entries } = results();
    const file = join(mkdtempSync(join(tmpdir(), "mips-page-")), "index.html");
    writeFileSync(file, leaderboardPage(data, entries));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator("#tasks tbody tr").count()).toBe(62);
      expect(await page.locator("#summary").textContent()).toMatch(/mips verified programs for 3 of 62 tasks \(2 formulas, 1 transition tables\)/);

      // Sort by seconds: ascending puts the fastest solved task first; a second click reverses.
      await page.locator("th", { hasText: "seconds" }).click();
      expect(await page.locator("#tasks tbody tr").first().getAttribute("data-task")).toBe(benchmarkTasks[0]!.name);
      await page.locator("th", { hasText: "seconds" }).click();
      expect(await page.locator("th", { hasText: "seconds" }).getAttribute("aria-sort")).toBe("descending");

      const second = benchmarkTasks[1]!.name;
      await page.locator(`tr[data-task="${second}"] button.open-program`).click();
      await expect.poll(() => page.locator("#viewer").isVisible()).toBe(true);
      expect(await page.locator("#viewer-code").textContent()).toContain("# </script> stays text");
      expect(await page.locator("#viewer-diagram svg circle.state").count()).toBe(1);
      expect(await page.locator("button.open-program").count()).toBe(3);
      expect(await page.locator("#chart rect").count()).toBe(4);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
