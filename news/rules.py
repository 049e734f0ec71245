"""Who may write and publish news and notices (django-rules; superusers pass every check)."""

import rules

from federation.rules import is_federation_staff

is_news_editor = is_federation_staff

# Write, publish and withdraw news items and notices (the admin asks the same rule).
rules.add_perm("news.manage_article", is_news_editor)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"news.{action}_article", is_news_editor)
