"""Use cases (业务): one transaction each, writing the audit entry and the sync outbox row in that transaction."""
