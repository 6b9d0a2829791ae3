import { readFileSync } from 'node:fs';

/** Follow edges between user indexes 0..users-1: [follower, followee]. */
export interface FollowGraph {
  users: number;
  follows: [number, number][];
  source: string;
}

/** An undirected edge list ("a b" per line, as in the Network Repository): each edge is two follows. */
export function loadEdgeList(path: string): FollowGraph {
  const follows: [number, number][] = [];
  const seen = new Set<string>();
  let users = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*(\d+)[\s,]+(\d+)/.exec(line);
    if (!match) continue;
    const [a, b] = [Number(match[1]), Number(match[2])];
    if (a === b) continue;
    users = Math.max(users, a + 1, b + 1);
    for (const [x, y] of [[a, b], [b, a]] as [number, number][]) {
      const key = `${x}:${y}`;
      if (!seen.has(key)) {
        seen.add(key);
        follows.push([x, y]);
      }
    }
  }
  return { users, follows, source: `${path} (${users} users, ${follows.length} follows)` };
}

/** A small deterministic PRNG so two runs seed the same graph. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic power-law graph: each user follows 5..30 others picked with
 * probability ∝ 1/(rank+1)^1.1 (Zipf), so a few authors have very many
 * followers (the "celebrities") and most have few.
 */
export function syntheticGraph(users: number, seed = 42): FollowGraph {
  const random = mulberry32(seed);
  const weights = Array.from({ length: users }, (_, rank) => 1 / (rank + 1) ** 1.1);
  const cumulative: number[] = [];
  weights.reduce((sum, weight, i) => (cumulative[i] = sum + weight), 0);
  const total = cumulative[users - 1];
  const pick = () => {
    const target = random() * total;
    let lo = 0;
    let hi = users - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const follows: [number, number][] = [];
  for (let follower = 0; follower < users; follower++) {
    const wanted = 5 + Math.floor(random() * 26);
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < wanted && tries < wanted * 10; tries++) {
      const followee = pick();
      if (followee !== follower) chosen.add(followee);
    }
    for (const followee of chosen) follows.push([follower, followee]);
  }
  return { users, follows, source: `synthetic power-law (${users} users, ${follows.length} follows)` };
}

export function followerCounts(graph: FollowGraph): number[] {
  const counts = new Array<number>(graph.users).fill(0);
  for (const [, followee] of graph.follows) counts[followee]++;
  return counts;
}
