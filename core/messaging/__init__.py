"""The outbox every message goes through, who it reaches, receipts, the daily digest."""
