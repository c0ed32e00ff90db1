"""Aspects: which topics a text talks about, how each went, and themes no topic covers.

taxonomy = load_taxonomy()                      # or load_taxonomy(Path("mine.toml"))
aspect_sentiments("friendly staff but the wait was long", taxonomy)
# -> staff_service positive, wait_time negative
discover_themes(texts, taxonomy=taxonomy)       # clusters the texts no topic matched
"""

from socialcem.analysis.aspects.clauses import split_clauses
from socialcem.analysis.aspects.loader import load_taxonomy, parse_taxonomy
from socialcem.analysis.aspects.matcher import AspectMention, find_aspects
from socialcem.analysis.aspects.sentiment import (
    AspectSentiment,
    Polarity,
    aspect_sentiments,
    aspect_sentiments_many,
    vader_polarity,
)
from socialcem.analysis.aspects.taxonomy import Taxonomy, TaxonomyError, Topic
from socialcem.analysis.aspects.themes import Theme, discover_themes

__all__ = [
    "AspectMention",
    "AspectSentiment",
    "Polarity",
    "Taxonomy",
    "TaxonomyError",
    "Theme",
    "Topic",
    "aspect_sentiments",
    "aspect_sentiments_many",
    "discover_themes",
    "find_aspects",
    "load_taxonomy",
    "parse_taxonomy",
    "split_clauses",
    "vader_polarity",
]
