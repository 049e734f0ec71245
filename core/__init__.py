"""Shared, domain-free helpers: the bottom layer every app may import; it imports none of them."""
