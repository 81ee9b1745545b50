"""The domain: report lifecycle, routing, service levels and catalogue.

Plain async functions over db/; no HTTP, no Telegram. api/, bot/ and scheduler/ call in here.
"""
