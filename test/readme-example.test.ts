// The README's library example, run as written (keep the two in sync).
import { expect, it } from "vitest";
import { extractModel, resolveTask, runSequence, searchArchitecture } from "../index.js";

it("README library example: search a built-in task, run the winning network, extract its machine", async () => {
  const task = resolveTask("Sum_Last2");
  if (!task.ok) throw new Error(task.failure.message);
  const search = await searchArchitecture(task.value.dataset, { seed: 0, jobs: 2 });
  console.log(search.perfect, search.best?.config.hiddenSize);
  const { predictions } = runSequence(search.best!, [[3], [4], [5]]); // [[3], [7], [9]]
  expect(search.perfect).toBe(true);
  expect(search.best?.config.hiddenSize).toBe(2);
  expect(predictions).toEqual([[3], [7], [9]]);

  const extraction = extractModel(search.best!, task.value.dataset, { seed: 0 });
  console.log(extraction.machine?.path, extraction.machine?.stateDim); // "lattice" 2
  expect(extraction.machine?.path).toBe("lattice");
  expect(extraction.machine?.stateDim).toBe(2);
  expect(extraction.check?.exact).toBe(true);
});
