import { expect } from 'chai';
import type { TemplateManifest } from '../src/templates/manifest.ts';
import { readManifest } from '../src/templates/read-manifest.ts';
import { TemplateError } from '../src/templates/template-error.ts';

function manifest(changes: Record<string, unknown> = {}): string {
  const base: TemplateManifest = {
    name: 'probe',
    version: '1.2.3',
    description: 'A probe.',
    engine: '^0.1.0',
    service: 'get',
    options: {
      type: 'object',
      properties: {
        _online_code: { type: 'integer', minimum: 100, maximum: 599, default: 200 },
        region: { type: 'string', enum: ['eu', 'us'] },
      },
      required: ['region'],
    },
    metadata: { region: { category: 'Routing', request_parameter: true, description: 'Where.' } },
    presets: { europe: { region: 'eu' } },
  };
  return JSON.stringify({ ...base, ...changes });
}

/** The failure readManifest throws for `text`. */
function failure(text: string): TemplateError {
  try {
    readManifest(text, 'probe.zip');
  } catch (error) {
    expect(error).to.be.instanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error('the manifest was accepted');
}

describe('read-manifest: checking a template manifest', () => {
  it('accepts a complete manifest and compiles a validator that coerces values and fills defaults', () => {
    const { manifest: read, validateOptions } = readManifest(manifest(), 'probe.zip');
    expect(read.name).to.equal('probe');
    const options: Record<string, unknown> = { region: 'us', _online_code: '204' };
    expect(validateOptions(options)).to.equal(true);
    expect(options).to.deep.equal({ region: 'us', _online_code: 204 });
    const defaults: Record<string, unknown> = { region: 'eu' };
    validateOptions(defaults);
    expect(defaults._online_code).to.equal(200);
  });

  it('refuses text that is not JSON', () => {
    const error = failure('{ "name": ');
    expect(error.failure).to.equal('invalid-manifest');
    expect(error.message).to.match(/^template\.json of probe\.zip is not JSON/);
  });

  it('refuses a manifest failing the manifest schema, naming every field', () => {
    const error = failure(manifest({ service: undefined, version: 'one', colour: 'blue' }));
    expect(error.failure).to.equal('invalid-manifest');
    expect(error.message)
      .to.contain('template.json of probe.zip fails the manifest schema')
      .and.contain('service is mandatory and missing')
      .and.contain('colour is not an option')
      .and.contain('version must match pattern');
  });

  it('refuses unknown metadata fields and metadata of options that do not exist', () => {
    expect(failure(manifest({ metadata: { region: { colour: 'red' } } })).message).to.contain(
      'fails the manifest schema',
    );
    expect(failure(manifest({ metadata: { ghost: { category: 'General' } } })).message).to.equal(
      'template probe: metadata names ghost, which is not an option',
    );
    expect(failure(manifest({ metadata: { constructor: { category: 'General' } } })).message).to.contain(
      'metadata names constructor, which is not an option',
    );
  });

  it('refuses an engine range that is not semver, and one this engine does not satisfy', () => {
    expect(failure(manifest({ engine: 'latest' })).message).to.equal(
      'template probe: engine "latest" is not a semver range',
    );
    const unsupported = failure(manifest({ engine: '>=2.0.0' }));
    expect(unsupported.failure).to.equal('unsupported-engine');
    expect(unsupported.message).to.equal('template probe supports engine >=2.0.0; this engine is 0.1.0');
  });

  it('refuses an options schema that is not a valid JSON Schema', () => {
    const error = failure(manifest({ options: { type: 'object', properties: { region: { type: 'text' } } } }));
    expect(error.message).to.match(
      /^template probe: its options schema is not a valid JSON Schema \(schema is invalid/,
    );
  });

  it('refuses defaults that break their own schema', () => {
    const options = { type: 'object', properties: { _online_code: { type: 'integer', maximum: 599, default: 900 } } };
    expect(failure(manifest({ options, metadata: {}, presets: {} })).message).to.equal(
      'template probe: its options schema refuses the defaults of its options: _online_code must be <= 599',
    );
  });

  it('refuses presets that break the schema, but not presets that leave mandatory options to the service', () => {
    expect(failure(manifest({ presets: { asia: { region: 'asia' } } })).message).to.equal(
      'template probe: its options schema refuses preset asia: region must be one of eu, us',
    );
    expect(() => readManifest(manifest({ presets: { fast: { _online_code: '204' } } }), 'probe.zip')).to.not.throw();
  });
});
