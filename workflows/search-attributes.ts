// Custom search attributes ops filter by in Temporal UI (e.g. `Kind = "sync" AND Platform = "meta"`).
// Registered on the namespace by temporal/search-attributes.ts; set by workflows and by the client at start.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const Platform = defineSearchAttributeKey('Platform', SearchAttributeType.KEYWORD);
export const AccountId = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const Kind = defineSearchAttributeKey('Kind', SearchAttributeType.KEYWORD);
export const ChangeStatus = defineSearchAttributeKey('ChangeStatus', SearchAttributeType.KEYWORD);
export const RequestedBy = defineSearchAttributeKey('RequestedBy', SearchAttributeType.KEYWORD);
export const Workspace = defineSearchAttributeKey('Workspace', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [Platform, AccountId, Kind, ChangeStatus, RequestedBy, Workspace];
