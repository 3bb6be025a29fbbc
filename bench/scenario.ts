/** What a bench scenario is: a request driven against the baseline or the engine, compared with another scenario. */

/** The servers a scenario can target. */
export type BenchTarget = 'baseline' | 'engine-memory' | 'engine-redis';

/** One HTTP request shape that autocannon repeats. */
export interface BenchRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A scenario. */
export interface Scenario {
  /** Unique name, printed and referenced by `compareTo`. */
  name: string;
  /** Which server it runs against. */
  target: BenchTarget;
  /** INI sections the engine needs for it (appended to the bench configuration of every engine). */
  config?: string;
  /** Work done before measuring (e.g. creating live services), given the server's base URL. */
  prepare?(baseUrl: string): Promise<void>;
  /** The request to repeat; called once, after prepare. */
  request(baseUrl: string): BenchRequest | Promise<BenchRequest>;
  /** Expected status of every response (default 200); other statuses count as errors. */
  expectStatus?: number;
  /** Scenario whose req/s this one is divided by. */
  compareTo?: string;
  /** Target ratio to `compareTo` (the figure); printed as met or missed. */
  targetRatio?: number;
}

/** Builds a urlencoded body. */
export function urlencoded(fields: Record<string, string>): BenchRequest['body'] {
  return new URLSearchParams(fields).toString();
}

/** Builds a multipart body with string fields and files; returns the body and its content type. */
export function multipart(
  fields: Record<string, string>,
  files: Array<{ field: string; filename: string; type: string; data: Buffer }> = [],
): { body: Buffer; contentType: string } {
  const boundary = '----gmsEngineBenchBoundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
