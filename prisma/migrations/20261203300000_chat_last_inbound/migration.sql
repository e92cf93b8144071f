-- When a chat identity last wrote to the business (WhatsApp 24-hour customer-service window, issue 14).
ALTER TABLE "chat_identity" ADD COLUMN "last_inbound_at" TIMESTAMPTZ(3);
