"""The large, fictitious data set of ``manage.py seed_bench`` and the ``make bench`` harness.

One module per app it fills (``organisations``, ``events``, ``caravan``,
``festival``, ``ledger``, ``outbox``); ``seed.py`` runs them in order. Everything
written here is fictitious: names carry （虚构）, mobiles and e-mail addresses
are reserved (``.example``), credit codes use the ``MK`` organisation-code prefix.
"""
