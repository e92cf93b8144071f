// Ports for the tests that start their own stack. Fixed numbers in the 54xxx range sat inside Linux's ephemeral
// range (32768–60999), so an outgoing connection of any program could hold one for a moment and `mbo up` rightly
// refused it (CI failed once that way). A block is drawn below that range, where the kernel never hands out local
// ports, and every port in it is checked free before a test uses it.
import { portProblem } from '../../lib/processes.js';

const LOW = 20_000;
const HIGH = 32_000; // below /proc/sys/net/ipv4/ip_local_port_range's start

/** The first port of `size` consecutive free ports on 127.0.0.1, below the ephemeral range. */
export async function portBlock(size: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = LOW + Math.floor(Math.random() * ((HIGH - LOW - size) / 10)) * 10;
    let free = true;
    for (let p = base; p < base + size && free; p++) free = (await portProblem('127.0.0.1', p)) === null;
    if (free) return base;
  }
  throw new Error(`no ${size} consecutive free ports between ${LOW} and ${HIGH}`);
}
