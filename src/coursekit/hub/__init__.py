"""A course JupyterHub on one machine: students as Unix users, the nbgrader exchange, the course.

``coursekit hub init DIR`` (:func:`coursekit.hub.setup.init_hub`) writes and checks everything;
``coursekit hub start`` / ``stop`` (:mod:`coursekit.hub.service`) run it on 127.0.0.1.
Importing this package imports nothing heavy.
"""

from __future__ import annotations

__all__: list[str] = []
