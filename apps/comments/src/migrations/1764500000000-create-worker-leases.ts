import { workerLeaseMigration } from '@app/platform';

/** Snowflake worker ids leased per process, so replicas never share one. */
export const CreateCommentsWorkerLeases1764500000000 = workerLeaseMigration('comments', 'CreateCommentsWorkerLeases1764500000000');
