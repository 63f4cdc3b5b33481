// Every table and queue the app uses. Names are fixed: Azure and Azurite both see these.

export const TABLES = ['regions', 'accounts', 'confirmations', 'monitors', 'deliveries', 'rechecks', 'results', 'rollups', 'cycles', 'incidents'] as const;
/** Tables only the local runtime uses: Azure keeps orchestration state in the Durable task hub. */
export const LOCAL_TABLES = ['localDurable'] as const;
export type TableName = (typeof TABLES)[number] | (typeof LOCAL_TABLES)[number];

export const QUEUES = ['delivery-retries'] as const satisfies readonly string[];


/**
 * Each region's own queue of probe shards: every region shares one storage account, and a
 * shard must be probed from the region that owns it. The Functions host expands %SM_REGION%.
 */
export const PROBE_SHARD_QUEUE = 'probe-shards-%SM_REGION%';

export function probeShardQueue(region: string): string {
  return PROBE_SHARD_QUEUE.replace('%SM_REGION%', region);
}
