"""The console pages of review, compliance and victim protection.

Thin, as the API is: each view reads through ``backend.compliance.selectors`` and writes through
``backend.compliance.services``, so a rule holds in the browser exactly as over the API. A page a
role does not open, and an object outside the user's scope, answer 404.
"""
