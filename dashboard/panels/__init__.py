"""One module per topic; each registers its panels with ``dashboard.registry``.

Missing until its app lands: street hubs (a hub user scoped to their street).
"""
