/**
 * The template manifest (`template.json`): what a template is, which plugin it uses, the JSON Schema of its options
 * and the per-option metadata the Service Management UI shows. The manifest itself is validated against
 * `manifestSchema` before anything of a template is used.
 */
import type { SchemaObject } from 'ajv';

/** How one option is shown and treated, as the Service Management UI presents it. */
export interface OptionMetadata {
  /** Group heading in the UI (e.g. "General", "URS Queuing"). */
  category?: string;
  /** Mandatory options cannot be removed or renamed in a configured service. */
  mandatory?: boolean;
  /** Advanced options can be hidden in the UI. */
  advanced?: boolean;
  /** Request parameters are normally sent by the client; configuring one overrides the client's value. */
  request_parameter?: boolean;
  /** Human label (e.g. "Provide Access Code"). */
  label?: string;
  /** What the option does. */
  description?: string;
}

/** The JSON Schema of a template's options: an object of named options. */
export interface OptionsSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  additionalProperties?: boolean | Record<string, unknown>;
}

/** A template manifest. */
export interface TemplateManifest {
  /** Unique template name; `_service` in a service section names it. */
  name: string;
  /** The template's own version (semver). */
  version: string;
  /** One-line description. */
  description: string;
  /** Engine versions the template supports (a semver range, e.g. `^0.1.0`). */
  engine: string;
  /** The plugin (service type) this template uses; a plugin folder's own template names itself. */
  service: string;
  /** Handler module inside the plugin folder or zip (e.g. `handler.ts`); absent for template-only zips. */
  handler?: string;
  /** JSON Schema of the options, with defaults. */
  options: OptionsSchema;
  /** Per-option metadata for the UI. */
  metadata?: Record<string, OptionMetadata>;
  /** Named presets: option values filled in when a service is created from the preset. */
  presets?: Record<string, Record<string, string>>;
}

const metadataSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    category: { type: 'string', nullable: true },
    mandatory: { type: 'boolean', nullable: true },
    advanced: { type: 'boolean', nullable: true },
    request_parameter: { type: 'boolean', nullable: true },
    label: { type: 'string', nullable: true },
    description: { type: 'string', nullable: true },
  },
};

/** The schema every manifest must pass. */
export const manifestSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'description', 'engine', 'service', 'options'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?$' },
    description: { type: 'string', maxLength: 1000 },
    engine: { type: 'string', minLength: 1 },
    service: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' },
    handler: { type: 'string', nullable: true, pattern: '^[A-Za-z0-9_.-]+\\.(ts|js|mjs)$' },
    options: {
      type: 'object',
      required: ['type', 'properties'],
      properties: {
        type: { type: 'string', const: 'object' },
        properties: { type: 'object', required: [], additionalProperties: { type: 'object', required: [] } },
        required: { type: 'array', items: { type: 'string' }, nullable: true },
        additionalProperties: { type: ['boolean', 'object'], nullable: true },
      },
    },
    metadata: {
      type: 'object',
      nullable: true,
      required: [],
      additionalProperties: metadataSchema,
    },
    presets: {
      type: 'object',
      nullable: true,
      required: [],
      additionalProperties: { type: 'object', required: [], additionalProperties: { type: 'string' } },
    },
  },
};
