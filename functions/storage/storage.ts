import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { StorageConfig } from '../config.js';
import { QUEUES, TABLES, type TableName } from './names.js';

// The one door to Table and Queue Storage. Domain stores (one file each in this folder)
// take a Storage and know their own keys; nothing outside storage/ builds a client.

export class Storage {
  private readonly tables = new Map<TableName, TableClient>();
  private readonly queues = new Map<string, QueueClient>();
  private readonly credential: TokenCredential | undefined;
  private ensured: Promise<void> | undefined;

  constructor(readonly config: StorageConfig) {
    this.credential =
      config.kind === 'identity'
        ? new DefaultAzureCredential(config.clientId ? { managedIdentityClientId: config.clientId } : {})
        : undefined;
  }

  table(name: TableName): TableClient {
    let client = this.tables.get(name);
    if (!client) {
      client = this.newTableClient(name);
      this.tables.set(name, client);
    }
    return client;
  }

  queue(name: string): QueueClient {
    let client = this.queues.get(name);
    if (!client) {
      client =
        this.config.kind === 'connectionString'
          ? new QueueClient(this.config.connectionString, name)
          : new QueueClient(`${this.config.queueUrl}/${name}`, this.credential!);
      this.queues.set(name, client);
    }
    return client;
  }

  /** Creates every table and queue the app uses (and `extra` ones). Idempotent; runs once per process. */
  ensure(extra: readonly TableName[] = []): Promise<void> {
    this.ensured ??= this.createAll(extra).catch((err: unknown) => {
      this.ensured = undefined; // let the next caller try again
      throw err;
    });
    return this.ensured;
  }

  /** Resolves when Table Storage answers within the timeout; rejects otherwise. */
  async ping(timeoutMs: number): Promise<void> {
    const options: TableServiceClientOptions = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };
    const service =
      this.config.kind === 'connectionString'
        ? TableServiceClient.fromConnectionString(this.config.connectionString, options)
        : new TableServiceClient(this.config.tableUrl, this.credential!, options);
    const iterator = service.listTables({ abortSignal: AbortSignal.timeout(timeoutMs) }).byPage({ maxPageSize: 1 });
    await iterator.next();
  }

  private newTableClient(name: TableName): TableClient {
    return this.config.kind === 'connectionString'
      ? TableClient.fromConnectionString(this.config.connectionString, name, { allowInsecureConnection: true })
      : new TableClient(this.config.tableUrl, name, this.credential!);
  }

  private async createAll(extra: readonly TableName[]): Promise<void> {
    await Promise.all([
      ...[...TABLES, ...extra].map((t) => this.table(t).createTable()),
      ...QUEUES.map((q) => this.queue(q).createIfNotExists()),
    ]);
  }
}
