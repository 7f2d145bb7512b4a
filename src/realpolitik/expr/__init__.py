"""The expression language: safe, vectorised arithmetic over the model's state.

Expressions are parsed with :mod:`ast` against a whitelist and compiled into NumPy
closures. User text is never passed to ``eval`` or ``exec``.
"""

from realpolitik.expr._compile import (
    FUNCTIONS,
    RANDOM_FUNCTIONS,
    RESERVED_NAMES,
    Expression,
    compile_expression,
    date_ordinal,
)

__all__ = ["FUNCTIONS", "RANDOM_FUNCTIONS", "RESERVED_NAMES", "Expression", "compile_expression", "date_ordinal"]
