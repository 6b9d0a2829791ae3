import { anonymousId, type DefinitionsFile, ExperimentEvaluator, parseDefinitions } from '@app/platform';
import type { FastifyRequest } from 'fastify';
import { ExperimentAssigner } from './experiment-assigner.js';

function evaluator(coverage: number): ExperimentEvaluator {
  const parsed = parseDefinitions(
    JSON.stringify({ experiments: [{ name: 'search-ranking', enabled: true, variants: [{ key: 'control', weight: 0.5 }, { key: 'treatment', weight: 0.5 }], coverage }] }),
  );
  if (!parsed.ok) throw new Error(parsed.problems.join());
  return new ExperimentEvaluator(parsed.definitions);
}

const request = (headers: Record<string, string> = {}) => ({ headers, ip: '203.0.113.7' }) as unknown as FastifyRequest;
const assigner = (coverage: number) => new ExperimentAssigner({ evaluator: evaluator(coverage), file: { close: () => undefined } as DefinitionsFile });

describe('ExperimentAssigner', () => {
  it('assigns a signed-in caller by user id and forwards only the variant', () => {
    const assignment = assigner(1).assign(['search-ranking'], request(), '1');
    // user:1 is in treatment (see the golden test of the evaluator).
    expect(assignment.header).toBe('search-ranking=treatment');
    expect(assignment.headers).toEqual({ 'x-warble-experiments': 'search-ranking=treatment' });
  });

  it('assigns an anonymous caller by the hash of X-Client-Id and forwards that hash', () => {
    const clientId = 'installation-0001-abcdef';
    const assignment = assigner(1).assign(['search-ranking'], request({ 'x-client-id': clientId, 'user-agent': 'x' }), undefined);
    expect(assignment.headers['x-warble-anonymous-id']).toBe(anonymousId(clientId, '198.51.100.1', 'other'));
    expect(assignment.headers['x-warble-experiments']).toMatch(/^search-ranking=(control|treatment)$/);
  });

  it('sends nothing for a caller outside every experiment, and counts it as such', () => {
    const assignment = assigner(0).assign(['search-ranking'], request(), '1');
    expect(assignment).toEqual({ variants: new Map([['search-ranking', undefined]]), headers: {}, header: undefined });
  });
});
