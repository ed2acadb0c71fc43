"""A small shop application used as scan input in tests."""
