"""Who reports: Telegram citizens, senders known by a contact, and the limits on them."""
