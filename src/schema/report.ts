/** The capacity report document that `redis-pool report --json` writes (its types are in report/capacity-json.ts). */
export const REPORT_SCHEMA = 'redis-pool.report/v1';
