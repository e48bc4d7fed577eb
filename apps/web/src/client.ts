/**
 * The page's side of the training worker: typed requests that resolve with the worker's reply, and
 * subscriptions to what the worker reports on its own (progress, running state, backend changes).
 */
import type { Replies, Request, WorkerMessage } from './protocol.js';

type EventMessage = Exclude<WorkerMessage, { type: 'reply' }>;
type EventType = EventMessage['type'];
type Listener<T extends EventType> = (message: Extract<EventMessage, { type: T }>) => void;

export class EngineClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<EventType, Set<(m: EventMessage) => void>>();

  constructor() {
    this.worker = new Worker(new URL('./engine/worker.ts', import.meta.url), {
      type: 'module',
      name: 'myelin-training',
    });
    this.worker.onmessage = (e: MessageEvent<WorkerMessage>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.fail(`the training worker failed: ${e.message || 'it could not be loaded'}`);
    };
  }

  /** Sends a request; resolves with its reply, rejects with the worker's error message. */
  request<K extends Request['kind']>(
    request: Extract<Request, { kind: K }>,
    transfer: Transferable[] = [],
  ): Promise<Replies[K]> {
    const id = this.nextId++;
    return new Promise<Replies[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, ...request }, transfer);
    });
  }

  /** Calls `listener` for every event of `type`; returns a function that unsubscribes. */
  on<T extends EventType>(type: T, listener: Listener<T>): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const l = listener as (m: EventMessage) => void;
    set.add(l);
    return () => set.delete(l);
  }

  private receive(message: WorkerMessage): void {
    if (message.type === 'reply') {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.ok) p.resolve(message.value);
      else p.reject(new Error(message.error));
      return;
    }
    for (const l of this.listeners.get(message.type) ?? []) l(message);
  }

  private fail(error: string): void {
    for (const p of this.pending.values()) p.reject(new Error(error));
    this.pending.clear();
    for (const l of this.listeners.get('fatal') ?? []) l({ type: 'fatal', error });
  }
}
