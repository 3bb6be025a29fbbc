/**
 * Merges a request's service parameters with the configured options. As seed 000 says, a configured option
 * supersedes the value a request passes, unless the option is listed in `_overwritable_options`. The result is
 * validated against the template's schema (types coerced, defaults filled) before a plugin sees it.
 */
import { Errors, gmsError } from '../errors.ts';
import { describeAjvErrors } from '../validation.ts';
import { type ConfiguredService, templateOptions } from './service-registry.ts';

/** The service parameters of a request: body fields starting with `_`. */
export function serviceParameters(fields: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([key]) => key.startsWith('_')));
}

/** Configured options over request parameters (except overwritable ones), validated; throws 400 naming the field. */
export function mergeParameters(
  service: ConfiguredService,
  requestParameters: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...requestParameters };
  for (const [key, value] of service.configured) {
    if (!(service.overwritable.has(key) && key in requestParameters)) merged[key] = value;
  }
  const options = templateOptions(Object.entries(merged));
  if (!service.template.validateOptions(options)) {
    const [problem] = describeAjvErrors(service.template.validateOptions.errors);
    throw gmsError(Errors.INVALID_PARAMETER, { field: problem?.option ?? '(body)', rule: problem?.rule ?? 'invalid' });
  }
  return { ...merged, ...options };
}
