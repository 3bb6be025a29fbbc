/**
 * How much CPU time the hypervisor gave to other guests while the bench ran ("steal" in Linux's `/proc/stat`). On a
 * shared virtual machine a neighbour can take a third of the CPU for seconds; the bench prints the share so a reader
 * can tell a slow run from a slow engine.
 */
import { readFile } from 'node:fs/promises';

/** Cumulative CPU ticks of all CPUs: the total, and the part stolen. */
export interface CpuTicks {
  readonly total: number;
  readonly steal: number;
}

/** The current ticks, or undefined where `/proc/stat` does not exist (not Linux) or has no steal column. */
export async function readCpuTicks(): Promise<CpuTicks | undefined> {
  let text: string;
  try {
    text = await readFile('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((row) => row.startsWith('cpu '));
  // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already counted in user.
  const ticks = line?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (ticks.length < 8 || ticks.some((value) => !Number.isFinite(value))) return undefined;
  return { total: ticks.reduce((sum, value) => sum + value, 0), steal: ticks[7] ?? 0 };
}

/** The stolen share of the CPU time between two readings, in percent; undefined when either reading is missing. */
export function stealPercent(from: CpuTicks | undefined, to: CpuTicks | undefined): number | undefined {
  if (!from || !to || to.total <= from.total) return undefined;
  return (100 * (to.steal - from.steal)) / (to.total - from.total);
}
