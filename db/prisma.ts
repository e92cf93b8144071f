// Prisma Client over the pg driver adapter (no native query engine), one per database URL.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.js';

const clients = new Map<string, PrismaClient>();

export function getPrisma(url: string): PrismaClient {
  let client = clients.get(url);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    clients.set(url, client);
  }
  return client;
}

export async function closePrisma(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.$disconnect().catch(() => {})));
}

export type { PrismaClient };
