"""Village ↔ county sync: protocol schemas, the outbox, the HTTP client and offline (USB) batch files."""
