/**
 * The schema of the engine's own sections, `[server]` and `[storage]`. INI values are strings; ajv coerces them to
 * the declared types and fills defaults, so the rest of the engine reads typed, complete options.
 */
import type { JSONSchemaType } from 'ajv';

/** `[server]` options. */
export interface ServerOptions {
  /** HTTP port (overridden by `--port` and `PORT`). */
  port: number;
  /** Name of this node in logs and status answers. */
  node_id: string;
  /** Basic-auth user for admin endpoints. */
  username: string;
  /** Basic-auth password for admin endpoints; empty means the admin API refuses every request. */
  password: string;
  /** First digit of every access code: a digit (`7`) or a range (`7-9`); empty means any digit. */
  access_code_prefix: string;
  /** Whether uploaded or bundled template zips may carry handler code. */
  allow_template_code: boolean;
  /** Folder of template zips loaded at start-up; uploads are written there. */
  templates_dir: string;
  /** Folder of plugin folders (`<name>/template.json` + handler). */
  plugins_dir: string;
  /** Folder for the engine's working files (extracted template code, file storage). */
  data_dir: string;
  /** Allowed CORS origins, comma separated; `*` allows every origin. */
  cors_origins: string;
  /** Largest accepted request body in bytes (also the limit for one uploaded template zip). */
  max_body_bytes: number;
  /** Largest file accepted in a multipart body, in bytes. */
  max_file_bytes: number;
  /** Seconds that in-flight requests get to finish on shutdown. */
  shutdown_grace_seconds: number;
}

/** `[storage]` options. */
export interface StorageOptions {
  /** `memory` (one process, lost on exit), `file` (one node, kept across restarts) or `redis` (a cluster). */
  backend: 'memory' | 'file' | 'redis';
  /** Redis URL for the `redis` backend. */
  url: string;
  /** Folder of the `file` backend (relative to the configuration file). */
  path: string;
  /** Prefix of every key, so several deployments (or test runs) can share one Redis. */
  key_prefix: string;
  /** Largest TTL accepted for stored data, in seconds. */
  max_ttl: number;
  /** Largest string value of one user data key, in bytes (UTF-8). */
  max_value_bytes: number;
  /** Largest file of one user data key, in bytes (the multipart parser's `[server] max_file_bytes` applies first). */
  max_file_bytes: number;
  /** Largest user data record: every key, string value and file together, in bytes. */
  max_record_bytes: number;
  /** Most keys (strings and files) in one user data record. */
  max_keys: number;
}

/** JSON Schema of `[server]`. */
export const serverOptionsSchema: JSONSchemaType<ServerOptions> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    node_id: { type: 'string', default: 'node1' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string', default: '' },
    access_code_prefix: { type: 'string', pattern: '^([0-9](-[0-9])?)?$', default: '' },
    allow_template_code: { type: 'boolean', default: false },
    templates_dir: { type: 'string', minLength: 1, default: 'service_templates' },
    plugins_dir: { type: 'string', minLength: 1, default: 'plugins' },
    data_dir: { type: 'string', minLength: 1, default: 'data' },
    cors_origins: { type: 'string', default: '*' },
    max_body_bytes: { type: 'integer', minimum: 1024, default: 20 * 1024 * 1024 },
    max_file_bytes: { type: 'integer', minimum: 1, default: 10 * 1024 * 1024 },
    shutdown_grace_seconds: { type: 'number', minimum: 0, default: 10 },
  },
  required: [],
};

/** JSON Schema of `[storage]`. */
export const storageOptionsSchema: JSONSchemaType<StorageOptions> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    backend: { type: 'string', enum: ['memory', 'file', 'redis'], default: 'memory' },
    url: { type: 'string', default: 'redis://127.0.0.1:6379' },
    path: { type: 'string', minLength: 1, default: 'data/storage' },
    key_prefix: { type: 'string', default: 'gms:' },
    max_ttl: { type: 'integer', minimum: 1, default: 30 * 24 * 3600 },
    max_value_bytes: { type: 'integer', minimum: 1, default: 1024 * 1024 },
    max_file_bytes: { type: 'integer', minimum: 1, default: 10 * 1024 * 1024 },
    max_record_bytes: { type: 'integer', minimum: 1, default: 20 * 1024 * 1024 },
    max_keys: { type: 'integer', minimum: 1, default: 100 },
  },
  required: [],
};
