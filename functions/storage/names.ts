// Every table and queue the app uses. Names are fixed: Azure and Azurite both see these.

export const TABLES = ['regions'] as const;
export type TableName = (typeof TABLES)[number];

export const QUEUES = [] as const satisfies readonly string[];

