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
