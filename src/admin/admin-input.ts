/**
 * The shapes of admin API bodies, checked with ajv schemas compiled once, and the rules for the names that become
 * INI section and option names. Every refusal is a 400 that names the field and the rule.
 */
import { Ajv, type SchemaObject } from 'ajv';
import { Errors, gmsError } from '../errors.ts';
import { MAX_BOOKING_SECONDS } from '../resources/group-config.ts';
import { describeAjvErrors } from '../validation.ts';

/** A value an option may be given in JSON; numbers and booleans are written as their text. */
export type OptionValue = string | number | boolean;

/** `POST /admin/services`. */
export interface CreateServiceBody {
  name: string;
  template: string;
  preset?: string;
  options?: Record<string, OptionValue>;
}

/** `PATCH /admin/services/{name}`: applied in this order: rename, set, delete. */
export interface UpdateServiceBody {
  set?: Record<string, OptionValue>;
  rename?: Record<string, string>;
  delete?: string[];
}

/** `POST /admin/patterns`. */
export interface CreatePatternGroupBody {
  group: string;
  patterns?: Record<string, string>;
}

/** `PUT /admin/patterns/{group}/{name}`. */
export interface PutPatternBody {
  pattern: string;
}

/** Numbers and ranges added to a resource group. */
export interface ResourceNumbersBody {
  /** Single access numbers, written as `dnisN = <number>`. */
  numbers?: string[];
  /** Ranges `first-last`, written as `rangeN = <first>-<last>`. */
  ranges?: string[];
}

/** `POST /admin/resources`. */
export interface CreateResourceGroupBody extends ResourceNumbersBody {
  group: string;
  strategy?: string;
  booking_expiration_timeout?: number;
}

/** `PATCH /admin/resources/{group}`: `null` removes the option, so the default applies again. */
export interface UpdateResourceGroupBody {
  strategy?: string | null;
  booking_expiration_timeout?: number | null;
}

const optionMap: SchemaObject = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };
const nameMap: SchemaObject = { type: 'object', additionalProperties: { type: 'string' } };

/** Body values are taken as sent: a number where a name is expected is an error, not coerced. */
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });

/** JSON Schema of the body of `POST /admin/services` (also published in the OpenAPI document). */
export const createServiceSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'template'],
  properties: {
    name: { type: 'string' },
    template: { type: 'string' },
    preset: { type: 'string' },
    options: optionMap,
  },
};

/** JSON Schema of the body of `PATCH /admin/services/{name}`. */
export const updateServiceSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    set: optionMap,
    rename: nameMap,
    delete: { type: 'array', items: { type: 'string' } },
  },
};

/** JSON Schema of the body of `POST /admin/patterns`. */
export const createPatternGroupSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['group'],
  properties: {
    group: { type: 'string' },
    patterns: nameMap,
  },
};

/** JSON Schema of the body of `PUT /admin/patterns/{group}/{name}`. */
export const putPatternSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['pattern'],
  properties: { pattern: { type: 'string' } },
};

const numberList: SchemaObject = { type: 'array', items: { type: 'string' }, maxItems: 10_000 };
/** `local` is GMS's spelling of `random`; group-config.ts maps the names. */
const STRATEGIES = ['random', 'round-robin', 'locking', 'local'];
const strategy: SchemaObject = { enum: STRATEGIES };
const bookingSeconds: SchemaObject = { type: 'integer', minimum: 1, maximum: MAX_BOOKING_SECONDS };

/** JSON Schema of the body of `POST /admin/resources`. */
export const createResourceGroupSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['group'],
  properties: {
    group: { type: 'string' },
    numbers: numberList,
    ranges: numberList,
    strategy,
    booking_expiration_timeout: bookingSeconds,
  },
};

/** JSON Schema of the body of `PATCH /admin/resources/{group}`. */
export const updateResourceGroupSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    strategy: { enum: [...STRATEGIES, null] },
    booking_expiration_timeout: { ...bookingSeconds, type: ['integer', 'null'] },
  },
};

/** JSON Schema of the body of `POST /admin/resources/{group}/numbers`. */
export const resourceNumbersSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { numbers: numberList, ranges: numberList },
};

/** Checks a body against a compiled schema; the 400 names the first wrong field and every rule broken. */
function parser<T>(schema: SchemaObject): (body: unknown) => T {
  const validate = ajv.compile<T>(schema);
  return (body) => {
    if (validate(body)) return body;
    const problems = describeAjvErrors(validate.errors);
    throw gmsError(Errors.INVALID_PARAMETER, {
      field: problems[0]?.option ?? '(body)',
      rule: problems.map((problem) => `${problem.option} ${problem.rule}`).join('; '),
    });
  };
}

/** Reads the body of `POST /admin/services`. */
export const parseCreateService = parser<CreateServiceBody>(createServiceSchema);
/** Reads the body of `PATCH /admin/services/{name}`. */
export const parseUpdateService = parser<UpdateServiceBody>(updateServiceSchema);
/** Reads the body of `POST /admin/patterns`. */
export const parseCreatePatternGroup = parser<CreatePatternGroupBody>(createPatternGroupSchema);
/** Reads the body of `PUT /admin/patterns/{group}/{name}`. */
export const parsePutPattern = parser<PutPatternBody>(putPatternSchema);

/** Reads the body of `POST /admin/resources`. */
export const parseCreateResourceGroup = parser<CreateResourceGroupBody>(createResourceGroupSchema);
/** Reads the body of `PATCH /admin/resources/{group}`. */
export const parseUpdateResourceGroup = parser<UpdateResourceGroupBody>(updateResourceGroupSchema);
/** Reads the body of `POST /admin/resources/{group}/numbers`. */
export const parseResourceNumbers = parser<ResourceNumbersBody>(resourceNumbersSchema);

/** Section names (services, pattern groups) appear in URLs and in `[...]` headers. */
const SECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** Option names appear left of `=`. */
const OPTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Refuses a service or group name that cannot be a section name; `field` names it in the message. */
export function checkSectionName(field: string, name: string): void {
  if (!SECTION_NAME.test(name)) {
    throw gmsError(Errors.INVALID_PARAMETER, {
      field,
      rule: 'must start with a letter or digit and hold only letters, digits, _ . and - (at most 128 characters)',
    });
  }
}

/** Refuses an option (or pattern) name that cannot be written left of `=`. */
export function checkOptionName(field: string, name: string): void {
  if (!OPTION_NAME.test(name)) {
    throw gmsError(Errors.INVALID_PARAMETER, {
      field,
      rule: 'must start with a letter, digit or _ and hold only letters, digits, _ . and - (at most 128 characters)',
    });
  }
}

/** The text written for a JSON option value; line breaks and control characters are refused. */
export function optionText(field: string, value: OptionValue): string {
  const text = String(value);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(text)) {
    throw gmsError(Errors.INVALID_PARAMETER, { field, rule: 'must be one line without control characters' });
  }
  return text;
}
