"""coursekit.widgets (placeholder docstring, replaced by its owner)."""
