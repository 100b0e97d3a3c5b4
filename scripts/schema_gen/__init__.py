"""The machinery of ``scripts/gen_schema.py``, which holds what to generate and the override
table: ``ir`` (the intermediate types), ``walker`` (SDK types -> IR), ``emitter`` (IR ->
Python source)."""
