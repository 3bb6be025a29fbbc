import { expect } from 'chai';
import request from 'supertest';
import { type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

/** The seed's configuration (seed 000, "Example"), as written there, plus a resource group for it. */
const SEED_CONFIG = `
[resource.iPhoneService]
_allocation_strategy = locking
dnis1 = 6504664131
dnis2 = 6504664132

[resource.DNIS]
dnis1 = 8003449999

[service.iPhoneService]
_type = built-in
_service = request-interaction
_ttl = 7200
_provide_code = false
_resource_group = iPhoneService

[service.request-interaction]
_type = builtin
_service = request-interaction
_resource_group = DNIS
_overwritable_options = _provide_code

[service.match-interaction]
_type = builtin
_service = match-interaction
`;

/**
 * The seed's request headers and payload, line for line. Where the seed is not well-formed multipart, the smallest
 * fix: the Content-Type names the boundary the payload's delimiter lines use (the seed declares `----Boundary`,
 * which no line uses), the first delimiter is that boundary too (the seed writes `-----Boundary`), a blank line
 * separates each part's header from its value, and the last delimiter ends with `--`.
 */
const BOUNDARY = '---WebKitFormBoundaryy16qocbN6tmPORZL';
const SEED_HEADERS = {
  Accept: '*/*',
  'Accept-Charset': 'ISO-8859-1,utf-8;q=0.7,*;q=0.3',
  'Accept-Encoding': 'gzip,deflate,sdch',
  'Accept-Language': 'en-US,en;q=0.8',
  Connection: 'keep-alive',
  'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
};
const SEED_PAYLOAD = [
  '-----WebKitFormBoundaryy16qocbN6tmPORZL',
  'Content-Disposition: form-data; name="_phone_number"',
  '',
  '6504669999',
  '-----WebKitFormBoundaryy16qocbN6tmPORZL',
  'Content-Disposition: form-data; name="current_location_latitude"',
  '',
  '48.8583',
  '-----WebKitFormBoundaryy16qocbN6tmPORZL',
  'Content-Disposition: form-data; name="current_location_longitude"',
  '',
  '2.2944',
  '-----WebKitFormBoundaryy16qocbN6tmPORZL--',
  '',
].join('\r\n');

describe('the seed iPhoneService example (seed 000)', () => {
  let fixture: EngineFixture;

  beforeEach(async () => {
    fixture = await startEngine(SEED_CONFIG);
  });
  afterEach(() => fixture.close());

  /** Matches the call the seed's phone makes to the number `created` got, and checks it finds that app's data. */
  async function matchSeedCall(created: { _id: string; _access_number: string }) {
    const matched = await request(fixture.app.callback())
      .post('/genesys/1/service/match-interaction')
      .type('form')
      .send({ _access_number: created._access_number, _phone_number: '6504669999', _return_user_data: 'true' })
      .expect(200);
    expect(matched.body._id).to.equal(created._id);
    expect(matched.body.user_data).to.deep.equal({
      current_location_latitude: '48.8583',
      current_location_longitude: '2.2944',
    });
    return matched;
  }

  it('creates the service from the multipart example, matches the call and gives the app data back', async () => {
    const created = await request(fixture.app.callback())
      .post('/gms-web/gms/1/service/iPhoneService')
      .set(SEED_HEADERS)
      .send(Buffer.from(SEED_PAYLOAD))
      .expect(200);
    expect(Object.keys(created.body)).to.deep.equal(['_id', '_access_number', '_expiration_time']);
    expect(created.body._access_number).to.be.oneOf(['6504664131', '6504664132']);
    expect(created.body._expiration_time).to.equal(30);
    const matched = await matchSeedCall(created.body);
    const stored = await fixture.engine.userData.get(matched.body._data_id);
    expect(stored?.fields).to.deep.equal(matched.body.user_data);
  });

  it('keeps the configured _provide_code, _resource_group and _ttl over the request values', async () => {
    const created = await request(fixture.app.callback())
      .post('/genesys/1/service/iPhoneService')
      .type('form')
      .send({ _phone_number: '6504669999', _provide_code: 'true', _resource_group: 'DNIS', _ttl: '5', note: 'x' })
      .expect(200);
    expect(created.body).to.not.have.property('_access_code');
    expect(created.body._access_number).to.match(/^650466413[12]$/);
    const matched = await request(fixture.app.callback())
      .post('/genesys/1/service/match-interaction')
      .type('form')
      .send({ _access_number: created.body._access_number, _phone_number: '6504669999' })
      .expect(200);
    const stored = await fixture.engine.userData.get(matched.body._data_id);
    expect(stored?.expiresAt).to.be.greaterThan(Date.now() + 7_000_000);
  });

  it('lets a request override an option listed in _overwritable_options (seed 004 example with a file)', async () => {
    const created = await request(fixture.app.callback())
      .post('/genesys/1/service/request-interaction')
      .field('_phone_number', '6504669999')
      .field('_provide_code', 'true')
      .field('language', 'french')
      .field('current_location_latitude', '48.8583')
      .field('current_location_longitude', '2.2944')
      .attach('FileKey', Buffer.from('png bytes'), { filename: 'MyPic.png', contentType: 'image/png' })
      .expect(200);
    expect(created.body).to.include({ _access_number: '8003449999' });
    expect(created.body._access_code).to.match(/^\d{6}$/);
    const matched = await request(fixture.app.callback())
      .post('/genesys/1/service/match-interaction')
      .type('form')
      .send({ _access_number: '8003449999', _access_code: created.body._access_code, _return_data: 'true' })
      .expect(200);
    expect(matched.body.user_data.language).to.equal('french');
    expect(matched.body.user_data.FileKey).to.deep.equal({
      filename: 'MyPic.png',
      content_type: 'image/png',
      size: 9,
      url: `/genesys/1/storage/binary/${matched.body._data_id}/FileKey`,
    });
    const file = await request(fixture.app.callback()).get(matched.body.user_data.FileKey.url).buffer(true).expect(200);
    expect(file.headers['content-type']).to.equal('image/png');
    expect(Buffer.from(file.body).toString()).to.equal('png bytes');
  });

  /** The seed's payload line for line as printed: its delimiters are not the declared boundary, no blank lines. */
  const PRINTED = [
    '-----Boundary',
    'Content-Disposition: form-data; name="_phone_number"',
    '6504669999',
    '-----WebKitFormBoundaryy16qocbN6tmPORZL',
    'Content-Disposition: form-data; name="current_location_latitude"',
    '48.8583',
    '-----WebKitFormBoundaryy16qocbN6tmPORZL',
    'Content-Disposition: form-data; name="current_location_longitude"',
    '',
    '2.2944',
    '',
    '-----WebKitFormBoundaryy16qocbN6tmP0RZL',
  ];
  const PRINTED_TYPE = 'multipart/form-data; boundary=----Boundary';

  function sendPrinted(body: string | Buffer, contentType = PRINTED_TYPE) {
    return request(fixture.app.callback())
      .post('/gms-web/gms/1/service/iPhoneService')
      .set({ ...SEED_HEADERS, 'Content-Type': contentType })
      .send(Buffer.from(body));
  }

  for (const [ending, breakText] of [
    ['CRLF', '\r\n'],
    ['LF', '\n'],
  ]) {
    it(`works with the seed payload exactly as printed (${ending} line ends), though it never uses its boundary`, async () => {
      const created = await sendPrinted(PRINTED.join(breakText)).expect(200);
      expect(Object.keys(created.body)).to.deep.equal(['_id', '_access_number', '_expiration_time']);
      await matchSeedCall(created.body);
    });
  }

  it('keeps the exact bytes of a file part in such a body, line breaks of both kinds included', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x0a, 0x41]);
    const body = Buffer.concat([
      Buffer.from('-----Boundary\r\nContent-Disposition: form-data; name="_phone_number"\r\n6504669999\r\n'),
      Buffer.from('-----Other\r\nContent-Disposition: form-data; name="FileKey"; filename="MyPic.png"\r\n'),
      Buffer.from('Content-Type: image/png\r\n\r\n'),
      bytes,
      Buffer.from('\r\n-----Other--\r\n'),
    ]);
    const created = await sendPrinted(body).expect(200);
    const matched = await request(fixture.app.callback())
      .post('/genesys/1/service/match-interaction')
      .type('form')
      .send({ _access_number: created.body._access_number, _return_user_data: 'true' })
      .expect(200);
    expect(matched.body.user_data.FileKey).to.include({ filename: 'MyPic.png', content_type: 'image/png', size: 12 });
    const file = await request(fixture.app.callback()).get(matched.body.user_data.FileKey.url).buffer(true).expect(200);
    expect(Buffer.compare(Buffer.from(file.body), bytes)).to.equal(0);
  });

  it('still refuses with 400 a body that uses its boundary but is cut short, or that holds no recognisable part', async () => {
    const cut = SEED_PAYLOAD.slice(0, SEED_PAYLOAD.indexOf('48.8583'));
    const truncated = await sendPrinted(cut, SEED_HEADERS['Content-Type']).expect(400);
    expect(truncated.body.code).to.equal('GMS_INVALID_BODY');
    expect(truncated.body.message).to.contain(`the body ends with --${BOUNDARY}--`);
    const prose = await sendPrinted('hello\r\n-----Boundary\r\nnot a part\r\n').expect(400);
    expect(prose.body.code).to.equal('GMS_INVALID_BODY');
    expect(prose.body.message).to.contain(
      'never uses the boundary its Content-Type declares: start each part with a line ------Boundary',
    );
    const nameless = await sendPrinted(
      '-----Boundary\r\nContent-Disposition: form-data\r\nx\r\n-----Boundary--',
    ).expect(400);
    expect(nameless.body.code).to.equal('GMS_INVALID_BODY');
    expect(await fixture.engine.resources.group('iPhoneService')).to.include({ available: 2 });
  });

  it('applies the field and body limits to such a body too (413), storing nothing', async () => {
    const parts = Array.from(
      { length: 1001 },
      (_, i) => `-----Boundary\r\nContent-Disposition: form-data; name="k${i}"\r\nv\r\n`,
    ).join('');
    const many = await sendPrinted(`${parts}-----Boundary--\r\n`).expect(413);
    expect(many.body.code).to.equal('GMS_BODY_TOO_LARGE');
    expect(many.body.message).to.contain('more than 1000 fields');
    expect(await fixture.engine.resources.group('iPhoneService')).to.include({ available: 2 });
  });

  it('refuses with 413 a body over [server] max_body_bytes, read strictly or leniently', async () => {
    const small = await startEngine(SEED_CONFIG, 'max_body_bytes = 1024');
    try {
      const big = `-----Boundary\r\nContent-Disposition: form-data; name="note"\r\n${'x'.repeat(2000)}\r\n-----Boundary--`;
      for (const contentType of [PRINTED_TYPE, 'multipart/form-data; boundary=---Boundary']) {
        const response = await request(small.app.callback())
          .post('/genesys/1/service/iPhoneService')
          .set('Content-Type', contentType)
          .send(Buffer.from(big))
          .expect(413);
        expect(response.body.message).to.contain('exceeds 1024 bytes');
      }
    } finally {
      await small.close();
    }
  });
});
