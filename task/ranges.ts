import type { Example, IntRange } from "./types.js";

/** Per component, the smallest and largest value over all steps of the examples. */
export function componentRanges(examples: readonly Example[], key: "x" | "y", dim: number): IntRange[] {
  const min = new Array<number>(dim).fill(Infinity);
  const max = new Array<number>(dim).fill(-Infinity);
  for (const example of examples) {
    for (const step of example[key]) {
      for (let j = 0; j < dim; j++) {
        const v = step[j]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
  }
  return min.map((lo, j) => ({ min: lo, max: max[j]! }));
}
