// The WhatsApp client against the loopback Cloud API fake: a reply-buttons message goes out in the documented
// shape and comes back with its wamid; a wrong token, a number outside the allowed list, a throughput limit and
// Meta's own failure become the right typed errors (and no error message carries the token); outside the 24-hour
// window free-form is refused (131047) while the approved template goes out, and a template that does not match is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { ReEngagementRequired, WhatsAppClient } from './client.js';
import { buttonReplyWebhook, FakeWhatsAppCloud } from './fake-server.js';
import { decisionButtonId, inboundSenders, readButtonReplies } from './inbound.js';
import { hubSignature, hubSignatureMatches } from './signature.js';
import { buttonsMessage, DEFAULT_APPROVAL_TEMPLATE, templateMessage, textMessage } from './wire.js';

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

  it('outside the 24-hour window: free-form is refused with 131047 (ReEngagementRequired), the approved template goes out; a template that does not match is refused', async () => {
    fake.enforceWindow = true;
    const before = fake.refused.length;
    try {
      const to = '4915100000042';
      const buttons = buttonsMessage(to, 'Budget change waiting', [{ id: decisionButtonId('approve', REQ), title: 'Approve' }]);
      const e = await client()
        .send(buttons)
        .catch((x) => x);
      expect(e).toBeInstanceOf(ReEngagementRequired);
      expect(e).toBeInstanceOf(ValidationError);
      expect(e.message).toMatch(/Re-engagement message.*24 hours.*\[code 131047\]/);
      const t = templateMessage(
        to,
        DEFAULT_APPROVAL_TEMPLATE,
        ['A budget change\nwaits', 'ana asks', '“x”: 1 → 2', 'why', 'soon'],
        [decisionButtonId('approve', REQ), decisionButtonId('reject', REQ)],
      );
      expect((t.template.components[0] as { parameters: { text: string }[] }).parameters[0]!.text).toBe('A budget change · waits'); // one line
      expect((await client().send(t)).messageId).toMatch(/^wamid\./);
      expect(fake.templatesSentTo(to)[0]).toMatchObject({
        name: 'mbo_approval_request',
        language: 'en',
        payloads: [`mbo:approve:${REQ}`, `mbo:reject:${REQ}`],
      });
      await expect(client().send(templateMessage(to, { name: 'mbo_approval_request', language: 'de' }, ['a', 'b', 'c', 'd', 'e']))).rejects.toThrow(/132001/);
      await expect(client().send(templateMessage(to, DEFAULT_APPROVAL_TEMPLATE, ['a', 'b']))).rejects.toThrow(/132000/);
      fake.customerWrote(to);
      expect((await client().send(buttons)).messageId).toMatch(/^wamid\./); // the customer wrote: buttons go out
      expect(fake.refused.slice(before).map((r) => r.code)).toEqual([131047, 132001, 132000]);
    } finally {
      fake.enforceWindow = false;
    }
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
    const tapped = buttonReplyWebhook({
      phoneNumberId: fake.phoneNumberId,
      from: '4915123456789',
      buttonId: decisionButtonId('reject', REQ),
      title: 'Reject',
      template: true,
    });
    expect(readButtonReplies(tapped).replies).toMatchObject([{ decision: 'reject', requestId: REQ }]); // a template's quick reply
    expect(inboundSenders(tapped)).toMatchObject([{ from: '4915123456789' }]);
    const other = buttonReplyWebhook({ phoneNumberId: fake.phoneNumberId, from: '1', buttonId: 'mbo:approve:../../x', title: 'Approve' });
    expect(readButtonReplies(other).replies).toEqual([]);
    const raw = JSON.stringify(payload);
    expect(hubSignatureMatches('s3cret', raw, hubSignature('s3cret', raw))).toBe(true);
    expect(hubSignatureMatches('s3cret', raw + ' ', hubSignature('s3cret', raw))).toBe(false);
    expect(hubSignatureMatches('s3cret', raw, undefined)).toBe(false);
  });
});
