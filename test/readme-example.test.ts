// The README's library example, run as written (keep the two in sync).
import { expect, it } from "vitest";
import { extractModel, regress, resolveTask, runSequence, searchArchitecture, synthesize } from "../index.js";

it("README library example: synthesize a built-in task, then the same stage by stage", async () => {
  const task = resolveTask("Sum_Last2"); // or a path to a task.json
  if (!task.ok) throw new Error(task.failure.message);

  const result = await synthesize(task.value, { seed: 0, jobs: 2 });
  console.log(result.status); // "formula"
  console.log(result.program?.python);
  console.log(result.verification?.verified); // true
  expect(result.status).toBe("formula");
  expect(result.program?.python).toMatch(/^"""Sum_Last2: a program of formulas/);
  expect(result.program?.typescript).toMatch(/export function run\(/);
  expect(result.verification?.verified).toBe(true);

  const search = await searchArchitecture(task.value.dataset, { seed: 0, jobs: 2 });
  const { predictions } = runSequence(search.best!, [[3], [4], [5]]); // [[3], [7], [9]]
  expect(search.perfect).toBe(true);
  expect(search.best?.config.hiddenSize).toBe(2);
  expect(predictions).toEqual([[3], [7], [9]]);
  const extraction = extractModel(search.best!, task.value.dataset, { seed: 0 });
  console.log(extraction.machine?.path, extraction.machine?.stateDim); // "lattice" 2
  expect(extraction.machine?.path).toBe("lattice");
  expect(extraction.machine?.stateDim).toBe(2);
  const formulas = await regress(extraction.machine!, { seed: 0 });
  console.log(formulas.ok && formulas.value.program.registers.map((r) => r.name)); // ["last1", "last2"]
  expect(formulas.ok && formulas.value.program.registers.map((r) => r.name)).toEqual(["last1", "last2"]);
});
