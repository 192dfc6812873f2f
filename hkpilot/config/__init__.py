"""Settings (user file), Policy (machine-wide, admin-locked) and secrets (keyring)."""
