/** Why a template or plugin could not be loaded, installed or removed: "missing" and "broken" are different errors. */

/** Kinds of template failures. */
export type TemplateFailure =
  | 'invalid-archive'
  | 'invalid-manifest'
  | 'unsupported-engine'
  | 'plugin-missing'
  | 'plugin-broken'
  | 'code-not-allowed'
  | 'duplicate'
  | 'builtin'
  | 'not-installed'
  | 'plugin-taken'
  | 'plugin-in-use'
  | 'breaks-services';

/** A template that could not be loaded, with the template (or file) and the reason. */
export class TemplateError extends Error {
  override name = 'TemplateError';

  constructor(
    /** What kind of failure. */
    readonly failure: TemplateFailure,
    /** The template name, or the file when the name is not known yet. */
    readonly subject: string,
    /** A complete sentence: it is logged at start-up and answered to an upload. */
    message: string,
    /** Facts the answer's message template names (e.g. `plugin`, `owner`, `file`). */
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
