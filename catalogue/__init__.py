"""《百益宝藏》: the public catalogue of member organisations' service offerings."""
