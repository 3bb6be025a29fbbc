/** The admin API of service templates: list, read, upload (zip, multipart) and delete, behind Basic auth. */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { adminApi } from '../admin/admin-api.ts';
import type { Engine } from '../engine.ts';
import { Errors, type GmsError, gmsError } from '../errors.ts';
import { describeTemplate } from '../templates/describe-template.ts';
import { TemplateError } from '../templates/template-error.ts';
import { readMultipart } from './multipart.ts';

/** Maps a loader failure to the registry error answered; the loader's own sentence is the detail of a 400. */
export function templateErrorToGms(error: TemplateError): GmsError {
  const params = { name: error.subject, ...error.params };
  switch (error.failure) {
    case 'duplicate':
      return gmsError(Errors.TEMPLATE_EXISTS, params);
    case 'builtin':
      return gmsError(Errors.TEMPLATE_BUILTIN, params);
    case 'code-not-allowed':
      return gmsError(Errors.TEMPLATE_CODE_NOT_ALLOWED, params);
    case 'not-installed':
      return gmsError(Errors.TEMPLATE_NOT_FOUND, params);
    case 'plugin-taken':
      return gmsError(Errors.TEMPLATE_PLUGIN_TAKEN, params);
    case 'plugin-in-use':
      return gmsError(Errors.TEMPLATE_PLUGIN_IN_USE, params);
    case 'breaks-services':
      return gmsError(Errors.TEMPLATE_BREAKS_SERVICES, params);
    default:
      return gmsError(Errors.TEMPLATE_INVALID, { detail: error.message });
  }
}

async function uploadedZip(ctx: Context, engine: Engine): Promise<{ data: Buffer; name: string }> {
  if (!ctx.is('multipart/form-data')) {
    throw gmsError(Errors.UNSUPPORTED_MEDIA_TYPE, {
      detail: 'Upload a template as multipart/form-data with the zip as a file field (curl -F template=@my.zip)',
    });
  }
  const { max_body_bytes: maxBodyBytes } = engine.config.server;
  const body = await readMultipart(ctx, { maxBodyBytes, maxFileBytes: maxBodyBytes, maxFields: 10, maxFiles: 1 });
  const file = body.files[0];
  if (!file) throw gmsError(Errors.MISSING_PARAMETER, { field: 'template', hint: 'attach the zip as a file field' });
  return { data: file.data, name: file.filename };
}

/** Routes of `/genesys/1/admin/templates`. */
export function templatesRouter(engine: Engine, auth: Middleware): Router {
  const router = new Router({ prefix: '/genesys/1/admin/templates' });
  router.use(auth);
  router.get('/', (ctx) => {
    ctx.body = engine.registry
      .list()
      .map((record) => describeTemplate(record, engine.servicesUsing(record.manifest.name)));
  });
  router.get('/:name', (ctx) => {
    const record = engine.registry.template(ctx.params.name ?? '');
    if (!record) throw gmsError(Errors.TEMPLATE_NOT_FOUND, { name: ctx.params.name ?? '' });
    ctx.body = describeTemplate(record, engine.servicesUsing(record.manifest.name));
  });
  router.post('/', async (ctx) => {
    const upload = await uploadedZip(ctx, engine);
    const replace = ctx.query.replace === 'true';
    try {
      const record = await engine.loader.installZip(upload.data, { replace, kind: 'upload', source: upload.name });
      engine.refreshServices();
      engine.log.info('template installed', { template: record.manifest.name, replace, by: ctx.state.user });
      await adminApi(engine).audit.record({
        user: String(ctx.state.user),
        action: replace ? 'template.replace' : 'template.install',
        target: `template.${record.manifest.name}`,
        details: { version: record.manifest.version, file: upload.name },
      });
      ctx.status = 201;
      ctx.body = describeTemplate(record, engine.servicesUsing(record.manifest.name));
    } catch (error) {
      if (error instanceof TemplateError) throw templateErrorToGms(error);
      throw error;
    }
  });
  router.delete('/:name', async (ctx) => {
    const name = ctx.params.name ?? '';
    if (!engine.registry.template(name)) throw gmsError(Errors.TEMPLATE_NOT_FOUND, { name });
    const users = engine.servicesUsing(name);
    if (users.length > 0) throw gmsError(Errors.TEMPLATE_IN_USE, { name, services: users.join(', ') });
    try {
      await engine.loader.remove(name);
    } catch (error) {
      if (error instanceof TemplateError) throw templateErrorToGms(error);
      throw error;
    }
    engine.refreshServices();
    engine.log.info('template deleted', { template: name, by: ctx.state.user });
    await adminApi(engine).audit.record({
      user: String(ctx.state.user),
      action: 'template.delete',
      target: `template.${name}`,
      details: {},
    });
    ctx.body = { name, deleted: true };
  });
  return router;
}
