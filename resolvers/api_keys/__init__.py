"""The API keys domain: rules (create, revoke)."""
