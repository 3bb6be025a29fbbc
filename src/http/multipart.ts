/**
 * Multipart bodies through busboy, straight into Buffers. koa-body's formidable path writes every file to a
 * temporary file and measured about 0.27x of a urlencoded request here; busboy streams parts in memory once.
 */
import busboy from 'busboy';
import type { Context } from 'koa';
import { Errors, gmsError } from '../errors.ts';
import type { RequestBody } from '../services/service-dispatcher.ts';
import type { UploadedFile } from '../user-data/user-data-store.ts';
import { declaredBoundary, LenientLimitError, readLenientMultipart, usesBoundary } from './lenient-multipart.ts';

/** Limits of one multipart body. */
export interface MultipartLimits {
  /** Most bytes of all parts together. */
  readonly maxBodyBytes: number;
  /** Most bytes of one file. */
  readonly maxFileBytes: number;
  /** Most fields. */
  readonly maxFields: number;
  /** Most files. */
  readonly maxFiles: number;
}

/** The 400 for a multipart body neither reading accepts: what the parser saw, and what a valid body looks like. */
function malformed(strictError: Error, boundary: string | undefined, usesItsBoundary: boolean) {
  const delimiter = `--${boundary ?? '<boundary>'}`;
  const fix = usesItsBoundary
    ? `check that each part's headers end with a blank line and that the body ends with ${delimiter}--`
    : `the body never uses the boundary its Content-Type declares: start each part with a line ${delimiter} and a Content-Disposition: form-data; name="..." header, and end the body with ${delimiter}--`;
  return gmsError(Errors.INVALID_BODY, { detail: `${strictError.message} (${fix})` });
}

/**
 * Reads a multipart body; refuses with 413 naming the limit, or 400 when the body is malformed. A body that never
 * uses its declared boundary gets a second, lenient reading (`lenient-multipart.ts`) before the 400.
 */
export function readMultipart(ctx: Context, limits: MultipartLimits): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: ctx.req.headers,
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles,
          fields: limits.maxFields,
          fieldSize: limits.maxBodyBytes,
        },
      });
    } catch (error) {
      reject(gmsError(Errors.INVALID_BODY, { detail: (error as Error).message }));
      return;
    }
    const fields: Record<string, string> = {};
    const files: UploadedFile[] = [];
    let failed = false;
    // Every byte received counts against the body limit. The chunks themselves (references, no copy) are kept for
    // the lenient reading only until busboy finds a part: the body then uses its boundary, and that reading is out.
    const raw: Buffer[] = [];
    let rawBytes = 0;
    let keepingRaw = true;
    const partFound = () => {
      keepingRaw = false;
      raw.length = 0;
    };
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      ctx.req.unpipe(parser);
      ctx.req.off('data', countChunk);
      ctx.req.resume();
      reject(error);
    };
    const countChunk = (chunk: Buffer) => {
      rawBytes += chunk.length;
      if (rawBytes > limits.maxBodyBytes) {
        fail(gmsError(Errors.BODY_TOO_LARGE, { detail: `the body exceeds ${limits.maxBodyBytes} bytes` }));
      } else if (keepingRaw) {
        raw.push(chunk);
      }
    };
    let strictFailed = false;
    const readLeniently = (strictError: Error) => {
      if (failed || strictFailed) return;
      const boundary = declaredBoundary(ctx.get('Content-Type'));
      if (!keepingRaw) {
        fail(malformed(strictError, boundary, true));
        return;
      }
      strictFailed = true;
      ctx.req.unpipe(parser);
      const settle = () => {
        if (failed) return;
        failed = true;
        ctx.req.off('data', countChunk);
        const body = Buffer.concat(raw);
        try {
          const used = boundary !== undefined && usesBoundary(body, boundary);
          const lenient = boundary && !used ? readLenientMultipart(body, limits) : undefined;
          if (lenient) resolve(lenient);
          else reject(malformed(strictError, boundary, used));
        } catch (error) {
          reject(
            error instanceof LenientLimitError ? gmsError(Errors.BODY_TOO_LARGE, { detail: error.message }) : error,
          );
        }
      };
      if (ctx.req.readableEnded) settle();
      else {
        ctx.req.once('end', settle);
        ctx.req.once('error', (error) => fail(gmsError(Errors.INVALID_BODY, { detail: error.message })));
        ctx.req.resume();
      }
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fail(gmsError(Errors.BODY_TOO_LARGE, { detail: `field ${name} exceeds ${limits.maxBodyBytes} bytes` }));
        return;
      }
      partFound();
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      partFound();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () =>
        fail(gmsError(Errors.BODY_TOO_LARGE, { detail: `file ${name} exceeds ${limits.maxFileBytes} bytes` })),
      );
      stream.on('end', () => {
        files.push({
          field: name,
          filename: info.filename ?? name,
          contentType: info.mimeType || 'application/octet-stream',
          data: Buffer.concat(chunks),
        });
      });
    });
    parser.on('fieldsLimit', () =>
      fail(gmsError(Errors.BODY_TOO_LARGE, { detail: `more than ${limits.maxFields} fields` })),
    );
    parser.on('filesLimit', () =>
      fail(gmsError(Errors.BODY_TOO_LARGE, { detail: `more than ${limits.maxFiles} files` })),
    );
    parser.on('error', readLeniently);
    parser.on('close', () => {
      if (!failed && !strictFailed) resolve({ fields, files });
    });
    ctx.req.on('data', countChunk);
    ctx.req.pipe(parser);
  });
}
