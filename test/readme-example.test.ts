// The README's library example, run as written (keep the two in sync).
import { expect, it } from "vitest";
import { resolveTask, runSequence, searchArchitecture } from "../index.js";

it("README library example: search a built-in task and run the winning network", async () => {
  const task = resolveTask("Sum_Last2");
  if (!task.ok) throw new Error(task.failure.message);
  const search = await searchArchitecture(task.value.dataset, { seed: 0, jobs: 2 });
  console.log(search.perfect, search.best?.config.hiddenSize);
  const { predictions } = runSequence(search.best!, [[3], [4], [5]]); // [[3], [7], [9]]
  expect(search.perfect).toBe(true);
  expect(search.best?.config.hiddenSize).toBe(2);
  expect(predictions).toEqual([[3], [7], [9]]);
});
