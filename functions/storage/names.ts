// Every table and queue the app uses. Names are fixed: Azure and Azurite both see these.

export const TABLES = ['regions', 'accounts', 'confirmations', 'monitors', 'deliveries', 'rechecks'] as const;
/** Tables only the local runtime uses: Azure keeps orchestration state in the Durable task hub. */
export const LOCAL_TABLES = ['localDurable'] as const;
export type TableName = (typeof TABLES)[number] | (typeof LOCAL_TABLES)[number];

export const QUEUES = ['delivery-retries'] as const satisfies readonly string[];

