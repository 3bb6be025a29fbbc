/** Test helpers for the admin API: requests with the fixture's credentials, and a template with presets. */
import AdmZip from 'adm-zip';
import type Koa from 'koa';
import request from 'supertest';
import { ADMIN } from './engine-fixture.ts';

/** Requests to `app` carrying the admin credentials; bodies are sent as JSON. */
export function adminClient(app: Koa) {
  const agent = () => request(app.callback());
  return {
    get: (path: string) => agent().get(path).auth(ADMIN.user, ADMIN.password),
    post: (path: string, body: object) => agent().post(path).auth(ADMIN.user, ADMIN.password).send(body),
    put: (path: string, body: object) => agent().put(path).auth(ADMIN.user, ADMIN.password).send(body),
    patch: (path: string, body: object) => agent().patch(path).auth(ADMIN.user, ADMIN.password).send(body),
    delete: (path: string) => agent().delete(path).auth(ADMIN.user, ADMIN.password),
  };
}

/**
 * A template-only zip that reuses the `get` plugin, shaped like request-interaction: a mandatory option with a
 * default (`_ttl`), a mandatory one without (`welcome`), a request parameter, an advanced option, and a preset.
 */
export function greetingTemplateZip(): Buffer {
  const manifest = {
    name: 'greeting',
    version: '1.0.0',
    description: 'A get service with a welcome text',
    engine: '^0.1.0',
    service: 'get',
    options: {
      type: 'object',
      properties: {
        _ttl: { type: 'integer', minimum: 1, default: 30 },
        welcome: { type: 'string', minLength: 1 },
        _provide_code: { type: 'boolean', default: false },
        _color: { type: 'string', default: 'blue' },
        _online_code: { type: 'integer', default: 200 },
        _offline_code: { type: 'integer', default: 503 },
      },
      required: ['welcome'],
      additionalProperties: { type: 'string' },
    },
    metadata: {
      _ttl: {
        category: 'General',
        mandatory: true,
        label: 'Service Timeout',
        description: 'Seconds the service lives',
      },
      welcome: { category: 'General', mandatory: true, description: 'Text answered to the app' },
      _provide_code: { request_parameter: true, description: 'Provide access code along with access number' },
      _color: { advanced: true, description: 'Colour of the widget' },
    },
    presets: { french: { welcome: 'Bonjour', _color: 'bleu' } },
  };
  const zip = new AdmZip();
  zip.addFile('template.json', Buffer.from(JSON.stringify(manifest)));
  return zip.toBuffer();
}

/** Uploads the greeting template through the templates API. */
export async function installGreetingTemplate(app: Koa): Promise<void> {
  await request(app.callback())
    .post('/genesys/1/admin/templates')
    .auth(ADMIN.user, ADMIN.password)
    .attach('template', greetingTemplateZip(), 'greeting.zip')
    .expect(201);
}
