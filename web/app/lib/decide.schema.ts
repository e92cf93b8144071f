// The inbox's decision form: one or more requests, approve or reject, an optional comment. Built from the
// change-request schemas (the same request id and note rules the API and CLI use); browser-safe.
import { z } from 'zod';
import { decideChangeSchema } from '../../../services/change-requests/change-requests.schema.ts';

export const decideFormSchema = z.object({
  ids: z.array(decideChangeSchema.shape.requestId).min(1, 'pick at least one request'),
  intent: z.enum(['approve', 'reject']),
  note: decideChangeSchema.shape.note,
});
