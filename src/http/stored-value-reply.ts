/** Writes the value of one user data key: a string as plain text, a file as its bytes with its type and name. */
import type { Context } from 'koa';
import type { StoredValue } from '../user-data/user-data-store.ts';

/** A media type as a client may declare it (`type/subtype` and parameters, printable ASCII only). */
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;[ -~]*)?$/;

/**
 * Answers a stored value. The content type is the one the uploader declared, so `nosniff` and an `attachment`
 * disposition keep a browser from running an uploaded page in this server's origin.
 */
export function sendStoredValue(ctx: Context, value: StoredValue): void {
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (value.kind === 'text') {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = value.value;
    return;
  }
  ctx.set(
    'Content-Type',
    MEDIA_TYPE.test(value.info.contentType) ? value.info.contentType : 'application/octet-stream',
  );
  ctx.attachment(value.info.filename);
  ctx.body = value.data;
}
