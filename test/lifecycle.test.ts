import { rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { startChildServer, startServerCommand } from '../bench/child-server.ts';
import { ADMIN, configText, repoRoot, tempFolder } from './helpers/engine-fixture.ts';
import { pluginFolderWith } from './helpers/plugin-folder.ts';

const MAIN = path.join(repoRoot, 'src', 'main.ts');
const folders: string[] = [];

async function folder(): Promise<string> {
  const created = await tempFolder();
  folders.push(created);
  return created;
}

async function writeConfig(): Promise<string> {
  const dir = await folder();
  const plugins = await pluginFolderWith(dir, ['echo']);
  const configFile = path.join(dir, 'gms.ini');
  await writeFile(configFile, configText(dir, '[service.echo]\n_service = echo\n', `plugins_dir = ${plugins}`));
  return configFile;
}

function exitCode(child: import('node:child_process').ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Whether a TCP connection to `url` is refused, i.e. nothing listens there any more. */
function connectionRefused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Whether connections to `url` are refused (the server is gone) within `limitMs`. */
async function refusesWithin(url: string, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await connectionRefused(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('server lifecycle (npm start)', () => {
  after(async () => {
    await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('lets an in-flight request finish on SIGTERM, then exits 0', async () => {
    const server = await startChildServer(MAIN, ['--config', await writeConfig(), '--port', '0']);
    const created = await request(server.url).post('/genesys/1/service/echo').type('form').send({}).expect(200);
    const slow = request(server.url)
      .post(`/genesys/1/service/${created.body._id}/slow`)
      .type('form')
      .send({ ms: '700' });
    const pending = slow.then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.process.kill('SIGTERM');
    const response = await pending;
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ slept: true });
    expect(await exitCode(server.process)).to.equal(0);
  });

  it('stops the server when `npm start` itself gets SIGTERM (as a process manager sends it), leaving no process behind', async () => {
    const npm = await startServerCommand('npm', ['start', '--', '--config', await writeConfig(), '--port', '0']);
    await request(npm.url).post('/genesys/1/service/echo').type('form').send({}).expect(200);
    await npm.stop();
    // npm hands the signal on to the script's process and may exit before it has closed; a server that was not that
    // process never gets the signal and answers forever, so waiting a few seconds for the refusal is enough.
    expect(
      await refusesWithin(npm.url, 5_000),
      `the server at ${npm.url} still answers after npm was stopped`,
    ).to.equal(true);
  });

  it('shuts down on changestatus/SHUTDOWN and exits 0', async () => {
    const server = await startChildServer(MAIN, ['--config', await writeConfig(), '--port', '0']);
    await request(server.url)
      .post('/genesys/1/admin/node/changestatus/SHUTDOWN')
      .auth(ADMIN.user, ADMIN.password)
      .expect(200);
    expect(await exitCode(server.process)).to.equal(0);
  });

  it('reads the configuration file from GMS_CONFIG and the port from PORT', async () => {
    const configFile = await writeConfig();
    const previous = { config: process.env.GMS_CONFIG, port: process.env.PORT };
    process.env.GMS_CONFIG = configFile;
    process.env.PORT = '0';
    try {
      const server = await startChildServer(MAIN);
      await request(server.url).post('/genesys/1/service/echo').type('form').send({}).expect(200);
      await server.stop();
      expect(server.process.exitCode).to.equal(0);
    } finally {
      process.env.GMS_CONFIG = previous.config;
      process.env.PORT = previous.port;
      if (previous.config === undefined) delete process.env.GMS_CONFIG;
      if (previous.port === undefined) delete process.env.PORT;
    }
  });

  it('refuses to start on an invalid configuration, listing the problems, with exit code 1', async () => {
    const dir = await folder();
    const configFile = path.join(dir, 'broken.ini');
    await writeFile(configFile, configText(dir, '[service.x]\n_service = nothing\n'));
    const error = await startChildServer(MAIN, ['--config', configFile, '--port', '0']).catch((e: unknown) => e);
    expect(String(error)).to.contain('exited with 1').and.contain('broken.ini [service.x] _service');
  });
});
