/** Scenarios of the foundation: the baseline and the GET-style services. */
import { type Scenario, urlencoded } from '../scenario.ts';

/** The baseline, the get and basic_get services. */
export const foundationScenarios: Scenario[] = [
  {
    name: 'baseline: Koa + koa-body urlencoded',
    target: 'baseline',
    request: () => ({
      method: 'POST',
      path: '/baseline',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: urlencoded({ _phone_number: '6504669999', language: 'french' }),
    }),
  },
  {
    name: 'get service (health check)',
    target: 'engine-memory',
    config: '[service.bench-get]\n_type = builtin\n_service = get\ncustom_parameter_1 = value1\n',
    request: () => ({ method: 'GET', path: '/genesys/1/service/bench-get' }),
    compareTo: 'baseline: Koa + koa-body urlencoded',
  },
  {
    name: 'basic_get service',
    target: 'engine-memory',
    config: '[service.bench-basic-get]\n_type = builtin\n_service = basic_get\nresult = 200\nerror_code = 200 OK\n',
    request: () => ({ method: 'GET', path: '/genesys/1/service/bench-basic-get' }),
    compareTo: 'baseline: Koa + koa-body urlencoded',
  },
];
