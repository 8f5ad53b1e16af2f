"""The development plan: from « à développer » to decisions, their review and the team's dialogue.

``services`` writes, ``queries`` reads, ``views`` the pages, ``exports`` the PDF/CSV/iCalendar,
``review`` the review at the next self-assessment, ``reminders`` the opt-in e-mails.
"""
