/**
 * `npm run bench`: starts the baseline (bare Koa + koa-body) and the engine (memory and, when Redis answers, redis
 * storage) in child processes, drives each scenario with autocannon, and prints req/s, p50, p99 and the ratio to
 * the scenario it is compared with, all measured in this one run. The machines are noisy (a neighbour can slow one
 * scenario by a third for seconds), so every scenario is measured in several rounds, each round running them all in
 * turn: a ratio is the median of the ratios of the same round, whose two figures were measured seconds apart.
 * Environment: BENCH_SECONDS (per measurement, default 5), BENCH_ROUNDS (default 3), BENCH_WARMUP_SECONDS
 * (unmeasured warm-up before a scenario's first round, default 2), BENCH_CONNECTIONS (default 20), BENCH_ONLY (run
 * scenarios whose name contains it, and those they are compared with), REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { deleteKeysWithPrefix, REDIS_URL, unreachableReason } from '../test/helpers/redis.ts';
import { type ChildServer, startChildServer } from './child-server.ts';
import { readCpuTicks, stealPercent } from './cpu-steal.ts';
import type { BenchTarget, Scenario } from './scenario.ts';
import { scenarios } from './scenarios/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

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

/** Prepares a scenario and warms its server up (unmeasured), so the JIT has compiled the hot path of every server. */
async function prepare(scenario: Scenario, baseUrl: string): Promise<void> {
  await scenario.prepare?.(baseUrl);
  const request = await scenario.request(baseUrl);
  await autocannon({
    url: baseUrl + request.path,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections,
    duration: warmupSeconds,
  });
}

/** One measurement of a prepared scenario. */
async function measure(scenario: Scenario, baseUrl: string): Promise<Measurement> {
  const request = await scenario.request(baseUrl);
  const expected = scenario.expectStatus ?? 200;
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** A scenario's rounds summed up: the round with the median req/s stands for it; errors are added up. */
function summary(measurements: readonly Measurement[]): Measurement {
  const sorted = [...measurements].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[(sorted.length - 1) >> 1] as Measurement;
  return { ...middle, errors: measurements.reduce((sum, m) => sum + m.errors, 0) };
}

function printTable(measured: ReadonlyMap<string, Measurement[]>, steal: number | undefined): void {
  const rows = [...measured.values()].map((measurements) => {
    const result = summary(measurements);
    const { scenario } = result;
    const base = scenario.compareTo ? measured.get(scenario.compareTo) : undefined;
    const ratios = base
      ? measurements.map((m, i) => m.requestsPerSecond / (base[i]?.requestsPerSecond ?? Number.NaN))
      : [];
    const ratio = ratios.length > 0 ? median(ratios) : undefined;
    const spread =
      ratios.length > 1 ? ` (rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})` : '';
    const target = scenario.targetRatio;
    const verdict =
      ratio === undefined || target === undefined ? '' : ratio >= target ? `>= ${target}: met` : `>= ${target}: MISSED`;
    return `| ${scenario.name} | ${scenario.target} | ${Math.round(result.requestsPerSecond)} | ${result.p50} | ${result.p99} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}x ${scenario.compareTo}${spread}`} | ${verdict} | ${result.errors} |`;
  });
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const stolen =
    steal === undefined ? '' : `; CPU time stolen by the hypervisor during the rounds: ${steal.toFixed(1)}%`;
  process.stdout.write(
    [
      '',
      `Machine: ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${connections} connections, ${warmupSeconds} s warm-up, ${rounds} rounds of ${seconds} s per scenario; req/s, p50 and p99 of the median round, ratio = median of the per-round ratios${stolen}`,
      '',
      '| scenario | server | req/s | p50 ms | p99 ms | ratio | target | errors |',
      '| --- | --- | ---: | ---: | ---: | --- | --- | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
}

/** The scenarios whose name contains `only` (all without it), with the scenarios they are compared with, in order. */
function selectScenarios(only: string | undefined): Scenario[] {
  const wanted = new Set(scenarios.filter((scenario) => !only || scenario.name.includes(only)).map((s) => s.name));
  for (let added = true; added; ) {
    added = false;
    for (const scenario of scenarios) {
      if (wanted.has(scenario.name) && scenario.compareTo && !wanted.has(scenario.compareTo)) {
        wanted.add(scenario.compareTo);
        added = true;
      }
    }
  }
  return scenarios.filter((scenario) => wanted.has(scenario.name));
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY;
  const selected = selectScenarios(only);
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
    const measured = new Map<string, Measurement[]>();
    const ticksBefore = await readCpuTicks();
    for (let round = 1; round <= rounds; round++) {
      for (const scenario of selected) {
        const server = servers.get(scenario.target);
        if (!server) continue;
        process.stdout.write(`round ${round}/${rounds}: ${scenario.name} (${scenario.target})\n`);
        if (round === 1) await prepare(scenario, server.url);
        const list = measured.get(scenario.name) ?? [];
        list.push(await measure(scenario, server.url));
        measured.set(scenario.name, list);
      }
    }
    printTable(measured, stealPercent(ticksBefore, await readCpuTicks()));
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    if (withRedis) await deleteKeysWithPrefix(keyPrefix);
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
