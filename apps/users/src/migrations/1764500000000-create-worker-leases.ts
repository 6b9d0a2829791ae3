import { workerLeaseMigration } from '@app/platform';

/** Snowflake worker ids leased per process, so replicas never share one. */
export const CreateUsersWorkerLeases1764500000000 = workerLeaseMigration('users', 'CreateUsersWorkerLeases1764500000000');
