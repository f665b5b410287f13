// The HTTP server: request pipeline (rate window → 429 → 5xx → hang → latency → handler → response
// shape → lost response), bookkeeping of held sockets and timers so close() never leaves anything behind.
import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleAdmin } from './admin-router.js';
import { handleFhir } from './fhir-router.js';
import { fail, text, type Reply } from './reply.js';
import { asRuleArray, tooManyRequests } from './response-shapes.js';
import { SimState } from './state.js';
import { bump } from './stats.js';
import { resolveOptions } from './options.js';
import type { FaultScope, RunningSimulator, SimulatorOptions } from './types.js';

const FHIR_BASE = '/fhir-r4/v1';
const TOKEN_PATH = '/oauth2/v1/accesstoken';
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const GATEWAY_ERRORS: ReadonlyArray<[number, string]> = [
  [500, 'Internal Server Error'],
  [502, 'Bad Gateway'],
  [503, 'Service Unavailable'],
  [504, 'Gateway Timeout'],
];

type Body = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'aborted' };

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const cfg = resolveOptions(options);
  const state = new SimState(cfg, options.faults, options.seed ?? randomInt(2 ** 31));
  const timers = new Set<NodeJS.Timeout>();
  const hung = new Map<Socket, NodeJS.Timeout>();
  let closing = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  // Hold a request without answering; the socket dies after hangMs or when the client gives up.
  const hold = (socket: Socket, ms: number): void => {
    const t = setTimeout(() => {
      hung.delete(socket);
      socket.destroy();
    }, ms);
    hung.set(socket, t);
    socket.once('close', () => {
      clearTimeout(t);
      hung.delete(socket);
    });
  };

  const send = (res: ServerResponse, reply: Reply, counted: boolean): void => {
    if (res.destroyed || res.writableEnded) return;
    if (counted) bump(state.counters.byStatus, String(reply.status));
    const body = Buffer.from(reply.body, 'utf8');
    res.writeHead(reply.status, { ...reply.headers, 'content-length': body.length, 'x-request-id': randomUUID() });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (body.kind === 'aborted' || closing) return;

    if (path === '/__sim' || path.startsWith('/__sim/')) {
      send(res, handleAdmin(state, method, path, body.kind === 'ok' ? body.text : '', req.socket.remoteAddress), false);
      return;
    }
    state.counters.requests++;
    if (body.kind === 'too-large') return send(res, fail(413, 'too-long', `Payload larger than ${MAX_BODY_BYTES} bytes`), true);

    const isToken = path === TOKEN_PATH;
    const isFhir = path === FHIR_BASE || path.startsWith(`${FHIR_BASE}/`);
    if (!isToken && !isFhir) return send(res, fail(404, 'not-found', `No route for ${method} ${path}`), true);

    const f = state.faults;
    if (f.rateLimitPerMinute !== null) {
      const waitMs = state.window.acquire(Date.now(), f.rateLimitPerMinute);
      if (waitMs > 0) {
        state.counters.injected.rateLimited++;
        const headers: Record<string, string> = f.retryAfterSeconds === null ? {} : { 'retry-after': String(Math.ceil(waitMs / 1000)) };
        return send(res, tooManyRequests(f.rate429Body, `Rate limit exceeded: ${f.rateLimitPerMinute} requests per minute`, headers), true);
      }
    }
    // A fault chosen to strike after the write was handled (afterStoreShare): applied below.
    let afterStore: { kind: '5xx'; status: number; message: string } | { kind: 'hang' } | null = null;
    const isWrite = method !== 'GET';
    const isOrgRead = method === 'GET' && path === `${FHIR_BASE}/Organization/${cfg.orgId}`;
    const struck = (kind: '5xx' | '429' | 'hang') => {
      state.counters.injected[kind]++;
      if (isOrgRead) state.counters.injected.onOrgRead[kind]++;
    };
    if (isFhir && inScope(f.faultScope, isWrite)) {
      if (f.rate429 > 0 && state.random() < f.rate429) {
        struck('429');
        const headers: Record<string, string> = f.retryAfterSeconds === null ? {} : { 'retry-after': String(f.retryAfterSeconds) };
        return send(res, tooManyRequests(f.rate429Body, 'Too Many Requests', headers), true);
      }
      const storedFirst = () => isWrite && f.afterStoreShare > 0 && state.random() < f.afterStoreShare;
      if (f.errorRate5xx > 0 && state.random() < f.errorRate5xx) {
        struck('5xx');
        const [status, message] = GATEWAY_ERRORS[Math.floor(state.random() * GATEWAY_ERRORS.length)] as [number, string];
        if (!storedFirst()) return send(res, text(status, message), true);
        afterStore = { kind: '5xx', status, message };
      } else if (f.hangRate > 0 && state.random() < f.hangRate) {
        struck('hang');
        if (!storedFirst()) {
          hold(req.socket, f.hangMs);
          return;
        }
        afterStore = { kind: 'hang' };
      }
      if (f.latencyMs > 0) {
        await sleep(f.latencyMs);
        if (closing) return;
      }
    }

    const handled = isToken
      ? state.tokens.issue(method, query, body.text, req.headers['content-type'] ?? '')
      : handleFhir(state, {
          method,
          path: path.slice(FHIR_BASE.length),
          query,
          body: body.text,
          contentType: req.headers['content-type'] ?? '',
          authorization: req.headers.authorization,
          selfUrl: `${state.fhirUrl.slice(0, -FHIR_BASE.length)}${rawUrl}`,
        });
    // A rejected write in SATUSEHAT's other shape: a bare rule-violation array, with 200 or 400.
    const ruleArrayStatus = state.faults.ruleArrayStatus;
    const reply = isFhir && ruleArrayStatus !== null && method !== 'GET' ? asRuleArray(handled, ruleArrayStatus) : handled;
    // The write was handled (and stored, unless refused); the gateway fails all the same.
    if (afterStore) {
      if (reply.stored) state.counters.injected.afterStore++;
      if (afterStore.kind === 'hang') return hold(req.socket, f.hangMs);
      return send(res, text(afterStore.status, afterStore.message), true);
    }
    // The write happened; now lose the answer, like a gateway timeout after the backend committed.
    if (reply.stored && (method === 'POST' || method === 'PUT') && state.faults.lostResponseRate > 0 && state.random() < state.faults.lostResponseRate) {
      state.counters.injected.lost++;
      req.socket.destroy();
      return;
    }
    send(res, reply, true);
  };

  const server = createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the simulator must not take it down; answer 500 and keep serving.
      send(res, fail(500, 'exception', `Simulator error: ${(err as Error).message}`), true);
    });
  });
  // Longer than typical client idle timeouts, so clients, not the server, close idle keep-alives.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(cfg.host)}:${port}`;
  state.fhirUrl = `${url}${FHIR_BASE}`;

  let closed: Promise<void> | null = null;
  return {
    url,
    authUrl: `${url}/oauth2/v1`,
    fhirUrl: state.fhirUrl,
    orgId: cfg.orgId,
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    stats: () => state.stats(),
    setFaults: (faults) => {
      state.setFaults(faults);
    },
    expireTokens: () => state.tokens.expireAll(),
    reset: () => state.reset(),
    resources: (type) => state.store.all(type).map((r) => structuredClone(r)),
    plant: (type, resource) => {
      const copy = { ...structuredClone(resource), resourceType: type, id: typeof resource.id === 'string' ? resource.id : randomUUID() } as Record<string, unknown>;
      state.store.put(type, copy as never);
      return copy.id as string;
    },
    remove: (type, id) => state.store.remove(type, id),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const [socket, t] of hung) {
          clearTimeout(t);
          socket.destroy();
        }
        hung.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Whether the fault scope covers this FHIR request. */
function inScope(scope: FaultScope, isWrite: boolean): boolean {
  return scope === 'all' || (scope === 'writes') === isWrite;
}

function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? { kind: 'too-large' } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => resolve({ kind: 'aborted' }));
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
