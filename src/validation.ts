/**
 * One ajv instance for the engine and the translation of ajv's errors into messages that name the option.
 * Schemas are compiled once (when a template registers or at start-up), never per request.
 */
import { Ajv, type ErrorObject } from 'ajv';

/** A single broken rule, named by the option it concerns. */
export interface OptionProblem {
  /** The option (top-level property) concerned, or `(section)` for the object as a whole. */
  option: string;
  /** What is wrong and what is expected, in words. */
  rule: string;
}

/**
 * Creates the ajv instance used for option schemas: INI and form values are strings, so types are coerced; defaults
 * are applied; every error is collected so all problems are reported at once.
 */
export function createAjv(): Ajv {
  return new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
}

/** Turns ajv's errors into one problem per option and rule. */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): OptionProblem[] {
  return (errors ?? []).map((error) => {
    const pathOption = error.instancePath.split('/')[1];
    const params = error.params as Record<string, unknown>;
    const option =
      pathOption ??
      (typeof params.missingProperty === 'string' ? params.missingProperty : undefined) ??
      (typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined) ??
      '(section)';
    return { option, rule: ruleText(error, params) };
  });
}

function ruleText(error: ErrorObject, params: Record<string, unknown>): string {
  switch (error.keyword) {
    case 'required':
      return 'is mandatory and missing';
    case 'additionalProperties':
      return 'is not an option of this section';
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => (value === null ? 'null' : String(value))).join(', ')}`;
    case 'type':
      // Values arrive as text (INI files, form fields); say which texts the type accepts.
      return params.type === 'boolean' ? 'must be boolean: true or false' : `must be ${String(params.type)}`;
    default:
      return error.message ?? error.keyword;
  }
}
