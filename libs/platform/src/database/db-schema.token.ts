/** The schema a service owns; every raw query qualifies its tables with it. */
export const DB_SCHEMA = Symbol('DB_SCHEMA');
