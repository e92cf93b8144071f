// Every Google Ads name MBO and its fake use — GAQL fields, mutate paths, enum values, error codes, JSON fields of
// requests and responses — checked against the v24 protos that ship with google-ads-api (google-ads-node's
// protos.json), so a typo or a field Google renamed fails here rather than against the live API.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';
import { FAKE_GAQL_FIELDS } from './fake-accounts.js';
import { CAMPAIGN_FIELDS, CUSTOMER_FIELDS, METRIC_FIELDS } from './gaql.js';
import { GOOGLE_ADS_API_VERSION } from './wire.js';

const PROTOS = path.join(PROJECT_ROOT, 'node_modules/google-ads-node/build/protos/protos.json');
const HERE = path.dirname(fileURLToPath(import.meta.url));

interface ProtoNode {
  fields?: Record<string, { type: string; rule?: string }>;
  values?: Record<string, number>;
  nested?: Record<string, ProtoNode>;
}

const root: ProtoNode | undefined = existsSync(PROTOS) ? (JSON.parse(readFileSync(PROTOS, 'utf8')) as ProtoNode) : undefined;
const PKG = `google.ads.googleads.${GOOGLE_ADS_API_VERSION}`;

function lookup(name: string): ProtoNode | undefined {
  let node = root;
  for (const part of name.split('.')) node = node?.nested?.[part];
  return node;
}

/** A field's message type, resolved like protoc: fully qualified, else relative to the enclosing package. */
function typeOf(ownerName: string, type: string): string {
  if (lookup(type)) return type;
  const parts = ownerName.split('.');
  while (parts.length) {
    parts.pop();
    const candidate = [...parts, type].join('.');
    if (lookup(candidate)) return candidate;
  }
  return type;
}

/** Walks snake_case field names from a message; returns the last field's type or throws naming the bad step. */
function walk(message: string, fields: string[]): string {
  let current = message;
  for (const f of fields) {
    const field = lookup(current)?.fields?.[f];
    if (!field) throw new Error(`${current} has no field ${f}`);
    current = typeOf(current, field.type);
  }
  return current;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const enumValues = (name: string) => Object.keys(lookup(name)?.values ?? {});

// Tests that read node_modules skip, saying why, when the package is not installed.
describe.skipIf(!root)(`Google Ads names vs the ${GOOGLE_ADS_API_VERSION} protos in google-ads-node`, () => {
  it('every GAQL field MBO selects and the fake serves is a GoogleAdsRow field path', () => {
    const all = new Set([...CUSTOMER_FIELDS, ...CAMPAIGN_FIELDS, ...METRIC_FIELDS, ...FAKE_GAQL_FIELDS]);
    const bad = [...all].filter((f) => {
      try {
        walk(`${PKG}.services.GoogleAdsRow`, f.split('.'));
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
  });

  it('update masks MBO sends name real fields of CampaignBudget and Campaign', () => {
    for (const mask of ['amountMicros']) walk(`${PKG}.resources.CampaignBudget`, mask.split('.').map(snake));
    const campaignMasks = [
      'status',
      'targetCpa.targetCpaMicros',
      'maximizeConversions.targetCpaMicros',
      'targetRoas.targetRoas',
      'maximizeConversionValue.targetRoas',
    ];
    for (const mask of campaignMasks) expect(() => walk(`${PKG}.resources.Campaign`, mask.split('.').map(snake))).not.toThrow();
  });

  it('request and response JSON fields exist (search paging, mutate flags, partial failure, quota retry delay)', () => {
    const checks: [string, string[]][] = [
      ['services.SearchGoogleAdsRequest', ['query', 'page_token']],
      ['services.SearchGoogleAdsResponse', ['results', 'next_page_token', 'field_mask']],
      ['services.SearchGoogleAdsStreamResponse', ['results', 'field_mask', 'request_id']],
      ['services.MutateCampaignBudgetsRequest', ['operations', 'partial_failure', 'validate_only']],
      ['services.MutateCampaignsRequest', ['operations', 'partial_failure', 'validate_only']],
      ['services.MutateCampaignBudgetsResponse', ['results', 'partial_failure_error']],
      ['services.CampaignBudgetOperation', ['update', 'update_mask']],
      ['services.CampaignOperation', ['update', 'update_mask']],
      ['errors.GoogleAdsFailure', ['errors', 'request_id']],
      ['errors.GoogleAdsError', ['error_code', 'message', 'location', 'details']],
      ['errors.ErrorLocation.FieldPathElement', ['field_name', 'index']],
    ];
    for (const [message, fields] of checks) for (const f of fields) expect(lookup(`${PKG}.${message}`)?.fields?.[f], `${message}.${f}`).toBeDefined();
    expect(walk(`${PKG}.errors.GoogleAdsError`, ['details', 'quota_error_details', 'retry_delay'])).toBe('google.protobuf.Duration');
  });

  it('enum values MBO reads are the API’s', () => {
    expect(enumValues(`${PKG}.enums.CampaignStatusEnum.CampaignStatus`)).toEqual(expect.arrayContaining(['ENABLED', 'PAUSED', 'REMOVED']));
    expect(enumValues(`${PKG}.enums.BiddingStrategyTypeEnum.BiddingStrategyType`)).toEqual(
      expect.arrayContaining(['TARGET_CPA', 'MAXIMIZE_CONVERSIONS', 'TARGET_ROAS', 'MAXIMIZE_CONVERSION_VALUE', 'MANUAL_CPC']),
    );
  });

  it('every error code the fake sends and the client matches is a real ErrorCode (group and value)', () => {
    const sources = ['fake-server.ts', 'fake-mutations.ts', 'fixtures.ts', 'failure.ts', 'connector.test.ts']
      .map((f) => readFileSync(path.join(HERE, f), 'utf8'))
      .join('\n');
    const pairs = new Set<string>();
    for (const m of sources.matchAll(/(?:err|opErr)\('(\w+)', '(\w+)'/g)) pairs.add(`${m[1]}=${m[2]}`);
    for (const m of sources.matchAll(/\{ (\w+Error): '(\w+)' \}/g)) pairs.add(`${m[1]}=${m[2]}`);
    for (const m of sources.matchAll(/(\w+Error)=(\w+)/g)) pairs.add(`${m[1]}=${m[2]}`);
    expect(pairs.size).toBeGreaterThan(15);
    const errorCode = lookup(`${PKG}.errors.ErrorCode`)!;
    const bad = [...pairs].filter((p) => {
      const [group, value] = p.split('=') as [string, string];
      const field = errorCode.fields?.[snake(group)];
      return !field || !enumValues(typeOf(`${PKG}.errors.ErrorCode`, field.type)).includes(value);
    });
    expect(bad).toEqual([]);
  });
});
