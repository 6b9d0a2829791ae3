import { z } from 'zod';

/** Decimal string form of a 64-bit Snowflake id, as used in REST and events. */
export const IdString = z.string().regex(/^[1-9][0-9]{0,19}$/, 'must be a decimal id string');
const Timestamp = z.iso.datetime({ offset: true });

// Payload schemas are open (`z.looseObject`): consumers must tolerate fields
// added later without a version bump (events.md, "Message").
export const UserRegistered = z.looseObject({
  userId: IdString,
  username: z.string().min(1),
  displayName: z.string(),
  createdAt: Timestamp,
});
export const UserUpdated = z.looseObject({
  userId: IdString,
  username: z.string().min(1),
  displayName: z.string(),
  bio: z.string(),
});
export const FollowChanged = z.looseObject({
  followerId: IdString,
  followeeId: IdString,
  at: Timestamp,
});
export const PostCreated = z.looseObject({
  postId: IdString,
  authorId: IdString,
  text: z.string(),
  hashtags: z.array(z.string()),
  mentions: z.array(z.string()),
  createdAt: Timestamp,
});
export const PostDeleted = z.looseObject({
  postId: IdString,
  authorId: IdString,
  deletedAt: Timestamp,
});
export const PostLikeChanged = z.looseObject({
  postId: IdString,
  userId: IdString,
  at: Timestamp,
});
export const CommentCreated = z.looseObject({
  commentId: IdString,
  postId: IdString,
  authorId: IdString,
  text: z.string(),
  createdAt: Timestamp,
});
export const CommentDeleted = z.looseObject({
  commentId: IdString,
  postId: IdString,
  deletedAt: Timestamp,
});

/** An experiment or variant name as the definitions file spells it. */
export const ExperimentName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes');
/** The hashed id of an anonymous caller (docs/api.md, "Experiments"): 32 lower-case hex digits. */
export const AnonymousId = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex digits');
export const ExperimentExposed = z
  .looseObject({
    experiment: ExperimentName,
    variant: ExperimentName,
    // Exactly one of the two: the signed-in user, or the hashed id of an anonymous caller.
    userId: IdString.nullable(),
    anonymousId: AnonymousId.nullable(),
    // The UTC day this is the first exposure of (YYYY-MM-DD): at most one event per experiment, subject and day.
    day: z.iso.date(),
    exposedAt: Timestamp,
  })
  .refine((data) => (data.userId === null) !== (data.anonymousId === null), { message: 'exactly one of userId and anonymousId must be set', path: ['userId'] });
/** Most posts one search page returns (docs/api.md, "Pagination"). */
const MAX_PAGE_POSTS = 100;
export const ExperimentResultsShown = z.looseObject({
  experiment: ExperimentName,
  // The variant the subject is assigned to (a later page follows its cursor's order, not necessarily this variant's).
  variant: ExperimentName,
  // Signed-in subjects only: outcomes (likes, comments) need an account.
  userId: IdString,
  // The ids of the posts on the page, in the order served; only those not already recorded for the subject shortly before.
  postIds: z.array(IdString).min(1).max(MAX_PAGE_POSTS),
  shownAt: Timestamp,
});
