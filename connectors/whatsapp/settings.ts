// A workspace's WhatsApp Business connection (phone number id, access token, app secret, verify token), sealed with
// the process keyring in workspace_secret (kind "whatsapp_business"). The API opens it to check inbound signatures,
// the worker to send notices; nothing returns it whole.
import { open, seal, type Keyring } from '../../lib/secrets.js';
import type { WhatsAppSettings } from './client.js';
import { DEFAULT_APPROVAL_TEMPLATE } from './wire.js';

export const WHATSAPP_SECRET_KIND = 'whatsapp_business';

export interface StoredWhatsApp extends WhatsAppSettings {
  /** The Meta app's secret: X-Hub-Signature-256 of inbound webhooks is keyed with it. */
  appSecret: string;
  /** What Meta echoes in the GET verification of the webhook URL (hub.verify_token). */
  verifyToken: string;
  /** The pre-approved approval template (sent outside the 24-hour window); default DEFAULT_APPROVAL_TEMPLATE. */
  template?: { name: string; language: string };
}

export const sealWhatsApp = (k: Keyring, s: StoredWhatsApp) => seal(k, JSON.stringify(s));
export const openWhatsApp = (k: Keyring, sealed: string) => JSON.parse(open(k, sealed)) as StoredWhatsApp;

/** What may be shown of the connection: no token, no secret. */
export const whatsAppSummary = (s: StoredWhatsApp) => ({
  phoneNumberId: s.phoneNumberId,
  apiBaseUrl: s.apiBaseUrl ?? 'https://graph.facebook.com',
  apiVersion: s.apiVersion ?? null,
  accessToken: `…${s.accessToken.slice(-4)}`,
  template: s.template ?? DEFAULT_APPROVAL_TEMPLATE,
});
