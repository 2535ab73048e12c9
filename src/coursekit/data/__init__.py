"""coursekit.data (placeholder docstring, replaced by its owner)."""
