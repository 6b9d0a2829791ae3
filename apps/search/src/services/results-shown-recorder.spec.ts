import { jest } from '@jest/globals';
import { type EventData, ExperimentResultsShown } from '@app/contracts';
import type { UnitOfWork } from '@app/platform';
import { ResultsShownRecorder, SHOWN_AGAIN_AFTER_MS } from './results-shown-recorder.js';

interface Published {
  type: string;
  key: string;
  data: EventData<'experiment.results-shown'>;
}

/** A unit of work that keeps what was published, and the options of each run. */
function fakeUnitOfWork() {
  const published: Published[] = [];
  const runs: unknown[] = [];
  const unitOfWork = {
    run: async (work: (tx: { publish: (event: Published) => Promise<string> }) => Promise<unknown>, _correlationId?: string, options?: unknown) => {
      runs.push(options);
      return work({ publish: (event) => Promise.resolve(String(published.push(event))) });
    },
  };
  return { published, runs, unitOfWork: unitOfWork as unknown as UnitOfWork };
}

const inTreatment = { variants: new Map([['search-ranking', 'treatment']]), anonymousId: undefined };
const now = new Date('2026-12-04T12:00:00.000Z');

describe('ResultsShownRecorder', () => {
  afterEach(() => jest.useRealTimers());

  it('publishes the page’s post ids for a signed-in subject, in the contract, without pinning the caller to the primary', async () => {
    const { published, runs, unitOfWork } = fakeUnitOfWork();
    await new ResultsShownRecorder(unitOfWork).record(inTreatment, '7', ['10', '11'], now);
    expect(published).toEqual([
      { type: 'experiment.results-shown', key: '7', data: { experiment: 'search-ranking', variant: 'treatment', userId: '7', postIds: ['10', '11'], shownAt: now.toISOString() } },
    ]);
    expect(ExperimentResultsShown.safeParse(published[0].data).success).toBe(true);
    expect(runs).toEqual([{ changesCallerReads: false }]);
  });

  it('records nothing for anonymous callers, empty pages, callers in no experiment, and experiments or variants the code does not know', async () => {
    const { published, unitOfWork } = fakeUnitOfWork();
    const recorder = new ResultsShownRecorder(unitOfWork);
    await recorder.record({ ...inTreatment, anonymousId: 'a'.repeat(32) }, undefined, ['10'], now);
    await recorder.record(inTreatment, '7', [], now);
    await recorder.record({ variants: new Map(), anonymousId: undefined }, '7', ['10'], now);
    await recorder.record({ variants: new Map([['other-experiment', 'treatment'], ['search-ranking', 'bogus']]), anonymousId: undefined }, '7', ['10'], now);
    expect(published).toEqual([]);
  });

  it('leaves out posts it recorded for the subject shortly before, and records them again after a while', async () => {
    jest.useFakeTimers({ now });
    const { published, unitOfWork } = fakeUnitOfWork();
    const recorder = new ResultsShownRecorder(unitOfWork);
    await recorder.record(inTreatment, '7', ['10', '11'], now);
    await recorder.record(inTreatment, '7', ['10', '11'], now);
    await recorder.record(inTreatment, '7', ['11', '12'], now);
    await recorder.record(inTreatment, '8', ['10'], now);
    expect(published.map((event) => [event.key, event.data.postIds])).toEqual([
      ['7', ['10', '11']],
      ['7', ['12']],
      ['8', ['10']],
    ]);
    jest.setSystemTime(now.getTime() + SHOWN_AGAIN_AFTER_MS + 1);
    await recorder.record(inTreatment, '7', ['10'], now);
    expect(published.at(-1)?.data.postIds).toEqual(['10']);
    expect(published).toHaveLength(4);
  });
});
