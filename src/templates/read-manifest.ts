/** Parses and checks a manifest: JSON, the manifest schema, the engine range, and the options schema itself. */
import type { ValidateFunction } from 'ajv';
import semver from 'semver';
import { createAjv, describeAjvErrors } from '../validation.ts';
import { ENGINE_VERSION } from '../version.ts';
import { manifestSchema, type TemplateManifest } from './manifest.ts';
import { TemplateError } from './template-error.ts';

const ajv = createAjv();
const validateManifest = ajv.compile<TemplateManifest>(manifestSchema);

/** A checked manifest with its compiled options validator. */
export interface CheckedManifest {
  manifest: TemplateManifest;
  validateOptions: ValidateFunction;
}

/** Parses `text` (the content of `template.json` from `origin`) and checks it completely. */
export function readManifest(text: string, origin: string): CheckedManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TemplateError(
      'invalid-manifest',
      origin,
      `template.json of ${origin} is not JSON: ${(error as Error).message}`,
    );
  }
  if (!validateManifest(data)) {
    const problems = describeAjvErrors(validateManifest.errors)
      .map((problem) => `${problem.option} ${problem.rule}`)
      .join('; ');
    throw new TemplateError(
      'invalid-manifest',
      origin,
      `template.json of ${origin} fails the manifest schema: ${problems}`,
    );
  }
  const manifest = data;
  if (!semver.validRange(manifest.engine)) {
    throw new TemplateError(
      'invalid-manifest',
      manifest.name,
      `template ${manifest.name}: engine "${manifest.engine}" is not a semver range`,
    );
  }
  if (!semver.satisfies(ENGINE_VERSION, manifest.engine)) {
    throw new TemplateError(
      'unsupported-engine',
      manifest.name,
      `template ${manifest.name} supports engine ${manifest.engine}; this engine is ${ENGINE_VERSION}`,
    );
  }
  for (const option of Object.keys(manifest.metadata ?? {})) {
    if (!Object.hasOwn(manifest.options.properties, option)) {
      throw new TemplateError(
        'invalid-manifest',
        manifest.name,
        `template ${manifest.name}: metadata names ${option}, which is not an option`,
      );
    }
  }
  const validateOptions = compileOptions(manifest);
  checkValues(manifest.name, 'the defaults of its options', {}, validateOptions);
  for (const [preset, values] of Object.entries(manifest.presets ?? {})) {
    checkValues(manifest.name, `preset ${preset}`, { ...values }, validateOptions);
  }
  return { manifest, validateOptions };
}

function compileOptions(manifest: TemplateManifest): ValidateFunction {
  try {
    return createAjv().compile(manifest.options);
  } catch (error) {
    throw new TemplateError(
      'invalid-manifest',
      manifest.name,
      `template ${manifest.name}: its options schema is not a valid JSON Schema (${(error as Error).message})`,
    );
  }
}

/**
 * Validates `values` (defaults are filled in by the validator) and refuses every broken rule except a missing
 * mandatory option: a preset, like the defaults, need not name every option a service must set.
 */
function checkValues(
  template: string,
  what: string,
  values: Record<string, unknown>,
  validate: ValidateFunction,
): void {
  if (validate(values)) return;
  const problems = describeAjvErrors(validate.errors?.filter((error) => error.keyword !== 'required'));
  if (problems.length === 0) return;
  throw new TemplateError(
    'invalid-manifest',
    template,
    `template ${template}: its options schema refuses ${what}: ${problems.map((problem) => `${problem.option} ${problem.rule}`).join('; ')}`,
  );
}
