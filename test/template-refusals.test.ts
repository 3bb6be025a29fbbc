import { expect } from 'chai';
import request from 'supertest';
import { ADMIN, type EngineFixture, startEngine } from './helpers/engine-fixture.ts';
import { reconfigure, templateState, uploadTemplate } from './helpers/templates.ts';

/** A refused upload: the fixture, the answer expected, and a phrase of the reason. */
interface Refusal {
  readonly what: string;
  readonly zip: string;
  readonly status: 400 | 409;
  readonly code: string;
  readonly reason: string;
  readonly replace?: boolean;
}

function invalid(what: string, zip: string, reason: string): Refusal {
  return { what, zip, status: 400, code: 'GMS_TEMPLATE_INVALID', reason };
}

function conflict(
  what: string,
  zip: string,
  code: string,
  reason: string,
  options: { replace?: boolean } = {},
): Refusal {
  return { what, zip, status: 409, code, reason, ...options };
}

const refusals: readonly Refusal[] = [
  invalid('an entry escaping the folder (../x)', 'escape-dotdot.zip', 'entry ../x escapes the target folder'),
  invalid('an absolute path (/etc/x)', 'absolute-unix.zip', 'entry /etc/x has an absolute path'),
  invalid('an absolute path (C:/x)', 'absolute-windows.zip', 'entry C:/x has an absolute path'),
  invalid('a symbolic link', 'symlink.zip', 'entry link is a symbolic link'),
  invalid('more than 1,000 entries', 'too-many-entries.zip', 'it has 1001 entries; at most 1000'),
  invalid('more than 20 MB unpacked', 'too-big.zip', 'at most 20971520 are accepted'),
  invalid(
    'a compression ratio over 100',
    'high-ratio.zip',
    'entry zeros.bin has a compression ratio of 1015; at most 100',
  ),
  invalid(
    'a header lying about the unpacked size',
    'lying-size.zip',
    'entry notes.txt unpacks to more than the 40 bytes its header declares',
  ),
  invalid('a file that is not a zip', 'not-a-zip.zip', 'not a readable zip archive'),
  invalid(
    'a missing template.json',
    'no-manifest.zip',
    'no template.json at its root (it has my-template/template.json',
  ),
  invalid(
    'a manifest failing its schema',
    'bad-manifest.zip',
    'fails the manifest schema: version is mandatory and missing; name must match pattern',
  ),
  invalid(
    'an options schema that is not JSON Schema',
    'bad-options-schema.zip',
    'its options schema is not a valid JSON Schema',
  ),
  invalid('an unsupported engine range', 'unsupported-engine.zip', 'supports engine ^9.0.0; this engine is 0.1.0'),
  invalid(
    'a template-only zip naming a plugin not installed',
    'missing-plugin.zip',
    'uses plugin no-such-plugin, which is not installed',
  ),
  invalid(
    'a handler that fails to start (after its code was unpacked)',
    'broken-handler.zip',
    'plugin broken: init failed (cannot start)',
  ),
  conflict(
    'code bringing a plugin another template provides',
    'plugin-taken.zip',
    'GMS_TEMPLATE_PLUGIN_TAKEN',
    'brings plugin get, which template get already provides',
  ),
  conflict(
    'a zip replacing a plugin-folder template',
    'builtin-get.zip',
    'GMS_TEMPLATE_BUILTIN',
    'Template get comes from the plugin folder plugins/get',
  ),
  conflict(
    'a zip replacing a plugin-folder template, even with ?replace=true',
    'builtin-get.zip',
    'GMS_TEMPLATE_BUILTIN',
    'cannot be deleted or replaced',
    { replace: true },
  ),
  conflict(
    'a duplicate name without ?replace=true',
    'health-check.zip',
    'GMS_TEMPLATE_EXISTS',
    'Template health-check is already installed: send ?replace=true',
  ),
  conflict(
    'a replacement that would make a configured service invalid',
    'health-check-strict.zip',
    'GMS_TEMPLATE_BREAKS_SERVICES',
    'gms.ini [service.probe] custom_parameter_1: is not an option of this section',
    { replace: true },
  ),
];

const SERVER = 'allow_template_code = true';

/** A service on health-check with a custom option, which version 2 of the template (health-check-strict) refuses. */
const PROBE = `
[service.probe]
_service = health-check
custom_parameter_1 = value1
`;

describe('hostile and refused template uploads', () => {
  let fixture: EngineFixture;

  before(async () => {
    fixture = await startEngine('', SERVER);
    expect((await uploadTemplate(fixture, 'health-check.zip')).status).to.equal(201);
    await reconfigure(fixture, { sections: PROBE, server: SERVER });
  });
  after(() => fixture.close());

  for (const refusal of refusals) {
    it(`refuses ${refusal.what} with ${refusal.status} and leaves nothing behind`, async () => {
      const before = await templateState(fixture);
      const response = await uploadTemplate(fixture, refusal.zip, { replace: refusal.replace });
      expect(response.status, response.text).to.equal(refusal.status);
      expect(response.body.code).to.equal(refusal.code);
      expect(response.body.message).to.contain(refusal.reason);
      expect(await templateState(fixture)).to.deep.equal(before);
    });
  }

  it('refuses deleting a plugin-folder template with 409', async () => {
    const before = await templateState(fixture);
    const response = await request(fixture.app.callback())
      .delete('/genesys/1/admin/templates/get')
      .auth(ADMIN.user, ADMIN.password)
      .expect(409);
    expect(response.body.code).to.equal('GMS_TEMPLATE_BUILTIN');
    expect(await templateState(fixture)).to.deep.equal(before);
  });

  it('refuses deleting a template a configured service uses with 409 naming the service', async () => {
    const before = await templateState(fixture);
    const response = await request(fixture.app.callback())
      .delete('/genesys/1/admin/templates/health-check')
      .auth(ADMIN.user, ADMIN.password)
      .expect(409);
    expect(response.body).to.include({ code: 'GMS_TEMPLATE_IN_USE' });
    expect(response.body.message).to.equal('Template health-check is used by service(s) probe');
    expect(await templateState(fixture)).to.deep.equal(before);
  });

  it('answers 404 for deleting a template that is not installed', async () => {
    const response = await request(fixture.app.callback())
      .delete('/genesys/1/admin/templates/nothing-here')
      .auth(ADMIN.user, ADMIN.password)
      .expect(404);
    expect(response.body.code).to.equal('GMS_TEMPLATE_NOT_FOUND');
  });

  it('challenges uploads without credentials and writes nothing', async () => {
    const before = await templateState(fixture);
    await request(fixture.app.callback())
      .post('/genesys/1/admin/templates')
      .attach('template', Buffer.from('x'), 'x.zip')
      .expect(401);
    expect(await templateState(fixture)).to.deep.equal(before);
  });

  it('refuses a body that is not multipart with 415', async () => {
    const response = await request(fixture.app.callback())
      .post('/genesys/1/admin/templates')
      .auth(ADMIN.user, ADMIN.password)
      .send({ template: 'x' })
      .expect(415);
    expect(response.body.message).to.contain('curl -F template=@my.zip');
  });
});

describe('template code when [server] allow_template_code = false', () => {
  let fixture: EngineFixture;

  before(async () => {
    fixture = await startEngine('');
  });
  after(() => fixture.close());

  it('refuses a zip with code with 400 saying to set allow_template_code = true, and leaves nothing behind', async () => {
    const before = await templateState(fixture);
    const response = await uploadTemplate(fixture, 'greeter-v1.zip');
    expect(response.status).to.equal(400);
    expect(response.body.code).to.equal('GMS_TEMPLATE_CODE_NOT_ALLOWED');
    expect(response.body.message).to.contain('handler.mjs').and.contain('set allow_template_code = true');
    expect(await templateState(fixture)).to.deep.equal(before);
  });
});
