/**
 * Streaming through NATS JetStream: per (environment, model) binding, a durable pull consumer
 * reads OIP v2 infer requests (JSON with an `id`) from `<prefix>.<env>.<model>.requests`,
 * scores each through the same `infer` as REST (same traffic split, canary, shadow, stats and
 * reporting), and publishes the OIP v2 response to `….predictions`. Requests it cannot score
 * go to `….dead-letter` as `{id, error, request}`.
 *
 * Delivery: a request is acknowledged only after the stream has stored its prediction (or its
 * dead letter), so a crash redelivers it rather than losing it; the prediction is published
 * with the request's stream sequence as its message id, so the stream's duplicate window drops
 * the second copy a redelivery would produce. A broker that is down is retried with backoff
 * (the client's own reconnects, and our loop around the first connect); `status()` says so.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AckPolicy,
  connect,
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import type { Logger } from 'pino';
import { ZStreamingBinding, type StreamingBinding } from '../lib/validation/streaming';
import { infer, type Answer, type InferenceDeps } from './inference';

export { ZStreamingBinding, type StreamingBinding };

export interface StreamingSubjects {
  requests: string;
  predictions: string;
  deadLetter: string;
  durable: string;
}

/** Environment and model names may hold "."; in a subject that would add tokens, so it becomes "_". */
const token = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

export function subjectsFor(binding: StreamingBinding, environment: string, model: string): StreamingSubjects {
  const base = `${binding.subjectPrefix}.${token(environment)}.${token(model)}`;
  return {
    requests: `${base}.requests`,
    predictions: `${base}.predictions`,
    deadLetter: `${base}.dead-letter`,
    durable: `modeldeck-${token(environment)}-${token(model)}`,
  };
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface StreamingStatus {
  environment: string;
  model: string;
  binding: StreamingBinding;
  subjects: StreamingSubjects;
  connection: ConnectionState;
  /** Failed connection attempts in a row (reset once connected). */
  attempts: number;
  lastError: string | null;
  /** Requests in the stream the consumer has not been delivered yet. */
  pending: number | null;
  /** Delivered, not acknowledged yet. */
  ackPending: number | null;
  processed: number;
  deadLettered: number;
}

const MAX_IN_FLIGHT = 64;
const BACKOFF_MS = { first: 250, max: 10_000 };

/** One binding's consumer loop. */
export class StreamConsumer {
  connection: ConnectionState = 'connecting';
  attempts = 0;
  lastError: string | null = null;
  processed = 0;
  deadLettered = 0;
  readonly subjects: StreamingSubjects;
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private messages: ConsumerMessages | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: InferenceDeps,
    readonly environment: string,
    readonly model: string,
    readonly binding: StreamingBinding,
  ) {
    this.subjects = subjectsFor(binding, environment, model);
  }

  private get log(): Logger {
    return this.deps.logger;
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let delay = BACKOFF_MS.first;
    while (!this.stopping) {
      try {
        await this.connectAndConsume();
        delay = BACKOFF_MS.first;
      } catch (caught) {
        if (this.stopping) break;
        this.attempts += 1;
        this.lastError = (caught as Error).message;
        this.connection = this.attempts > 1 || this.processed > 0 ? 'reconnecting' : 'connecting';
        this.log.warn({ environment: this.environment, model: this.model, natsUrl: this.binding.natsUrl, attempt: this.attempts, err: this.lastError }, 'streaming: broker unavailable, retrying');
        await this.closeConnection();
        await sleep(delay + Math.floor(Math.random() * delay * 0.2));
        delay = Math.min(delay * 2, BACKOFF_MS.max);
      }
    }
  }

  private async connectAndConsume(): Promise<void> {
    const nc = await connect({
      servers: this.binding.natsUrl.split(','),
      name: `modeldeck-model-server ${this.environment}/${this.model}`,
      // The client reconnects by itself once connected; our loop covers the first connect.
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 3000,
    });
    this.nc = nc;
    void this.watchStatus(nc);
    this.jsm = await nc.jetstreamManager();
    this.js = nc.jetstream();
    await this.ensureStream(this.jsm);
    await this.jsm.consumers.add(this.binding.stream, {
      durable_name: this.subjects.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.subjects.requests,
      ack_wait: this.binding.ackWaitSeconds * 1_000_000_000,
      max_ack_pending: 1000,
    });
    const consumer = await this.js.consumers.get(this.binding.stream, this.subjects.durable);
    this.messages = await consumer.consume({ max_messages: MAX_IN_FLIGHT * 2 });
    this.connection = 'connected';
    this.attempts = 0;
    this.lastError = null;
    this.log.info({ environment: this.environment, model: this.model, stream: this.binding.stream, subject: this.subjects.requests }, 'streaming: consuming');
    for await (const message of this.messages) {
      const task = this.handle(message).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
      if (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
    }
    await Promise.all(this.inFlight);
    if (!this.stopping) throw new Error('the consumer stopped delivering (connection closed)');
  }

  /** Creates the stream, or adds this binding's subjects to an existing one that lacks them. */
  private async ensureStream(jsm: JetStreamManager): Promise<void> {
    const wanted = `${this.subjects.requests.slice(0, -'.requests'.length)}.>`;
    try {
      const info = await jsm.streams.info(this.binding.stream);
      const subjects = info.config.subjects ?? [];
      const covered = [this.subjects.requests, this.subjects.predictions, this.subjects.deadLetter].every((s) => subjects.some((pattern) => matches(pattern, s)));
      if (!covered) await jsm.streams.update(this.binding.stream, { ...info.config, subjects: [...subjects, wanted] });
    } catch (caught) {
      if (!/stream not found/i.test((caught as Error).message)) throw caught;
      // The default duplicate window (2 min) is what makes a redelivered request's prediction a no-op.
      await jsm.streams.add({ name: this.binding.stream, subjects: [wanted] });
    }
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const event of nc.status()) {
      if (event.type === 'disconnect' || event.type === 'reconnecting') {
        if (this.connection === 'connected') this.log.warn({ environment: this.environment, model: this.model }, 'streaming: disconnected from the broker, reconnecting');
        this.connection = 'reconnecting';
        this.lastError = `disconnected from ${String(event.data)}`;
      } else if (event.type === 'reconnect') {
        this.connection = 'connected';
        this.lastError = null;
        this.log.info({ environment: this.environment, model: this.model }, 'streaming: reconnected');
      } else if (event.type === 'error') {
        this.lastError = String(event.data);
      }
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    const raw = message.string();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (caught) {
      return this.deadLetter(message, null, `malformed JSON: ${(caught as Error).message}`, raw);
    }
    const id = typeof body === 'object' && body !== null && 'id' in body ? body.id : undefined;
    if (typeof id !== 'string' || id.length === 0 || id.length > 256) {
      return this.deadLetter(message, null, 'the request needs an "id" (a string of 1–256 characters): the prediction is published under it', raw);
    }
    let answer: Answer;
    try {
      answer = await infer(this.deps, this.environment, this.model, null, body);
    } catch (caught) {
      answer = { status: 500, body: { error: (caught as Error).message } };
    }
    if (answer.status === 503) {
      // No version takes traffic (yet): the request waits in the stream rather than failing.
      message.nak(1000);
      return;
    }
    if (answer.status !== 200) {
      const reason = String((answer.body as { error?: unknown }).error ?? `status ${answer.status}`);
      return this.deadLetter(message, id, reason, body);
    }
    try {
      await this.js!.publish(this.subjects.predictions, JSON.stringify(answer.body), { msgID: `${this.subjects.durable}:${message.seq}` });
      // Only now that the stream has stored the prediction. A lost ack means a redelivery, and
      // the message id above makes its second prediction a duplicate the stream drops.
      message.ack();
      this.processed += 1;
    } catch (caught) {
      // Not acknowledged: the broker redelivers it after ack_wait, and the message id dedupes the prediction.
      this.lastError = `publishing a prediction failed: ${(caught as Error).message}`;
    }
  }

  private async deadLetter(message: JsMsg, id: string | null, error: string, request: unknown): Promise<void> {
    try {
      await this.js!.publish(this.subjects.deadLetter, JSON.stringify({ id, error, request, subject: message.subject, sequence: message.seq }), {
        msgID: `${this.subjects.durable}:dl:${message.seq}`,
      });
      message.ack();
      this.deadLettered += 1;
    } catch (caught) {
      this.lastError = `publishing a dead letter failed: ${(caught as Error).message}`;
    }
  }

  async status(): Promise<StreamingStatus> {
    let pending: number | null = null;
    let ackPending: number | null = null;
    if (this.jsm && this.connection === 'connected') {
      try {
        const info = await Promise.race([this.jsm.consumers.info(this.binding.stream, this.subjects.durable), sleep(2000).then(() => null)]);
        if (info) {
          pending = info.num_pending;
          ackPending = info.num_ack_pending;
        }
      } catch (caught) {
        this.lastError = (caught as Error).message;
      }
    }
    return {
      environment: this.environment,
      model: this.model,
      binding: this.binding,
      subjects: this.subjects,
      connection: this.stopping ? 'stopped' : this.connection,
      attempts: this.attempts,
      lastError: this.lastError,
      pending,
      ackPending,
      processed: this.processed,
      deadLettered: this.deadLettered,
    };
  }

  private async closeConnection(): Promise<void> {
    const nc = this.nc;
    this.nc = null;
    this.js = null;
    this.jsm = null;
    this.messages = null;
    if (nc && !nc.isClosed()) await nc.close().catch(() => undefined);
  }

  /** Stops taking messages, lets the ones being scored finish (and be acked), then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.connection = 'stopped';
    await this.messages?.close().catch(() => undefined);
    await Promise.all(this.inFlight);
    await this.closeConnection();
    await this.loop?.catch(() => undefined);
  }
}

/** NATS subject matching: `*` one token, `>` the rest. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/** Every binding of the server, by environment/model. */
export class Streaming {
  private readonly consumers = new Map<string, StreamConsumer>();

  constructor(private readonly deps: InferenceDeps) {}

  get(environment: string, model: string): StreamConsumer | undefined {
    return this.consumers.get(`${environment}/${model}`);
  }

  list(): StreamConsumer[] {
    return [...this.consumers.values()];
  }

  /** Starts (or restarts with new settings) a binding; the same settings again is a no-op. */
  async bind(environment: string, model: string, binding: StreamingBinding): Promise<StreamConsumer> {
    const key = `${environment}/${model}`;
    const existing = this.consumers.get(key);
    if (existing && JSON.stringify(existing.binding) === JSON.stringify(binding)) return existing;
    if (existing) await existing.stop();
    const consumer = new StreamConsumer(this.deps, environment, model, binding);
    this.consumers.set(key, consumer);
    consumer.start();
    return consumer;
  }

  async unbind(environment: string, model: string): Promise<boolean> {
    const key = `${environment}/${model}`;
    const existing = this.consumers.get(key);
    if (!existing) return false;
    this.consumers.delete(key);
    await existing.stop();
    return true;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((c) => c.stop()));
  }
}
