import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { outputDirProblem, writeOutputDir } from "../../synth/output-dir.js";

const report = (run: number): string => JSON.stringify({ kind: "synthesis-report", run });

describe("writeOutputDir", () => {
  it("creates the directory, then replaces it as a whole", () => {
    const parent = mkdtempSync(join(tmpdir(), "mips-out-"));
    const dir = join(parent, "result");
    writeOutputDir(dir, { "report.json": report(1), "program.py": "one" });
    writeOutputDir(dir, { "report.json": report(2), "machine.json": "{}" });
    expect(readdirSync(dir).sort()).toEqual(["machine.json", "report.json"]);
    expect(readFileSync(join(dir, "report.json"), "utf8")).toBe(report(2));
    // Nothing is left beside it.
    expect(readdirSync(parent)).toEqual(["result"]);
  });

  it("refuses a directory that holds something other than a mips result, and leaves it alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "mips-out-"));
    writeFileSync(join(dir, "thesis.tex"), "precious");
    expect(outputDirProblem(dir)).toMatch(/not a mips result directory/);
    expect(() => writeOutputDir(dir, { "report.json": report(1) })).toThrow(/not a mips result directory/);
    expect(readdirSync(dir)).toEqual(["thesis.tex"]);
  });

  it("names a path it cannot write", () => {
    const parent = mkdtempSync(join(tmpdir(), "mips-out-"));
    writeFileSync(join(parent, "file"), "x");
    expect(outputDirProblem(join(parent, "file"))).toBe("exists and is not a directory");
    expect(outputDirProblem(join(parent, "file", "sub"))).toMatch(/^cannot write there \((EEXIST|ENOTDIR): .*file/);
    mkdirSync(join(parent, "empty"));
    expect(outputDirProblem(join(parent, "empty"))).toBeNull();
    expect(existsSync(join(parent, "file", "sub"))).toBe(false);
  });
});
