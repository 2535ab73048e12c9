"""Stands in for ``rfc3987_syntax`` in the kernels coursekit starts (see coursekit._speedups).

jsonschema imports ``rfc3987_syntax`` only if it can; this module says it cannot, so the
kernels skip compiling its grammar. Never on the path of a student's own kernel.
"""

raise ImportError("rfc3987_syntax is left out of the kernels coursekit starts (speed-up)")
