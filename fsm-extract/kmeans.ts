/**
 * Seeded k-means (k-means++ seeding, then Lloyd iterations) over hidden-state vectors. Written here
 * rather than taken from a package so that every random choice comes from the pipeline's seed.
 */
import { Random } from "../common/random.js";

export interface Clustering {
  readonly centres: number[][];
  readonly assignment: Int32Array;
}

export function kmeans(points: readonly (readonly number[])[], k: number, seed: number, maxIterations = 50): Clustering {
  const rng = new Random(seed);
  const n = points.length;
  const centres: number[][] = [points[rng.int(0, n - 1)]!.slice()];
  const nearest = new Float64Array(n).fill(Infinity);
  while (centres.length < Math.min(k, n)) {
    const latest = centres[centres.length - 1]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, squaredDistance(points[i]!, latest));
      total += nearest[i]!;
    }
    if (total === 0) break; // fewer distinct points than k
    let r = rng.next() * total;
    let chosen = n - 1;
    for (let i = 0; i < n; i++) {
      r -= nearest[i]!;
      if (r < 0) {
        chosen = i;
        break;
      }
    }
    centres.push(points[chosen]!.slice());
  }
  const assignment = new Int32Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = iteration === 0;
    for (let i = 0; i < n; i++) {
      const c = closest(points[i]!, centres);
      if (c !== assignment[i]) {
        assignment[i] = c;
        changed = true;
      }
    }
    if (!changed) break;
    const sums = centres.map((c) => new Array<number>(c.length).fill(0));
    const counts = new Array<number>(centres.length).fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      counts[c]!++;
      points[i]!.forEach((v, d) => (sums[c]![d]! += v));
    }
    // An emptied cluster keeps its old centre rather than vanishing.
    sums.forEach((sum, c) => {
      if (counts[c]! > 0) centres[c] = sum.map((v) => v / counts[c]!);
    });
  }
  return { centres, assignment };
}

export function closest(point: readonly number[], centres: readonly (readonly number[])[]): number {
  let best = 0;
  let bestDistance = Infinity;
  centres.forEach((c, i) => {
    const d = squaredDistance(point, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}
