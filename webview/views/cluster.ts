// Orders members so that similar ones sit together: average-linkage agglomerative clustering on a
// distance derived from the pairwise measure, read off as the dendrogram's leaf order.

/**
 * Leaf order of an average-linkage clustering. `dist[i][j]` is a distance (null = unknown, treated as
 * the largest known distance). Ties merge the lowest indices first, so the order is deterministic.
 */
export function clusterOrder(dist: (number | null)[][]): number[] {
  const n = dist.length;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  let maxKnown = 0;
  for (const row of dist) for (const v of row) if (v !== null && Number.isFinite(v)) maxKnown = Math.max(maxKnown, v);
  const d = (i: number, j: number) => {
    const v = dist[i]?.[j];
    return v === null || v === undefined || !Number.isFinite(v) ? maxKnown : v;
  };
  let clusters: number[][] = Array.from({ length: n }, (_, i) => [i]);
  while (clusters.length > 1) {
    let best = { a: 0, b: 1, v: Infinity };
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        let s = 0;
        for (const i of clusters[a]) for (const j of clusters[b]) s += d(i, j);
        const v = s / (clusters[a].length * clusters[b].length);
        if (v < best.v - 1e-12) best = { a, b, v };
      }
    }
    const merged = [...clusters[best.a], ...clusters[best.b]];
    clusters = clusters.filter((_, k) => k !== best.a && k !== best.b);
    clusters.splice(best.a, 0, merged);
  }
  return clusters[0];
}
