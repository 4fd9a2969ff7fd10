"""Accounts: two-factor sign-in, the read audit, sign-in hardening, security headers and
clinic administration (README, "Accounts and security")."""
