"""HTTP for the caravan: the public page, staff planning, an organisation's booths."""
