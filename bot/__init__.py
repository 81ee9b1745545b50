"""The Telegram door: conversations, texts (id, en) and delivery of Telegram notifications."""
