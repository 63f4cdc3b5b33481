import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { OrchestrationHandler } from 'durable-functions';
import type { ZodType } from 'zod';
import type { Config } from './config.js';
import type { Services } from './services.js';

// What a function is, independent of which runtime runs it. catalog.ts lists entries of these
// shapes; azure.ts registers them with the Functions host, local/ serves them itself.

export interface Logger {
  log(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export interface FunctionContext extends Logger {
  readonly invocationId: string;
  readonly functionName: string;
  /** The region this invocation runs in. */
  readonly region: string;
  /** Settings as seen from that region. */
  readonly config: Config;
  readonly services: Services;
  /**
   * Local fault injection (POST /api/dev/regions/<name>/isolated): this region's network is
   * cut, so every probe it runs must fail to connect. Always false in Azure.
   */
  readonly isolated: boolean;
  /**
   * Starts and talks to orchestrations. Available to entries that declare `durableClient`
   * (Azure binds a client only to those); elsewhere every call fails with a clear error.
   */
  readonly durable: DurableClientPort;
}

/** What an entry without a declared Durable client gets, in both runtimes. */
export function noDurableClient(functionName: string): DurableClientPort {
  const fail = () => Promise.reject(new Error(`${functionName} has no Durable client: declare durableClient: true in its catalog entry`));
  return { startNew: fail, raiseEvent: fail, getStatus: fail, terminate: fail };
}

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Terminated';

export interface InstanceStatus {
  readonly instanceId: string;
  readonly name: string;
  readonly runtimeStatus: RuntimeStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly customStatus: unknown;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
}

/** The part of the Durable client this app uses, the same in Azure and in the local runtime. */
export interface DurableClientPort {
  /** Starts `orchestration` as `instanceId` unless an instance with that id is pending or running. */
  startNew(orchestration: string, options: { readonly instanceId: string; readonly input?: unknown }): Promise<'started' | 'exists'>;
  raiseEvent(instanceId: string, eventName: string, data?: unknown): Promise<void>;
  getStatus(instanceId: string): Promise<InstanceStatus | undefined>;
  terminate(instanceId: string, reason: string): Promise<void>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpDoc {
  readonly summary: string;
  readonly tags: readonly string[];
  /** key: needs `Authorization: Bearer <apiKey>`. */
  readonly auth: 'none' | 'key';
  readonly body?: ZodType;
  readonly query?: ZodType;
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: ZodType; readonly contentType?: string }>>;
}

export interface HttpFunction {
  readonly kind: 'http';
  readonly name: string;
  /** Azure route template below /api: `monitors/{id}`, `confirm/{token}`. */
  readonly route: string;
  readonly methods: readonly HttpMethod[];
  readonly authLevel: 'anonymous' | 'function';
  readonly durableClient?: true;
  readonly handler: (request: HttpRequest, context: FunctionContext) => Promise<HttpResponseInit>;
  /** Per method: what the OpenAPI document says of this route. */
  readonly doc: Partial<Readonly<Record<HttpMethod, HttpDoc>>>;
}

export interface TimerRun {
  /** When this run was scheduled (real time). */
  readonly scheduledAt: Date;
  /** Index of the scheduling minute: floor(scheduledAt / minute length). Keys idempotent writes. */
  readonly minute: number;
  /** The run started later than one minute after it was scheduled. */
  readonly isPastDue: boolean;
}

export interface TimerFunction {
  readonly kind: 'timer';
  readonly name: string;
  /** Six-field NCRONTAB (with seconds), evaluated in UTC. */
  readonly schedule: string;
  readonly durableClient?: true;
  /** Runs only in the primary region (deciding verdicts, rolling up): not even registered elsewhere. */
  readonly primaryOnly?: true;
  readonly handler: (run: TimerRun, context: FunctionContext) => Promise<void>;
}

export interface QueueFunction {
  readonly kind: 'queue';
  readonly name: string;
  readonly queueName: string;
  readonly durableClient?: true;
  readonly handler: (message: unknown, context: FunctionContext) => Promise<void>;
}

/** A deterministic generator that only orchestrates; it runs on replay in both runtimes. */
export interface OrchestrationFunction {
  readonly kind: 'orchestration';
  readonly name: string;
  readonly handler: OrchestrationHandler;
}

export interface ActivityFunction {
  readonly kind: 'activity';
  readonly name: string;
  readonly durableClient?: true;
  /** Runs at least once per scheduling: it must be idempotent. */
  readonly handler: (input: unknown, context: FunctionContext) => Promise<unknown>;
}

export type FunctionEntry = HttpFunction | TimerFunction | QueueFunction | OrchestrationFunction | ActivityFunction;

/** The JSON error body of every 4xx/5xx answer (API.md). */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}
