"""One module per topic; each registers its panels with ``dashboard.registry``.

Missing until their apps land: the caravan (people served per service kind per
month; booths hosted), the festival (participants per edition, running total;
awards) and street hubs (a hub user scoped to their street).
"""
