import type { ExperimentCatalog } from '@app/platform';

/**
 * The experiments the code runs (docs/api.md, "Experiments"), shared by the
 * gateway, which assigns, and the service that owns the route under test.
 * The definitions file sets who takes part; these names and variants are
 * fixed by the code.
 */
export const SearchRanking = {
  name: 'search-ranking',
  /** Today's order: newest first. */
  control: 'control',
  /** Text relevance blended with recency. */
  treatment: 'treatment',
} as const;

export const EXPERIMENTS: ExperimentCatalog = {
  [SearchRanking.name]: [SearchRanking.control, SearchRanking.treatment],
};
