"""coursekit.grading (placeholder docstring, replaced by its owner)."""
