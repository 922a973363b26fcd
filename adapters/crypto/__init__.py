"""SecretCipher adapters (dagy.application.ports.crypto)."""
