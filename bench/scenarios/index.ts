/** Every bench scenario, in the order they run. Each issue adds its file here. */
import type { Scenario } from '../scenario.ts';
import { callMatchingScenarios } from './call-matching.ts';
import { foundationScenarios } from './foundation.ts';
import { storageApiScenarios } from './storage-api.ts';

/** All scenarios. */
export const scenarios: Scenario[] = [...foundationScenarios, ...callMatchingScenarios, ...storageApiScenarios];
