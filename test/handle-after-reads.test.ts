import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { expect } from 'chai';
import type { Context } from 'koa';
import { handleAfterReads } from '../src/http/handle-after-reads.ts';
import { type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

describe('handling a request after the reads of its event-loop turn', () => {
  const ctx = {} as Context;

  it('runs the rest of the chain in the check phase, after the callbacks already queued there', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('queued before'));
    const handled = handleAfterReads(ctx, async () => {
      order.push('handler');
    });
    // The microtasks of the current callback (where the body was read) run first and do not reach the handler.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    await Promise.resolve();
    expect(order).to.deep.equal([]);
    await handled;
    expect(order).to.deep.equal(['queued before', 'handler']);
  });

  it('passes on what the rest of the chain throws, for the error middleware', async () => {
    const failure = new Error('refused by the handler');
    let caught: unknown;
    try {
      await handleAfterReads(ctx, async () => {
        throw failure;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.equal(failure);
  });

  describe('two Creates pipelined in one write', () => {
    let fixture: EngineFixture;
    let server: http.Server;

    before(async () => {
      fixture = await startEngine(`
[resource.pair]
_allocation_strategy = locking
dnis1 = 6504660001
dnis2 = 6504660002

[service.pairService]
_type = builtin
_service = request-interaction
_resource_group = pair
`);
      server = http.createServer(fixture.app.callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fixture.close();
    });

    it('are both answered, each with a number of its own', async () => {
      const { port } = server.address() as AddressInfo;
      const create = (phone: string) => {
        const body = `_phone_number=${phone}&language=french`;
        return [
          'POST /genesys/1/service/pairService HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/x-www-form-urlencoded',
          `Content-Length: ${body.length}`,
          '',
          body,
        ].join('\r\n');
      };
      const text = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          received += chunk;
          if ((received.match(/"_expiration_time":\d+}/g) ?? []).length === 2) {
            socket.end();
            resolve(received);
          }
        });
        socket.on('error', reject);
        socket.write(create('6504669991') + create('6504669992'));
      });
      const statuses = text.match(/HTTP\/1\.1 \d{3}/g);
      expect(statuses).to.deep.equal(['HTTP/1.1 200', 'HTTP/1.1 200']);
      const numbers = [...text.matchAll(/"_access_number":"(\d+)"/g)].map((match) => match[1]);
      expect(numbers).to.have.members(['6504660001', '6504660002']);
      const state = await fixture.engine.resources.group('pair');
      expect(state?.reservations.map((reservation) => reservation.phone_number)).to.have.members([
        '6504669991',
        '6504669992',
      ]);
    });
  });
});
