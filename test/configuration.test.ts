import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { ConfigError } from '../src/config/config-error.ts';
import { Engine } from '../src/engine.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { configText, type EngineFixture, startEngine, tempFolder } from './helpers/engine-fixture.ts';

const BASIC_GET = '[service.health]\n_type = builtin\n_service = basic_get\nresult = 200\nmessage = first\n';

/** Waits until `check` passes or `ms` elapse (for changes picked up by the file watcher). */
async function eventually(check: () => Promise<void>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('configuration', () => {
  describe('start-up validation', () => {
    it('fails start-up and lists every invalid section with file, section, option and rule', async () => {
      const folder = await tempFolder();
      const configFile = path.join(folder, 'bad.ini');
      await writeFile(
        configFile,
        configText(
          folder,
          `
[service.no-template]
_type = builtin

[service.unknown-template]
_service = does-not-exist

[service.bad-result]
_service = basic_get
result = 2000

[service.missing-result]
_service = basic_get

[service.ors-one]
_type = ors
_service = basic_get
result = 200
`,
          'port = seventy',
        ),
      );
      let caught: unknown;
      try {
        await Engine.start({ configFile, logger: createMemoryLogger() });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(ConfigError);
      const message = (caught as ConfigError).message;
      expect(message).to.contain('bad.ini [server] port: must be integer');
      expect(message).to.contain('bad.ini [service.no-template] _service: is mandatory');
      expect(message).to.contain(
        '[service.unknown-template] _service: names template does-not-exist, which is not installed',
      );
      expect(message).to.contain('[service.bad-result] result: must match pattern');
      expect(message).to.contain('[service.missing-result] result: is mandatory and missing');
      expect(message).to.contain('[service.ors-one] _type: must be builtin');
      expect((caught as ConfigError).issues.length).to.be.greaterThanOrEqual(6);
      await rm(folder, { recursive: true, force: true });
    });

    it('reports syntax errors with their line', async () => {
      const folder = await tempFolder();
      const configFile = path.join(folder, 'syntax.ini');
      await writeFile(
        configFile,
        `${configText(folder, '')}\nthis line has no equals sign\n[service.x]\n_service = get\n_service = get\n`,
      );
      const error = await Engine.start({ configFile, logger: createMemoryLogger() }).catch((e: unknown) => e);
      expect(String((error as Error).message)).to.match(
        /line \d+\] \(syntax\): cannot read "this line has no equals sign"/,
      );
      expect(String((error as Error).message)).to.contain('option _service appears twice in [service.x]');
      await rm(folder, { recursive: true, force: true });
    });
  });

  describe('live reload', () => {
    let fixture: EngineFixture;
    const http = () => request(fixture.app.callback());

    beforeEach(async () => {
      fixture = await startEngine(BASIC_GET);
    });
    afterEach(() => fixture.close());

    it('applies a valid edit without restart', async () => {
      expect((await http().get('/genesys/1/service/health').expect(200)).body.message).to.equal('first');
      const text = await readFile(fixture.configFile, 'utf8');
      await writeFile(
        fixture.configFile,
        `${text.replace('message = first', 'message = second')}\n[service.added]\n_service = get\nx = y\n`,
      );
      const result = await fixture.engine.reload();
      expect(result).to.deep.equal({ applied: true, issues: [] });
      expect((await http().get('/genesys/1/service/health').expect(200)).body.message).to.equal('second');
      expect((await http().get('/genesys/1/service/added').expect(200)).body).to.deep.equal({ x: 'y' });
    });

    it('refuses an invalid edit, logs why, and keeps serving the last good configuration', async () => {
      const text = await readFile(fixture.configFile, 'utf8');
      await writeFile(fixture.configFile, text.replace('result = 200', 'result = banana'));
      const result = await fixture.engine.reload();
      expect(result.applied).to.equal(false);
      expect(result.issues.map((issue) => `${issue.section} ${issue.option}`)).to.deep.equal(['service.health result']);
      expect(fixture.logger.lines.some((line) => line.level === 'error' && line.message.includes('refused'))).to.equal(
        true,
      );
      expect((await http().get('/genesys/1/service/health').expect(200)).body.message).to.equal('first');
    });

    it('keeps restart-only options (port, folders, storage) as they were, with a warning', async () => {
      const text = await readFile(fixture.configFile, 'utf8');
      await writeFile(fixture.configFile, text.replace('[server]', '[server]\nport = 9999'));
      expect((await fixture.engine.reload()).applied).to.equal(true);
      expect(fixture.engine.config.server.port).to.equal(8080);
      expect(fixture.logger.lines.some((line) => line.message.includes('after a restart'))).to.equal(true);
    });
  });

  describe('the file watcher of a running server', () => {
    it('applies an edit to the file within 2 seconds', async () => {
      const { startServer } = await import('../src/server.ts');
      const folder = await tempFolder();
      const configFile = path.join(folder, 'watched.ini');
      await writeFile(configFile, configText(folder, BASIC_GET));
      const server = await startServer({ configFile, logger: createMemoryLogger(), port: 0, host: '127.0.0.1' });
      try {
        const text = await readFile(configFile, 'utf8');
        await writeFile(configFile, text.replace('message = first', 'message = watched'));
        await eventually(async () => {
          const response = await request(server.url).get('/genesys/1/service/health').expect(200);
          expect(response.body.message).to.equal('watched');
        }, 2000);
        await writeFile(configFile, text.replace('result = 200', 'result = broken'));
        await new Promise((resolve) => setTimeout(resolve, 1200));
        expect((await request(server.url).get('/genesys/1/service/health').expect(200)).body.message).to.equal(
          'watched',
        );
      } finally {
        await server.close();
        await rm(folder, { recursive: true, force: true });
      }
    });
  });
});
