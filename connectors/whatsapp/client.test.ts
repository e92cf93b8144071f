// The WhatsApp client against the loopback Cloud API fake: a reply-buttons message goes out in the documented
// shape and comes back with its wamid; a wrong token, a number outside the allowed list, a throughput limit and
// Meta's own failure become the right typed errors (and no error message carries the token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { WhatsAppClient } from './client.js';
import { buttonReplyWebhook, FakeWhatsAppCloud } from './fake-server.js';
import { decisionButtonId, readButtonReplies } from './inbound.js';
import { hubSignature, hubSignatureMatches } from './signature.js';
import { buttonsMessage, textMessage } from './wire.js';

const fake = new FakeWhatsAppCloud();
const client = () => new WhatsAppClient({ phoneNumberId: fake.phoneNumberId, accessToken: fake.accessToken, apiBaseUrl: fake.url });
const REQ = '0b7c6f0e-1d2e-4c3b-9a8f-7e6d5c4b3a21';

beforeAll(() => fake.start());
afterAll(() => fake.stop());

describe('WhatsAppClient', () => {
  it('sends reply buttons and gets the message id', async () => {
    const msg = buttonsMessage('+49 151 2345 6789', 'Budget change waiting', [
      { id: decisionButtonId('approve', REQ), title: 'Approve' },
      { id: decisionButtonId('reject', REQ), title: 'Reject' },
    ]);
    const sent = await client().send(msg);
    expect(sent.messageId).toMatch(/^wamid\./);
    expect(fake.buttonsSentTo('4915123456789')[0]!.buttons.map((b) => b.title)).toEqual(['Approve', 'Reject']);
  });

  it('maps Graph errors to typed errors without leaking the token', async () => {
    const bad = new WhatsAppClient({ phoneNumberId: fake.phoneNumberId, accessToken: 'EAAGwrongwrongwrong', apiBaseUrl: fake.url });
    const e = await bad.send(textMessage('4915123456789', 'hi')).catch((x) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).not.toContain('EAAGwrongwrongwrong');
    fake.allowed = new Set(['15550001111']);
    await expect(client().send(textMessage('4915123456789', 'hi'))).rejects.toThrow(ValidationError);
    fake.allowed = new Set();
    fake.rateLimitNext(1);
    const r = await client()
      .send(textMessage('4915123456789', 'hi'))
      .catch((x) => x);
    expect(r).toBeInstanceOf(RateLimitError);
    expect(r.retryAfterMs).toBe(1000);
    fake.failNext(1);
    await expect(client().send(textMessage('4915123456789', 'hi'))).rejects.toThrow(TransientError);
    const four = buttonsMessage('4915123456789', 'x', [{ id: 'a', title: 'A' }]);
    four.interactive.action.buttons.push(...['b', 'c', 'd'].map((id) => ({ type: 'reply' as const, reply: { id, title: id } })));
    await expect(client().send(four)).rejects.toThrow(/1 to 3 buttons/);
  });

  it('reads only MBO decision buttons from a webhook, and checks the hub signature', () => {
    const payload = buttonReplyWebhook({
      phoneNumberId: fake.phoneNumberId,
      from: '4915123456789',
      buttonId: decisionButtonId('approve', REQ),
      title: 'Approve',
    });
    const { replies, ignored } = readButtonReplies(payload);
    expect(replies).toMatchObject([{ decision: 'approve', requestId: REQ, from: '4915123456789' }]);
    expect(ignored).toEqual([]);
    const other = buttonReplyWebhook({ phoneNumberId: fake.phoneNumberId, from: '1', buttonId: 'mbo:approve:../../x', title: 'Approve' });
    expect(readButtonReplies(other).replies).toEqual([]);
    const raw = JSON.stringify(payload);
    expect(hubSignatureMatches('s3cret', raw, hubSignature('s3cret', raw))).toBe(true);
    expect(hubSignatureMatches('s3cret', raw + ' ', hubSignature('s3cret', raw))).toBe(false);
    expect(hubSignatureMatches('s3cret', raw, undefined)).toBe(false);
  });
});
