import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import request from 'supertest';
import { adminClient, installGreetingTemplate } from './helpers/admin-client.ts';
import { ADMIN, type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

const SERVICES = `
; Load balancer check, do not remove
[service.checker]
_type = builtin
_service = get
_online_code = 200   ; answered while ONLINE
custom_parameter_1=value1

# the seed's basic_get
[service.basic]
_service=basic_get
result=200
`;

describe('admin API: services', () => {
  let fixture: EngineFixture;
  let api: ReturnType<typeof adminClient>;
  let before: string;

  beforeEach(async () => {
    fixture = await startEngine(SERVICES);
    api = adminClient(fixture.app);
    before = await readFile(fixture.configFile, 'utf8');
  });
  afterEach(() => fixture.close());

  const fileText = () => readFile(fixture.configFile, 'utf8');

  describe('reading', () => {
    it('lists the configured services with template, state and validity', async () => {
      const response = await api.get('/genesys/1/admin/services').expect(200);
      expect(response.body).to.deep.equal([
        {
          name: 'checker',
          template: 'get',
          state: 'serving',
          valid: true,
          problems: [],
          url: '/genesys/1/service/checker',
        },
        {
          name: 'basic',
          template: 'basic_get',
          state: 'serving',
          valid: true,
          problems: [],
          url: '/genesys/1/service/basic',
        },
      ]);
    });

    it('reads one service with every option, its metadata, configured value and value in force', async () => {
      const response = await api.get('/genesys/1/admin/services/checker').expect(200);
      const options = Object.fromEntries(
        (response.body.options as Array<{ name: string }>).map((option) => [option.name, option]),
      );
      expect(options._online_code).to.include({
        value: '200',
        effective: 200,
        default: 200,
        mandatory: true,
        optional: false,
        advanced: false,
        request_parameter: false,
        from_template: true,
        description: 'HTTP code to return when GMS is ONLINE (default is 200).',
      });
      expect(options._offline_code).to.include({ value: null, effective: 503, default: 503, mandatory: true });
      expect(options.custom_parameter_1).to.include({ value: 'value1', from_template: false, optional: true });
      expect(options._type).to.include({ value: 'builtin', from_template: false });
      expect(options).not.to.have.property('_service');
    });

    it('answers 404 for a service that is not configured', async () => {
      const response = await api.get('/genesys/1/admin/services/nope').expect(404);
      expect(response.body.code).to.equal('GMS_SERVICE_NOT_CONFIGURED');
    });

    it('challenges requests without the admin credentials', async () => {
      const agent = request(fixture.app.callback());
      await agent.get('/genesys/1/admin/services').expect(401);
      await agent.get('/genesys/1/admin/services/checker').auth(ADMIN.user, 'wrong').expect(401);
      await agent.post('/genesys/1/admin/services').send({ name: 'x', template: 'get' }).expect(401);
      await agent.delete('/genesys/1/admin/services/checker').expect(401);
      expect(await fileText()).to.equal(before);
    });
  });

  describe('creating', () => {
    it('creates a service from a template with its mandatory defaults, serving at once', async () => {
      const response = await api
        .post('/genesys/1/admin/services', { name: 'health', template: 'get', options: { status: 'up', _ttl: 30 } })
        .expect(201);
      expect(response.body).to.include({ name: 'health', template: 'get', state: 'serving', valid: true });
      expect(await fileText()).to.equal(
        // In the style of the option above it (`result=200`).
        `${before}\n[service.health]\n_type=builtin\n_service=get\n_online_code=200\n_offline_code=503\n` +
          'status=up\n_ttl=30\n',
      );
      const served = await request(fixture.app.callback()).get('/genesys/1/service/health').expect(200);
      expect(served.body).to.deep.equal({ status: 'up' });
    });

    it('fills options from a preset, given options winning over the preset', async () => {
      await installGreetingTemplate(fixture.app);
      const response = await api
        .post('/genesys/1/admin/services', {
          name: 'hello',
          template: 'greeting',
          preset: 'french',
          options: { _color: 'rouge' },
        })
        .expect(201);
      const options = Object.fromEntries(
        (response.body.options as Array<{ name: string; value: string | null }>).map((o) => [o.name, o.value]),
      );
      expect(options).to.include({ _ttl: '30', welcome: 'Bonjour', _color: 'rouge', _provide_code: null });
      expect(await fileText()).to.contain(
        '[service.hello]\n_type=builtin\n_service=greeting\n_ttl=30\nwelcome=Bonjour\n_color=rouge\n',
      );
    });

    it('shows request parameters and advanced options with their metadata', async () => {
      await installGreetingTemplate(fixture.app);
      await api
        .post('/genesys/1/admin/services', { name: 'hello', template: 'greeting', options: { welcome: 'Hi' } })
        .expect(201);
      const response = await api.get('/genesys/1/admin/services/hello').expect(200);
      const options = Object.fromEntries(
        (response.body.options as Array<{ name: string }>).map((option) => [option.name, option]),
      );
      expect(options._provide_code).to.include({ request_parameter: true, value: null, effective: false });
      expect(options._color).to.include({ advanced: true, mandatory: false, effective: 'blue' });
      expect(options._ttl).to.include({ mandatory: true, label: 'Service Timeout', effective: 30 });
    });

    it('refuses a mandatory option without default that is not given, naming it', async () => {
      await installGreetingTemplate(fixture.app);
      const response = await api.post('/genesys/1/admin/services', { name: 'hello', template: 'greeting' }).expect(400);
      expect(response.body.code).to.equal('GMS_MISSING_PARAMETER');
      expect(response.body.message).to.contain('options.welcome');
      expect(await fileText()).to.equal(before);
    });

    it('refuses options the template schema refuses, naming section, option and rule; the file is untouched', async () => {
      const response = await api
        .post('/genesys/1/admin/services', { name: 'health', template: 'get', options: { _offline_code: 'soon' } })
        .expect(400);
      expect(response.body.code).to.equal('GMS_CONFIG_CHANGE_INVALID');
      expect(response.body.message).to.contain('[service.health] _offline_code: must be integer');
      expect(await fileText()).to.equal(before);
      expect(fixture.engine.services.has('health')).to.equal(false);
    });

    it('refuses an existing name, an unknown template or preset, and malformed bodies', async () => {
      const cases: Array<[object, number, string]> = [
        [{ name: 'checker', template: 'get' }, 409, 'GMS_ADMIN_SERVICE_EXISTS'],
        [{ name: 'x', template: 'nothing' }, 404, 'GMS_TEMPLATE_NOT_FOUND'],
        [{ name: 'x', template: 'get', preset: 'none' }, 400, 'GMS_ADMIN_PRESET_NOT_FOUND'],
        [{ name: 'x', template: 'get', preset: 'constructor' }, 400, 'GMS_ADMIN_PRESET_NOT_FOUND'],
        [{ name: 'bad name', template: 'get' }, 400, 'GMS_INVALID_PARAMETER'],
        [{ name: 'x]', template: 'get' }, 400, 'GMS_INVALID_PARAMETER'],
        [{ name: 'x', template: 'get', options: { 'a=b': 'c' } }, 400, 'GMS_INVALID_PARAMETER'],
        [{ name: 'x', template: 'get', options: { note: 'two\nlines' } }, 400, 'GMS_INVALID_PARAMETER'],
        [{ name: 'x', template: 'get', options: { nested: { a: 1 } } }, 400, 'GMS_INVALID_PARAMETER'],
        [{ name: 'x', template: 'get', options: { _service: 'basic_get' } }, 400, 'GMS_INVALID_PARAMETER'],
        [{ name: 'x' }, 400, 'GMS_INVALID_PARAMETER'],
        [{ name: 'x', template: 'get', extra: 1 }, 400, 'GMS_INVALID_PARAMETER'],
      ];
      for (const [body, status, code] of cases) {
        const response = await api.post('/genesys/1/admin/services', body);
        expect([response.status, response.body.code], JSON.stringify(body)).to.deep.equal([status, code]);
      }
      expect(await fileText()).to.equal(before);
    });

    it('refuses bodies that are not JSON with 415', async () => {
      const response = await request(fixture.app.callback())
        .post('/genesys/1/admin/services')
        .auth(ADMIN.user, ADMIN.password)
        .type('form')
        .send({ name: 'x', template: 'get' })
        .expect(415);
      expect(response.body.message).to.contain('application/json');
    });
  });

  describe('changing', () => {
    it('renames, sets and deletes options in one change, touching only those lines', async () => {
      const response = await api
        .patch('/genesys/1/admin/services/checker', {
          rename: { custom_parameter_1: 'renamed' },
          set: { renamed: 'value2', _offline_code: 500 },
          delete: ['_type'],
        })
        .expect(200);
      expect(response.body).to.include({ name: 'checker', state: 'serving' });
      expect(await fileText()).to.equal(
        before
          .replace('_type = builtin\n_service = get\n', '_service = get\n')
          .replace('custom_parameter_1=value1\n', 'renamed=value2\n_offline_code=500\n'),
      );
      expect(fixture.engine.services.get('checker')?.options).to.include({ renamed: 'value2', _offline_code: 500 });
    });

    it('keeps the inline comment of a changed value', async () => {
      await api.patch('/genesys/1/admin/services/checker', { set: { _online_code: 204 } }).expect(200);
      expect(await fileText()).to.equal(before.replace('_online_code = 200   ;', '_online_code = 204   ;'));
    });

    it('removes a configured request parameter, which becomes "not specified"', async () => {
      await installGreetingTemplate(fixture.app);
      await api
        .post('/genesys/1/admin/services', {
          name: 'hello',
          template: 'greeting',
          options: { welcome: 'Hi', _provide_code: true },
        })
        .expect(201);
      const response = await api.patch('/genesys/1/admin/services/hello', { delete: ['_provide_code'] }).expect(200);
      const option = (response.body.options as Array<{ name: string }>).find((o) => o.name === '_provide_code');
      expect(option).to.include({ value: null, effective: false });
    });

    it('refuses to remove or rename a mandatory option, and to change the template', async () => {
      const refused: Array<[object, number, string, string]> = [
        [{ delete: ['_online_code'] }, 409, 'GMS_ADMIN_OPTION_MANDATORY', 'cannot be removed'],
        [{ rename: { _online_code: 'x' } }, 409, 'GMS_ADMIN_OPTION_MANDATORY', 'cannot be renamed'],
        [{ delete: ['_service'] }, 409, 'GMS_ADMIN_OPTION_MANDATORY', 'names the template'],
        [{ set: { _service: 'basic_get' } }, 400, 'GMS_INVALID_PARAMETER', 'set._service'],
      ];
      for (const [body, status, code, text] of refused) {
        const response = await api.patch('/genesys/1/admin/services/checker', body);
        expect([response.status, response.body.code], JSON.stringify(body)).to.deep.equal([status, code]);
        expect(response.body.message).to.contain(text);
      }
      expect(await fileText()).to.equal(before);
    });

    it('refuses unknown options, taken names, invalid values and empty changes; nothing changes', async () => {
      const refused: Array<[string, object, number, string]> = [
        ['checker', { delete: ['nothing'] }, 404, 'GMS_ADMIN_OPTION_NOT_FOUND'],
        ['checker', { rename: { nothing: 'x' } }, 404, 'GMS_ADMIN_OPTION_NOT_FOUND'],
        ['checker', { rename: { custom_parameter_1: '_type' } }, 409, 'GMS_ADMIN_OPTION_EXISTS'],
        ['checker', { rename: { custom_parameter_1: 'bad name' } }, 400, 'GMS_INVALID_PARAMETER'],
        ['checker', { set: { _online_code: 'soon' } }, 400, 'GMS_CONFIG_CHANGE_INVALID'],
        ['basic', { set: { result: 'abc' } }, 400, 'GMS_CONFIG_CHANGE_INVALID'],
        ['checker', {}, 400, 'GMS_INVALID_PARAMETER'],
        ['checker', { replace: {} }, 400, 'GMS_INVALID_PARAMETER'],
        ['nope', { set: { a: 'b' } }, 404, 'GMS_SERVICE_NOT_CONFIGURED'],
        // all or nothing: the valid rename is not applied either
        ['checker', { rename: { custom_parameter_1: 'ok' }, delete: ['missing'] }, 404, 'GMS_ADMIN_OPTION_NOT_FOUND'],
      ];
      for (const [service, body, status, code] of refused) {
        const response = await api.patch(`/genesys/1/admin/services/${service}`, body);
        expect([response.status, response.body.code], JSON.stringify(body)).to.deep.equal([status, code]);
      }
      expect(await fileText()).to.equal(before);
      expect(fixture.engine.services.get('checker')?.options._online_code).to.equal(200);
    });

    it('names the section, the option and the rule when a change breaks the schema', async () => {
      const response = await api.patch('/genesys/1/admin/services/basic', { delete: ['result'] }).expect(409);
      expect(response.body.message).to.contain('result').and.contain('mandatory in template basic_get');
      const invalid = await api.patch('/genesys/1/admin/services/basic', { set: { result: '99' } }).expect(400);
      expect(invalid.body.message).to.contain('gms.ini [service.basic] result: must match pattern');
    });
  });

  describe('deleting', () => {
    it('removes the section, and the service stops answering', async () => {
      await api.delete('/genesys/1/admin/services/checker').expect(200, { name: 'checker', deleted: true });
      const start = before.indexOf('; Load balancer check');
      const end = before.indexOf('# the seed');
      expect(await fileText()).to.equal(before.slice(0, start) + before.slice(end));
      await request(fixture.app.callback()).get('/genesys/1/service/checker').expect(404);
      await api.get('/genesys/1/admin/services/checker').expect(404);
    });

    it('answers 404 for a service that is not configured', async () => {
      const response = await api.delete('/genesys/1/admin/services/nope').expect(404);
      expect(response.body.code).to.equal('GMS_SERVICE_NOT_CONFIGURED');
      expect(await fileText()).to.equal(before);
    });
  });
});
