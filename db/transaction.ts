// One way to run several store writes atomically (Prisma interactive transaction), shared by services and
// activities, so an audit event is never written without the change it records (or the other way round).
import type { PrismaClient } from './prisma.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function withTransaction<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(fn, { maxWait: 10_000, timeout: 30_000 });
}
