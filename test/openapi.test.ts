import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import request from 'supertest';
import type { ApiRouting } from '../src/http/api-routing.ts';
import { type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

/** The routes the app really serves, as `METHOD /openapi/{style}` strings, read from its API routers. */
function servedRoutes(fixture: EngineFixture): string[] {
  const routes = new Set<string>();
  for (const middleware of fixture.app.middleware) {
    const { groups } = middleware as Partial<ApiRouting>;
    for (const layer of [...(groups?.values() ?? [])].flatMap((router) => router.stack)) {
      for (const method of layer.methods.filter((name) => name !== 'HEAD')) {
        routes.add(`${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`);
      }
    }
  }
  return [...routes].sort();
}

describe('OpenAPI document', () => {
  let fixture: EngineFixture;
  let document: { paths: Record<string, Record<string, unknown>> };

  before(async () => {
    fixture = await startEngine('');
    document = (await request(fixture.app.callback()).get('/genesys/1/openapi.json').expect(200)).body;
  });
  after(() => fixture.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
  });

  it('documents exactly the routes the server serves, no more and no fewer', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).to.deep.equal(servedRoutes(fixture));
  });
});
