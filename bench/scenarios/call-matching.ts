/**
 * Scenarios of call matching: request-interaction Create (urlencoded, multipart), the match look-up with 100 and
 * with 100,000 live services, and Create on the Redis backend. A match releases what it finds, so one repeated
 * request cannot hit a service twice; the match scenarios therefore repeat a call that reaches a number carrying
 * about 1 (100 services) or 1,000 (100,000 services) live reservations, with a caller number none of them has: the
 * look-up does all its work and answers 404. An engine that scanned services would slow down 1,000-fold there.
 * The two match scenarios use two groups of 100 numbers each, so every round measures each at its own size.
 */
import { multipart, type Scenario, urlencoded } from '../scenario.ts';

const CONFIG = `
[resource.bench-shared]
_allocation_strategy = random
range1 = 8001000000-8001000999

[resource.bench-lookup]
_allocation_strategy = random
_booking_expiration_timeout = 3600
range1 = 8002000000-8002000099

[service.bench-ri]
_type = builtin
_service = request-interaction
_resource_group = bench-shared

[resource.bench-lookup-small]
_allocation_strategy = random
_booking_expiration_timeout = 3600
range1 = 8003000000-8003000099

[service.bench-lookup-ri]
_type = builtin
_service = request-interaction
_resource_group = bench-lookup
_overwritable_options = _resource_group
_ttl = 3600

[service.bench-match]
_type = builtin
_service = match-interaction
`;

const CREATE = 'call matching: create (urlencoded)';
const MATCH_SMALL = 'call matching: match, 100 live services';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PARALLEL = 64;

/** Creates `total` live services on `group`, `PARALLEL` requests at a time. */
async function createLookupServices(baseUrl: string, group: string, total: number): Promise<void> {
  let created = 0;
  const next = async (): Promise<void> => {
    while (created < total) {
      const index = created++;
      const response = await fetch(`${baseUrl}/genesys/1/service/bench-lookup-ri`, {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams({
          _phone_number: `6${String(index).padStart(9, '0')}`,
          _resource_group: group,
        }).toString(),
      });
      if (response.status !== 200) throw new Error(`prepare: create answered ${response.status}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, next));
}

/** A call to the middle number of `prefix`'s 100 numbers from a caller none of the services has. */
function lookup(numberPrefix: string) {
  return {
    method: 'POST' as const,
    path: '/genesys/1/service/bench-match',
    headers: FORM,
    body: urlencoded({ _access_number: `${numberPrefix}42`, _phone_number: '0000000000' }),
  };
}

const upload = multipart(
  {
    _phone_number: '6504669999',
    language: 'french',
    current_location_latitude: '48.8583',
    current_location_longitude: '2.2944',
  },
  [{ field: 'FileKey', filename: 'MyPic.png', type: 'image/png', data: Buffer.alloc(1024, 7) }],
);

/** The call-matching scenarios. */
export const callMatchingScenarios: Scenario[] = [
  {
    name: CREATE,
    target: 'engine-memory',
    config: CONFIG,
    request: () => ({
      method: 'POST',
      path: '/genesys/1/service/bench-ri',
      headers: FORM,
      body: urlencoded({ _phone_number: '6504669999', language: 'french' }),
    }),
    compareTo: 'baseline: Koa + koa-body urlencoded',
    targetRatio: 0.7,
  },
  {
    name: 'call matching: create (multipart, 5 fields)',
    target: 'engine-memory',
    request: () => ({
      method: 'POST',
      path: '/genesys/1/service/bench-ri',
      headers: { 'content-type': upload.contentType },
      body: upload.body,
    }),
    compareTo: CREATE,
    targetRatio: 0.5,
  },
  {
    name: MATCH_SMALL,
    target: 'engine-memory',
    prepare: (baseUrl) => createLookupServices(baseUrl, 'bench-lookup-small', 100),
    request: () => lookup('80030000'),
    expectStatus: 404,
  },
  {
    name: 'call matching: match, 100,000 live services',
    target: 'engine-memory',
    prepare: (baseUrl) => createLookupServices(baseUrl, 'bench-lookup', 100_000),
    request: () => lookup('80020000'),
    expectStatus: 404,
    compareTo: MATCH_SMALL,
    targetRatio: 0.9,
  },
  {
    name: 'call matching: create (urlencoded), redis',
    target: 'engine-redis',
    request: () => ({
      method: 'POST',
      path: '/genesys/1/service/bench-ri',
      headers: FORM,
      body: urlencoded({ _phone_number: '6504669999', language: 'french' }),
    }),
    compareTo: CREATE,
    targetRatio: 0.5,
  },
];
