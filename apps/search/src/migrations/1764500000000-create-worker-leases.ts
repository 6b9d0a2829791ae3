import { workerLeaseMigration } from '@app/platform';

/** Snowflake worker ids leased per process, so replicas never share one. */
export const CreateSearchWorkerLeases1764500000000 = workerLeaseMigration('search', 'CreateSearchWorkerLeases1764500000000');
