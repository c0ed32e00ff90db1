"""Text analysis: classifiers behind one interface, chosen by name."""

from socialcem.analysis.base import DEFAULT_MODEL, Classifier, get_classifier

__all__ = ["DEFAULT_MODEL", "Classifier", "get_classifier"]
