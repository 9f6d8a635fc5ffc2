"""The page's state: what the visitor chose (model), where it lives in the session (keys,
session) and how it travels in a link (urlstate)."""
