/**
 * Storage API scenarios: store then read a 5-field record, and store then read a 100 KB file, on the memory and
 * Redis backends. The read scenarios store once in `prepare` and read the same id on every request.
 */
import { randomBytes } from 'node:crypto';
import { type BenchRequest, type BenchTarget, multipart, type Scenario, urlencoded } from '../scenario.ts';

const BASELINE = 'baseline: Koa + koa-body urlencoded';

/** A body to store and its content type. */
interface Payload {
  readonly contentType: string;
  readonly body: string | Buffer;
}

const RECORD: Payload = {
  contentType: 'application/x-www-form-urlencoded',
  body:
    urlencoded({ Key1: 'Value1', Key2: 'Value2', language: 'french', latitude: '48.8583', longitude: '2.2944' }) ?? '',
};

const FILE: Payload = multipart({ Key1: 'Value1' }, [
  { field: 'FileKey', filename: 'MyPic.png', type: 'image/png', data: randomBytes(100 * 1024) },
]);

/** Stored records expire quickly: every request of a store scenario adds one, and memory should not pile up. */
const STORE_TTL = 5;

/** The data a read scenario reads lives longer than any run. */
const READ_TTL = 3600;

function storeRequest(payload: Payload, ttl: number): BenchRequest {
  return {
    method: 'POST',
    path: `/genesys/1/storage/${ttl}`,
    headers: { 'content-type': payload.contentType },
    body: payload.body,
  };
}

/** Stores `payload` once and answers its id. */
async function storeOnce(baseUrl: string, payload: Payload): Promise<string> {
  const response = await fetch(`${baseUrl}/genesys/1/storage/${READ_TTL}`, {
    method: 'POST',
    headers: { 'content-type': payload.contentType },
    body: typeof payload.body === 'string' ? payload.body : new Uint8Array(payload.body),
  });
  if (response.status !== 200) throw new Error(`storing the bench data answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

/** A read scenario: `prepare` stores once, every request reads `path(id)`. */
function readScenario(name: string, target: BenchTarget, payload: Payload, path: (id: string) => string): Scenario {
  let id = '';
  return {
    name,
    target,
    prepare: async (baseUrl) => {
      id = await storeOnce(baseUrl, payload);
    },
    request: () => ({ method: 'GET', path: path(id) }),
    compareTo: BASELINE,
  };
}

function scenariosFor(target: BenchTarget, backend: string): Scenario[] {
  const store = (name: string, payload: Payload): Scenario => ({
    name: `storage: store ${name} (${backend})`,
    target,
    request: () => storeRequest(payload, STORE_TTL),
    compareTo: BASELINE,
  });
  return [
    store('5-field record', RECORD),
    readScenario(`storage: read 5-field record (${backend})`, target, RECORD, (id) => `/genesys/1/storage/${id}`),
    store('100 KB file', FILE),
    readScenario(
      `storage: read 100 KB file (${backend})`,
      target,
      FILE,
      (id) => `/genesys/1/storage/binary/${id}/FileKey`,
    ),
  ];
}

/** The Storage API scenarios. */
export const storageApiScenarios: Scenario[] = [
  ...scenariosFor('engine-memory', 'memory'),
  ...scenariosFor('engine-redis', 'redis'),
];
