/** What a template zip holds, once its archive and its manifest passed every check: files, manifest, code files. */
import { type CheckedManifest, readManifest } from './read-manifest.ts';
import { type ArchiveFiles, readArchive, UnsafeArchiveError } from './safe-zip.ts';
import { TemplateError } from './template-error.ts';

/** The name of a template's manifest, at the root of a zip or a plugin folder. */
export const MANIFEST_FILE = 'template.json';

/** File names that make a zip "carry code". */
const CODE_FILE = /\.(js|mjs|cjs|ts|mts|cts)$/;

/** A checked template zip. */
export interface TemplateZip extends CheckedManifest {
  /** Every file, by normalized relative path. */
  readonly files: ArchiveFiles;
  /** The files that are code; empty for a template-only zip. */
  readonly code: readonly string[];
}

/** Reads `data` (from `source`, for messages) as hostile input; throws TemplateError with the reason. */
export function readTemplateZip(data: Buffer, source: string): TemplateZip {
  const files = readFiles(data, source);
  const text = files.get(MANIFEST_FILE);
  if (!text) {
    const nested = [...files.keys()].find((name) => name.endsWith(`/${MANIFEST_FILE}`));
    const hint = nested ? ` (it has ${nested}: zip the content of the folder, not the folder)` : '';
    throw new TemplateError('invalid-manifest', source, `the archive has no ${MANIFEST_FILE} at its root${hint}`);
  }
  const checked = readManifest(text.toString('utf8'), source);
  return { ...checked, files, code: [...files.keys()].filter((name) => CODE_FILE.test(name)) };
}

function readFiles(data: Buffer, source: string): ArchiveFiles {
  try {
    return readArchive(data);
  } catch (error) {
    if (error instanceof UnsafeArchiveError) throw new TemplateError('invalid-archive', source, error.message);
    throw error;
  }
}
