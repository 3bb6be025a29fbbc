/**
 * Refuses regular expressions whose matching time can explode on long inputs (ReDoS). The check is recheck's: it
 * decides from the expression's automaton (with fuzzing as a fallback) whether backtracking can take exponential
 * or polynomial time, and gives an attack string; a hand-written star-height heuristic (safe-regex2) misses cases
 * such as `(a|aa)*b` and refuses safe ones such as `(ab*)*`. recheck runs its checker in the native binary that
 * ships in its npm package for this platform, or in a worker thread (pure JavaScript) elsewhere, so the event
 * loop is never blocked.
 */
import { check } from 'recheck';

/** The longest a check may take; an expression that cannot be decided in time is refused. */
const CHECK_TIMEOUT_MS = 2000;
/** Verdicts kept, so a live reload does not re-check unchanged patterns. */
const MAX_REMEMBERED = 1000;

const verdicts = new Map<string, Promise<string | undefined>>();

/**
 * Why matching `source` can take catastrophic time, or undefined when its time grows linearly with the input.
 * `source` must be a valid JavaScript regular expression (without flags).
 */
export function catastrophicBacktracking(source: string): Promise<string | undefined> {
  const known = verdicts.get(source);
  if (known) return known;
  const verdict = decide(source);
  verdicts.set(source, verdict);
  // A failed check is not a verdict: the next save tries again.
  verdict.catch(() => verdicts.delete(source));
  if (verdicts.size > MAX_REMEMBERED) verdicts.delete(verdicts.keys().next().value ?? '');
  return verdict;
}

async function decide(source: string): Promise<string | undefined> {
  const result = await check(source, '', { timeout: CHECK_TIMEOUT_MS });
  switch (result.status) {
    case 'safe':
      return undefined;
    case 'vulnerable': {
      const { complexity } = result;
      const growth = complexity.type === 'exponential' ? 'exponential' : `polynomial (degree ${complexity.degree})`;
      return (
        `matching can take ${growth} time on long inputs such as ${result.attack.pattern}: ` +
        'rewrite it so that no two repeated parts can match the same text'
      );
    }
    default: {
      const { error } = result;
      if (error.kind === 'timeout') {
        return `it could not be shown safe from catastrophic backtracking within ${CHECK_TIMEOUT_MS / 1000} s: simplify it`;
      }
      const detail = 'message' in error ? `${error.kind}: ${error.message}` : error.kind;
      return `it could not be checked for catastrophic backtracking (${detail}): simplify it`;
    }
  }
}
