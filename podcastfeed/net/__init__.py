"""HTTP: the session and whole answers (fetch.py), the overall deadline per request
(deadline.py), limits and masked URLs (limits.py), error wording (httperrors.py), notify.
"""
