-- Live platform accounts' credentials, sealed (AES-256-GCM); platform_account.credentials_ref names the row.
CREATE TABLE "platform_credential" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "sealed" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_credential_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "platform_credential_workspace_id_idx" ON "platform_credential"("workspace_id");
