import { expect } from 'chai';
import { Errors, GmsError, gmsError } from '../src/errors.ts';

describe('error registry', () => {
  it('gives every error a unique code, a status and a GMS exception name', () => {
    const definitions = Object.values(Errors);
    expect(new Set(definitions.map((definition) => definition.code)).size).to.equal(definitions.length);
    for (const definition of definitions) {
      expect(definition.status).to.be.within(400, 599);
      expect(definition.exception).to.match(/^com\.genesyslab\./);
    }
  });

  it('fills message templates and renders the GMS body', () => {
    const error = gmsError(
      Errors.INVALID_PARAMETER,
      { field: '_ttl', rule: 'must be a number' },
      { 'Retry-After': '3' },
    );
    expect(error).to.be.instanceOf(GmsError);
    expect(error.status).to.equal(400);
    expect(error.headers).to.deep.equal({ 'Retry-After': '3' });
    expect(error.toBody()).to.deep.equal({
      message: 'Invalid parameter _ttl: must be a number',
      exception: 'com.genesyslab.gsg.GSGException',
      code: 'GMS_INVALID_PARAMETER',
    });
  });
});
