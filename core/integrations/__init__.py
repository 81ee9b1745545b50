"""Other systems: Open311, department webhooks in and out, API keys, allowed targets."""
