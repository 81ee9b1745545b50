"""Staff: who acts (roles and actors), accounts and sign-in, passwords, their Telegram link."""
