import { DomainError } from '@app/platform';

/** The error for a post that does not exist or is deleted, wherever a request names one. */
export const postNotFound = () => new DomainError('POST_NOT_FOUND', 'No such post.');
