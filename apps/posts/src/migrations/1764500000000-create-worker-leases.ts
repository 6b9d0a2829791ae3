import { workerLeaseMigration } from '@app/platform';

/** Snowflake worker ids leased per process, so replicas never share one. */
export const CreatePostsWorkerLeases1764500000000 = workerLeaseMigration('posts', 'CreatePostsWorkerLeases1764500000000');
