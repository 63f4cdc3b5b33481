import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { classifyError, ProbeFailure, type Stage } from './errors.js';
import type { Phases, ProbeOptions, ProbeOutcome } from './spec.js';

// One probe in progress: its deadline, its phase timings, what it has learnt about the
// target so far, and everything it opened. Every wait of a probe goes through `wait`, so a
// single timer ends the whole probe wherever it is, and `finish` closes what is left.

type Findings = Omit<ProbeOutcome, 'ok' | 'error' | 'phases'>;
type Waiter = (failure: ProbeFailure) => void;

const noop = (): void => {};

/** Milliseconds rounded to the microsecond: sub-millisecond precision without float noise. */
export function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export class ProbeRun {
  readonly startedAt = performance.now();
  readonly phases: Omit<Phases, 'total'> = { dns: null, connect: null, tls: null, firstByte: null };
  readonly findings: Findings = {};
  /** Where the probe is, so an unexpected error gets the right class. */
  stage: Stage = 'dns';
  /** What the probe is doing, for the timeout message ("connecting to 192.0.2.1:443"). */
  activity = 'starting';
  /** A TCP connection to the target was established: a timeout from now on is the target's. */
  connected = false;
  /** A timeout while resolving counts as ours (the system resolver) unless the target is the resolver. */
  resolverIsTarget = false;

  private readonly timer: NodeJS.Timeout;
  private readonly waiters = new Set<Waiter>();
  private readonly disposers: Array<() => void> = [];
  private readonly sockets: Socket[] = [];
  private expired = false;

  constructor(
    readonly timeoutMs: number,
    readonly options: ProbeOptions,
  ) {
    this.timer = setTimeout(() => this.expire(), timeoutMs);
  }

  since(start: number): number {
    return ms(performance.now() - start);
  }

  /**
   * A promise settled by `attach` (which returns how to detach its listeners), or rejected
   * with a timeout failure when the probe's deadline passes first.
   */
  wait<T>(attach: (resolve: (value: T) => void, reject: (error: unknown) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.expired) {
        reject(this.timeoutFailure());
        return;
      }
      let settled = false;
      let detach: () => void = noop;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        this.waiters.delete(onTimeout);
        detach();
        return true;
      };
      const onTimeout: Waiter = (failure) => {
        if (settle()) reject(failure);
      };
      this.waiters.add(onTimeout);
      detach = attach(
        (value) => {
          if (settle()) resolve(value);
        },
        (error) => {
          if (settle()) reject(error);
        },
      );
      // attach may have settled synchronously, before detach existed.
      if (settled) detach();
    });
  }

  /** A promise raced against the deadline (its late rejection is absorbed, never unhandled). */
  settle<T>(promise: Promise<T>): Promise<T> {
    return this.wait((resolve, reject) => {
      promise.then(resolve, reject);
      return noop;
    });
  }

  /** Registers a socket of this probe: destroyed when the probe finishes, its late errors ignored. */
  own<S extends Socket>(socket: S): S {
    socket.on('error', noop);
    this.sockets.push(socket);
    return socket;
  }


  onFinish(dispose: () => void): void {
    this.disposers.push(dispose);
  }

  /** The outcome so far: ok unless `failure` says otherwise. */
  outcome(failure?: unknown): ProbeOutcome {
    const phases: Phases = { ...this.phases, total: this.since(this.startedAt) };
    if (failure === undefined) return { ok: true, phases, ...this.findings };
    return { ok: false, error: classifyError(failure, this.stage).toProbeError(), phases, ...this.findings };
  }

  /** Stops the deadline and closes every socket and query the probe opened. */
  finish(): void {
    clearTimeout(this.timer);
    // Newest first: a TLS socket before the plain socket it wraps, which closes both.
    // Destroying the wrapped socket first crashes Node 20 after a completed handshake
    // (a use-after-free in its TLS wrap, cf. nodejs/node#49327).
    for (const socket of this.sockets.splice(0).reverse()) socket.destroy();
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private expire(): void {
    this.expired = true;
    const failure = this.timeoutFailure();
    for (const waiter of [...this.waiters]) waiter(failure);
  }

  private timeoutFailure(): ProbeFailure {
    const seconds = `${ms(this.timeoutMs / 1000)} s`;
    // Before a connection exists the silence may be ours (routing, a dead resolver): the
    // ETIMEDOUT code tells the cycle so. After connecting, the target was too slow.
    if (this.connected || this.resolverIsTarget) {
      return new ProbeFailure('timeout', `no answer within ${seconds} (${this.activity})`);
    }
    return new ProbeFailure('timeout', `no connection within ${seconds} (${this.activity})`, 'ETIMEDOUT');
  }
}
