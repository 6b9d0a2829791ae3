import { buildEnvelope } from '@app/contracts';
import { engagementOf, ReturnedResultsOutcome } from './returned-results-outcome.js';

const HOUR = 60 * 60 * 1000;
const shownAt = '2026-12-04T12:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(shownAt) + ms);
const shown = (userId: string, postIds: string[], at = shownAt, experiment = 'search-ranking') => ({ experiment, variant: 'treatment', userId, postIds, shownAt: at });

function outcomeWith(...events: ReturnType<typeof shown>[]): ReturnedResultsOutcome {
  const outcome = new ReturnedResultsOutcome('search-ranking', HOUR);
  for (const event of events) outcome.addShown(event);
  return outcome;
}

describe('ReturnedResultsOutcome', () => {
  it('counts an engagement with a returned post within the hour after it was returned, up to the hour itself', () => {
    const outcome = outcomeWith(shown('1', ['10', '11']), shown('2', ['10']), shown('3', ['10']));
    outcome.addEngagement({ userId: '1', postId: '11', at: after(0) });
    outcome.addEngagement({ userId: '2', postId: '10', at: after(HOUR) });
    outcome.addEngagement({ userId: '3', postId: '10', at: after(HOUR + 1) });
    expect([...outcome.users].sort()).toEqual(['1', '2']);
  });

  it('does not count an engagement before the post was returned', () => {
    const outcome = outcomeWith(shown('1', ['10']));
    outcome.addEngagement({ userId: '1', postId: '10', at: after(-1) });
    expect(outcome.users.size).toBe(0);
  });

  it('counts only posts returned to that user: another user’s results or another post do not count', () => {
    const outcome = outcomeWith(shown('1', ['10']), shown('2', ['20']));
    outcome.addEngagement({ userId: '1', postId: '20', at: after(60_000) });
    outcome.addEngagement({ userId: '3', postId: '10', at: after(60_000) });
    expect(outcome.users.size).toBe(0);
  });

  it('measures the window from any showing of the post: a later one opens a new hour', () => {
    const outcome = outcomeWith(shown('1', ['10']), shown('1', ['10'], after(3 * HOUR).toISOString()));
    outcome.addEngagement({ userId: '1', postId: '10', at: after(2 * HOUR) });
    expect(outcome.users.size).toBe(0);
    outcome.addEngagement({ userId: '1', postId: '10', at: after(3 * HOUR + 30 * 60_000) });
    expect([...outcome.users]).toEqual(['1']);
  });

  it('counts a user once however many engagements', () => {
    const outcome = outcomeWith(shown('1', ['10', '11']));
    for (const postId of ['10', '11', '10']) outcome.addEngagement({ userId: '1', postId, at: after(1_000) });
    expect(outcome.users.size).toBe(1);
  });

  it('ignores showings of other experiments and before `since`', () => {
    const outcome = new ReturnedResultsOutcome('search-ranking', HOUR, after(1));
    outcome.addShown(shown('1', ['10']));
    outcome.addShown(shown('2', ['10'], after(1).toISOString(), 'other-experiment'));
    outcome.addEngagement({ userId: '1', postId: '10', at: after(1_000) });
    outcome.addEngagement({ userId: '2', postId: '10', at: after(1_000) });
    expect(outcome.users.size).toBe(0);
  });
});

describe('engagementOf', () => {
  const envelope = <T extends 'post.liked' | 'post.unliked' | 'comment.created' | 'comment.deleted'>(type: T, data: Parameters<typeof buildEnvelope<T>>[0]['data']) =>
    buildEnvelope({ id: '5b1c0d8e-9f1a-4c52-8e4b-2a7d3c9e6f10', type, producer: 'posts', aggregateId: '10', data, occurredAt: new Date(shownAt) });

  it('reads a like as its user on its post at its time', () => {
    expect(engagementOf(envelope('post.liked', { postId: '10', userId: '1', at: shownAt }))).toEqual({ userId: '1', postId: '10', at: new Date(shownAt) });
  });

  it('reads a new comment as its author on its post at its creation', () => {
    expect(engagementOf(envelope('comment.created', { commentId: '5', postId: '10', authorId: '1', text: 'hi', createdAt: shownAt }))).toEqual({ userId: '1', postId: '10', at: new Date(shownAt) });
  });

  it('reads nothing from an unlike or a deleted comment', () => {
    expect(engagementOf(envelope('post.unliked', { postId: '10', userId: '1', at: shownAt }))).toBeUndefined();
    expect(engagementOf(envelope('comment.deleted', { commentId: '5', postId: '10', deletedAt: shownAt }))).toBeUndefined();
  });
});
