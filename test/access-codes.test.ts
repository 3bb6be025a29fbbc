import { expect } from 'chai';
import { codeCandidates, firstDigits } from '../src/resources/access-code.ts';
import { post, startCallMatching } from './helpers/call-matching.ts';

describe('access codes', () => {
  it('draws distinct codes of the asked length whose first digit follows the prefix', () => {
    expect(firstDigits('')).to.have.lengthOf(10);
    expect(firstDigits('7')).to.deep.equal([7]);
    expect(firstDigits('7-9')).to.deep.equal([7, 8, 9]);
    for (let i = 0; i < 200; i++) {
      const codes = codeCandidates(6, '7-9');
      expect(new Set(codes).size).to.equal(codes.length);
      for (const code of codes) expect(code).to.match(/^[7-9]\d{5}$/);
    }
    expect(codeCandidates(1, '4')).to.deep.equal(['4']);
    expect(codeCandidates(12, '')[0]).to.match(/^\d{12}$/);
  });

  it('answers 503 naming _access_code_length when every code of a number is taken', async () => {
    const fixture = await startCallMatching(
      'memory',
      `[resource.one]\ndnis1 = 5550000\n[service.tiny]\n_service = request-interaction\n_resource_group = one\n_provide_code = true\n_access_code_length = 1\n`,
      'access_code_prefix = 3',
    );
    try {
      expect((await post(fixture.app, 'tiny', {}).expect(200)).body._access_code).to.equal('3');
      const refused = await post(fixture.app, 'tiny', {}).expect(503);
      expect(refused.body.code).to.equal('GMS_RESOURCE_BOOKING_FAILED');
      expect(refused.body.message).to.contain('_access_code_length');
    } finally {
      await fixture.close();
    }
  });
});
