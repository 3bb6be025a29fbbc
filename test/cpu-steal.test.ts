import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { readCpuTicks, stealPercent } from '../bench/cpu-steal.ts';

describe('bench: CPU time stolen by the hypervisor', () => {
  it('is the stolen share of the ticks between two readings', () => {
    expect(stealPercent({ total: 1000, steal: 10 }, { total: 2000, steal: 60 })).to.equal(5);
    expect(stealPercent({ total: 1000, steal: 10 }, { total: 1500, steal: 10 })).to.equal(0);
  });

  it('is unknown without two readings, or when no time passed between them', () => {
    expect(stealPercent(undefined, { total: 2000, steal: 60 })).to.equal(undefined);
    expect(stealPercent({ total: 1000, steal: 10 }, undefined)).to.equal(undefined);
    expect(stealPercent({ total: 1000, steal: 10 }, { total: 1000, steal: 10 })).to.equal(undefined);
  });

  it('reads the ticks of this machine where the kernel publishes them', async () => {
    const ticks = await readCpuTicks();
    if (!existsSync('/proc/stat')) {
      expect(ticks).to.equal(undefined);
      return;
    }
    expect(ticks?.total).to.be.greaterThan(0);
    expect(ticks?.steal).to.be.at.least(0);
    expect(ticks?.steal).to.be.at.most(ticks?.total ?? 0);
  });
});
