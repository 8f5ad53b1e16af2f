"""Accounts: sign-up, invitations, people management, lockouts and account deletion (``/comptes/``).

Users are ``django.contrib.auth`` users and roles are groups (``config.roles``); e-mailed links go
through ``config.links``; every change to a person is recorded as an admin ``LogEntry``.
"""
