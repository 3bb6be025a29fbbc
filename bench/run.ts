/**
 * `npm run bench`: starts the baseline (bare Koa + koa-body) and the engine (memory and, when Redis answers, redis
 * storage) in child processes, drives each scenario with autocannon, and prints req/s, p50, p99 and the ratio to
 * the scenario it is compared with, all measured in this one run. Environment: BENCH_SECONDS (default 5),
 * BENCH_WARMUP_SECONDS (unmeasured warm-up per scenario, default 2), BENCH_CONNECTIONS (default 20), BENCH_ONLY (run
 * scenarios whose name contains it), REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { deleteKeysWithPrefix, REDIS_URL, unreachableReason } from '../test/helpers/redis.ts';
import { type ChildServer, startChildServer } from './child-server.ts';
import type { BenchTarget, Scenario } from './scenario.ts';
import { scenarios } from './scenarios/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);

/** One measured scenario. */
interface Measurement {
  scenario: Scenario;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function startEngine(folder: string, backend: 'memory' | 'redis', keyPrefix: string): Promise<ChildServer> {
  const sections = [...new Set(scenarios.map((scenario) => scenario.config).filter(Boolean))].join('\n');
  const configFile = path.join(folder, `bench-${backend}.ini`);
  await writeFile(
    configFile,
    [
      '[server]',
      'port = 0',
      'username = admin',
      'password = bench',
      `plugins_dir = ${path.join(root, 'plugins')}`,
      `templates_dir = ${path.join(root, 'service_templates')}`,
      `data_dir = ${path.join(folder, `data-${backend}`)}`,
      '[storage]',
      `backend = ${backend}`,
      `url = ${REDIS_URL}`,
      `key_prefix = ${keyPrefix}`,
      '',
      sections,
    ].join('\n'),
  );
  return startChildServer(path.join(root, 'src', 'main.ts'), ['--config', configFile, '--port', '0']);
}

async function measure(scenario: Scenario, baseUrl: string): Promise<Measurement> {
  await scenario.prepare?.(baseUrl);
  const request = await scenario.request(baseUrl);
  const expected = scenario.expectStatus ?? 200;
  // Warm up first (unmeasured), so the JIT has compiled the hot path of every server alike before the figures.
  await autocannon({
    url: baseUrl + request.path,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections,
    duration: warmupSeconds,
  });
  let errors = 0;
  const result = await autocannon({
    url: baseUrl + request.path,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections,
    duration: seconds,
    setupClient: (client) => {
      client.on('response', (statusCode: number) => {
        if (statusCode !== expected) errors++;
      });
    },
  });
  return {
    scenario,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: errors + result.errors + result.timeouts,
  };
}

function printTable(results: Measurement[]): void {
  const byName = new Map(results.map((result) => [result.scenario.name, result]));
  const rows = results.map((result) => {
    const base = result.scenario.compareTo ? byName.get(result.scenario.compareTo) : undefined;
    const ratio = base ? result.requestsPerSecond / base.requestsPerSecond : undefined;
    const target = result.scenario.targetRatio;
    const verdict =
      ratio === undefined || target === undefined ? '' : ratio >= target ? `>= ${target}: met` : `>= ${target}: MISSED`;
    return `| ${result.scenario.name} | ${result.scenario.target} | ${Math.round(result.requestsPerSecond)} | ${result.p50} | ${result.p99} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}x ${result.scenario.compareTo}`} | ${verdict} | ${result.errors} |`;
  });
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    [
      '',
      `Machine: ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s per scenario`,
      '',
      '| scenario | server | req/s | p50 ms | p99 ms | ratio | target | errors |',
      '| --- | --- | ---: | ---: | ---: | --- | --- | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY;
  const selected = scenarios.filter((scenario) => !only || scenario.name.includes(only));
  const folder = await mkdtemp(path.join(os.tmpdir(), 'gms-bench-'));
  const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const withRedis =
    selected.some((scenario) => scenario.target === 'engine-redis') && (await unreachableReason()) === undefined;
  if (!withRedis && selected.some((scenario) => scenario.target === 'engine-redis')) {
    process.stdout.write(`Redis at ${REDIS_URL} is not reachable: redis scenarios are left out\n`);
  }
  const servers = new Map<BenchTarget, ChildServer>();
  try {
    servers.set('baseline', await startChildServer(path.join(root, 'bench', 'baseline-server.ts')));
    servers.set('engine-memory', await startEngine(folder, 'memory', keyPrefix));
    if (withRedis) servers.set('engine-redis', await startEngine(folder, 'redis', keyPrefix));
    const results: Measurement[] = [];
    for (const scenario of selected) {
      const server = servers.get(scenario.target);
      if (!server) continue;
      process.stdout.write(`running: ${scenario.name} (${scenario.target})\n`);
      results.push(await measure(scenario, server.url));
    }
    printTable(results);
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    if (withRedis) await deleteKeysWithPrefix(keyPrefix);
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
