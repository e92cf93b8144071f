// Registers MBO's custom search attributes on the namespace (idempotent), so ops can filter in Temporal UI.
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { IndexedValueType } = proto.temporal.api.enums.v1;
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';

export async function registerSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  const op = client.connection.operatorService;
  const existing = await op.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !have.has(k.name));
  if (missing.length) {
    await op.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
  }
  return missing.map((k) => k.name);
}
