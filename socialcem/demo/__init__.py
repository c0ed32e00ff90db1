"""A seeded synthetic brand and its multi-channel feedback, with planted effects.

Used by ``socialcem demo`` and the tests: realistic volume and text without shipping any
real customer data, and known ground truth (``DemoBrand.planted``) to check reports.
"""

from __future__ import annotations

from .generator import DemoBrand, generate_brand, write_csv, write_jsonl

__all__ = ["DemoBrand", "generate_brand", "write_csv", "write_jsonl"]
