import { workerLeaseMigration } from '@app/platform';

/** Snowflake worker ids leased per process, so replicas never share one. */
export const CreateGraphWorkerLeases1764500000000 = workerLeaseMigration('graph', 'CreateGraphWorkerLeases1764500000000');
