// Every table and queue the app uses. Names are fixed: Azure and Azurite both see these.

export const TABLES = ['regions', 'accounts', 'confirmations', 'monitors', 'deliveries'] as const;
export type TableName = (typeof TABLES)[number];

export const QUEUES = ['delivery-retries'] as const satisfies readonly string[];

