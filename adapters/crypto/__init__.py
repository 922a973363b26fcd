"""SecretCipher adapters (application.ports.crypto)."""
