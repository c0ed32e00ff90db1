"""Vocabulary and the text composer that turns (channel, topic, polarity) into a comment.

Texts are assembled from fragments (context, opener, core sentence, optional second
sentence, closer, emojis, hashtags) and lazily filled slots, so a million items are
mostly distinct strings while each one still reads like a single plausible comment.
The phrase tables live in ``templates_customer``, ``templates_channels`` and
``templates_workforce``; everything is original demo text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import templates_channels as ch
from .templates_channels import alts
from .templates_customer import CUSTOMER_PHRASES, Phrases
from .templates_workforce import (
    EMPLOYEE_PHRASES,
    PARTNER_CLOSERS,
    PARTNER_OPENERS,
    PARTNER_PHRASES,
    PULSE_CLOSERS,
    PULSE_OPENERS,
)

TOPICS: tuple[str, ...] = tuple(CUSTOMER_PHRASES)
POLARITIES = ("positive", "mixed", "negative")
POSITIVE, MIXED, NEGATIVE = 0, 1, 2
PHYSICAL, ONLINE, WHOLESALE = 0, 1, 2
"""Venue of a location, picks context sentences and the topics that make sense there."""


def _words(spec: str) -> tuple[str, ...]:
    return tuple(spec.split())


DRINKS = alts(
    "oat latte|flat white|cold brew|cortado|vanilla latte|chai latte|matcha latte|mocha"
    "|americano|cappuccino|honey lavender latte|iced caramel latte|drip coffee|hot chocolate"
    "|espresso tonic|london fog|nitro cold brew|peppermint mocha|turmeric latte"
    "|maple oat shaken espresso"
)
FOODS = alts(
    "almond croissant|blueberry muffin|cinnamon roll|breakfast sandwich|banana bread"
    "|butter croissant|cheese scone|lemon loaf|egg bites|avocado toast|morning bun"
    "|pain au chocolat|everything bagel|spinach feta wrap|chocolate chip cookie"
    "|raspberry danish|ham and cheese croissant|oatmeal bowl|sourdough toast|pumpkin loaf"
)
ITEMS = DRINKS + FOODS
STAFF_NAMES = _words(
    "Maya Jordan Luis Priya Sam Aiko Marcus Elena Tomás Grace Omar Hannah Diego Keisha Noah"
    " Sofia Ravi Chloe Andre Mei Jonas Fatima Ethan Zoe Kwame Lena Mateo Ana Felix Ines Tariq"
    " Ruby Hugo Nadia Owen Leila Caleb Yuki Isaac Amara"
)
FIRST_NAMES = _words(
    "Alex Bea Carlos Dana Eli Farah Gabe Hana Ivan Jess Kai Lucia Mo Nina Oscar Pia Quinn Rosa"
    " Sean Tara Uma Vik Wendy Xavier Yara Zack Aaron Bianca Chen Deepa Erik Fiona Gus Helen"
    " Imani Joel Kira Liam Mira Nate Olga Paulo Rina Simone Theo Ursula Vera Will Ximena Yusuf"
    " Zara Ben Cleo Dev Emma Finn Gloria Hector Iris Jamal Kate Leo Mona Nils"
)
LAST_NAMES = _words(
    "Abbott Baker Castillo Dubois Evans Fischer Garcia Hughes Ito Jensen Kowalski Lopez Mendes"
    " Nguyen Okafor Patel Quinlan Rossi Schmidt Tanaka Umar Varga Walsh Xu Young Zhou Adler"
    " Brennan Chavez Daley Ekström Fontaine Gill Haddad Ibarra Joshi Kim Lindqvist Moreau"
    " Novak Olsen Park Reyes Silva Turner Usman Vance Weber Yilmaz Ziegler Murphy Cohen Bauer"
    " Sato Mensah Ortiz Price Rahman Stone Torres Wong Hart Lund Costa"
)
HANDLE_WORDS = _words(
    "latte bean sunny urban quiet mocha pixel river maple coastal cosmic daily indie rainy"
    " salty velvet wander brew crumb fox owl biker runner chef nomad reader gamer hiker mama"
    " papa coder artist tiny big lazy happy grumpy sleepy wild north south city metro retro"
    " neon golden silver midnight early late bird wolf cat dog moon star cloud storm cedar"
    " pine oat espresso foam toast"
)
assert len(FIRST_NAMES) == len(LAST_NAMES) == len(HANDLE_WORDS) == 64

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAYPARTS = (
    ("late last night",) * 5
    + ("this morning",) * 6
    + ("at lunch",) * 3
    + ("this afternoon",) * 3
    + ("this evening",) * 5
    + ("late last night",) * 2
)
"""Phrase for each UTC hour 0..23, used by the ``{daypart}`` slot."""

_MIX = 2654435761
EMPLOYEE_TOPICS: tuple[str, ...] = tuple(EMPLOYEE_PHRASES)
PARTNER_TOPICS: tuple[str, ...] = tuple(PARTNER_PHRASES)


def full_name(author_id: int) -> str:
    """A stable "First Last" for an author id (4,096 combinations, so names repeat)."""
    return f"{FIRST_NAMES[author_id % 64]} {LAST_NAMES[(author_id >> 6) % 64]}"


def handle(author_id: int) -> str:
    """A stable social handle for an author id, in one of four common shapes."""
    x = (author_id * _MIX + 0x5BD1E995) & 0xFFFFFFFF
    a, b = HANDLE_WORDS[(x >> 2) % 64], HANDLE_WORDS[(x >> 8) % 64]
    num, style = (x >> 14) % 100, x & 3
    if style == 0:
        return f"{a}{b}{num}"
    if style == 1:
        return f"{a}_{b}"
    if style == 2:
        return f"{FIRST_NAMES[(x >> 21) % 64].lower()}.{b}"
    return f"{b}{a.capitalize()}{num + 1900}"


Frames = dict[str, tuple[tuple[str, ...], ...]]
"""Per topic and polarity, every opener already joined to every core clause."""


def _join(opener: str, clause: str) -> str:
    """Opener then clause; the clause starts a sentence unless the opener runs on."""
    if not opener:
        return clause[0].upper() + clause[1:]
    if opener[-1] in ".!?":
        return f"{opener} {clause[0].upper()}{clause[1:]}"
    return f"{opener} {clause}"


def _frames(openers: ch.Tri | tuple[str, ...], table: dict[str, Phrases], end: str) -> Frames:
    """Precompute opener x clause so the hot path picks one string instead of joining."""
    per_pol = openers if isinstance(openers[0], tuple) else (openers,) * 3
    return {
        topic: tuple(
            tuple(_join(o, c) + end for o in per_pol[pol] for c in phrases[pol]) for pol in range(3)
        )
        for topic, phrases in table.items()
    }


_C, _E, _P = CUSTOMER_PHRASES, EMPLOYEE_PHRASES, PARTNER_PHRASES
_PLAIN = _frames(("",), _C, ".")
_FRAMES: dict[str, Frames] = {
    "survey": _frames(ch.SURVEY_OPENERS, _C, "."),
    "twitter": _frames(ch.TWEET_PREFIXES, _C, ""),
    "instagram": _frames(ch.INSTAGRAM_PREFIXES, _C, ""),
    "reddit": _frames(ch.REDDIT_OPENERS, _C, ""),
    "app_store": _frames(ch.APP_OPENERS, _C, "."),
    "support_ticket": _frames(ch.TICKET_OPENERS, _C, "."),
    "chat": _frames(ch.CHAT_OPENERS, _C, "."),
    "pulse": _frames(PULSE_OPENERS, _E, "."),
    "partner": _frames(PARTNER_OPENERS, _P, "."),
    **dict.fromkeys(("facebook", "google_reviews", "yelp", "tripadvisor", "email"), _PLAIN),
}
_SECOND = {  # table -> (same polarity, contrasting polarity) follow-up sentences
    name: (_frames(ch.SAME_CONNECTORS, table, "."), _frames(ch.CONTRAST_CONNECTORS, table, "."))
    for name, table in (("customer", _C), ("pulse", _E), ("partner", _P))
}
_SECOND_P = {"survey": 0.4, "facebook": 0.4, "reddit": 0.5, "app_store": 0.4, "email": 0.4}
_SECOND_P |= {"google_reviews": 0.45, "yelp": 0.45, "tripadvisor": 0.45}
_SECOND_P |= {"pulse": 0.35, "partner": 0.3}
_SECOND_TOPICS = {"pulse": EMPLOYEE_TOPICS, "partner": PARTNER_TOPICS}
_RANGES = {"quick": (2, 4), "days": (3, 19), "weeks": (2, 7), "years": (2, 9)}
_CONTEXT_SLOTS = {"loc": 0, "weekday": 1, "daypart": 2, "first": 3}
_CONTEXT_P = {"survey": 0.35, "facebook": 0.35, "reddit": 0.35, "support_ticket": 0.35}
_CONTEXT_P |= {"email": 0.35, "google_reviews": 0.6, "yelp": 0.6, "tripadvisor": 0.75}
_CLOSERS: dict[str, ch.Tri] = {
    "survey": ch.SURVEY_CLOSERS,
    "facebook": ch.SURVEY_CLOSERS,
    "twitter": ch.TWEET_SUFFIXES,
    "reddit": ch.REDDIT_CLOSERS,
    "app_store": ch.APP_CLOSERS,
    "support_ticket": ch.SUPPORT_ASKS,
    "email": ch.SUPPORT_ASKS,
    "chat": ch.CHAT_ASKS,
    "pulse": PULSE_CLOSERS,
    "partner": PARTNER_CLOSERS,
    **dict.fromkeys(("google_reviews", "yelp", "tripadvisor"), ch.REVIEW_CLOSERS),
}


class TextComposer:
    """Builds one comment per call from precomputed frames, drawing only from ``rng``.

    Same draw sequence, same text.  The hot path is one method with inline draws because
    it runs millions of times; slot values are drawn lazily, so a fragment without
    placeholders costs no randomness.
    """

    def __init__(self, rng: Callable[[], float], brand: str) -> None:
        self._r = r = rng
        words = brand.split()
        short = words[0]
        self._brand_tags = (f"#{short}", f"#{''.join(words[:2])}", f"#{short}Love")
        handles = (f"@{''.join(words[:2])}", f"@{short.lower()}cafe", f"@{short}Help")
        ctx = self._ctx = ["", "", "", ""]  # loc, weekday, daypart, first name

        class Slots(dict[str, str]):
            """Slot values for one text, drawn on first use and then kept."""

            def __missing__(self, key: str) -> str:
                x = r()
                if key == "item" or key == "item2":  # item2 is never the same as item
                    value = ITEMS[int(x * 40)]
                    if key == "item2" and value == self.get("item"):
                        value = ITEMS[(int(x * 40) + 1) % 40]
                elif key == "food":
                    value = FOODS[int(x * len(FOODS))]
                elif key == "drink":
                    value = DRINKS[int(x * len(DRINKS))]
                elif key == "staff":
                    value = STAFF_NAMES[int(x * len(STAFF_NAMES))]
                elif key == "handle":
                    value = handles[int(x * 3)]
                elif key == "minutes":
                    value = str(8 + int(x * 38))
                elif key == "price":
                    value = "${}.{:02d}".format(*divmod(300 + int(x * 900), 100))
                elif key == "order":
                    value = f"#{100000 + int(x * 900000)}"
                elif key in _RANGES:
                    low, span = _RANGES[key]
                    value = str(low + int(x * span))
                elif key == "brand":
                    value = short
                else:  # the record's own context; KeyError for unknown slots
                    value = ctx[_CONTEXT_SLOTS[key]] or FIRST_NAMES[int(x * 64)]
                self[key] = value
                return value

        self._slots = Slots

    def compose(
        self,
        kind: str,
        topic: str,
        pol: int,
        venue: int,
        topics: Sequence[str],
        loc: str,
        when: tuple[str, str],
        first: str = "",
    ) -> str:
        """Text for one item.

        ``kind`` is a source name, ``"pulse"`` or ``"partner"``; ``pol`` 0/1/2 is
        positive/mixed/negative; ``venue`` picks context sentences; ``topics`` are those a
        second sentence may use.  ``loc``, ``when`` (weekday, daypart) and ``first`` (the
        author's first name, or "" for a random one) fill the matching slots.
        """
        r = self._r
        ctx = self._ctx
        ctx[0] = loc
        ctx[1], ctx[2] = when
        ctx[3] = first
        frames = _FRAMES[kind][topic][pol]
        frame = frames[int(r() * len(frames))]
        lead = second = ""
        x = r()
        p = _CONTEXT_P.get(kind, 0.0)
        if x < p:
            contexts = ch.TRAVEL_CONTEXTS if kind == "tripadvisor" else ch.CONTEXTS[venue]
            lead = contexts[int(x / p * len(contexts))]
        x = r()
        p = _SECOND_P.get(kind, 0.0)
        if x < p:
            second = self._second(kind, pol, topics, x / p)
        closers = _CLOSERS.get(kind)
        closer = closers[pol][int(r() * len(closers[pol]))] if closers else ""
        if kind == "twitter" or kind == "instagram" or kind == "reddit":
            x = r()
            if venue == 0 and x < 0.3:
                frame += " at the {loc} location" if kind == "reddit" else " at {loc}"
            if kind == "reddit":
                frame += "."
            else:
                closer = " ".join(filter(None, (closer, self._decorations(kind, topic, pol, x))))
        elif kind == "facebook" and r() < 0.4:
            closer += " " + ch.EMOJIS[pol][int(r() * len(ch.EMOJIS[pol]))]
        elif kind == "email":
            greetings, signoffs = ch.EMAIL_GREETINGS, ch.EMAIL_SIGNOFFS
            lead = " ".join(filter(None, (greetings[int(r() * 5)], lead)))
            closer += " " + signoffs[int(r() * len(signoffs))]
        text = " ".join(filter(None, (lead, frame, second, closer)))
        return text.format_map(self._slots()) if "{" in text else text

    def _second(self, kind: str, pol: int, topics: Sequence[str], u: float) -> str:
        """A follow-up on another topic; ``u`` (uniform) keeps the polarity 60% of the time."""
        same, contrast = _SECOND[kind if kind in _SECOND_TOPICS else "customer"]
        other = pol if u < 0.6 else int((u - 0.6) * 7.5)
        topics = _SECOND_TOPICS.get(kind, topics)
        frames = (same if other == pol else contrast)[topics[int(self._r() * len(topics))]][other]
        return frames[int(self._r() * len(frames))]

    def _decorations(self, kind: str, topic: str, pol: int, x: float) -> str:
        """Emojis and hashtags; instagram gets more of both."""
        r = self._r
        emojis, tags = ch.EMOJIS[pol], (ch.HASHTAGS[pol], ch.TOPIC_TAGS[topic], self._brand_tags)
        n_emoji, n_tags = int(x * 3), int(x * 9) % 3
        if kind == "instagram":
            n_emoji, n_tags = n_emoji + 1, n_tags + 2
        out = ["".join([emojis[int(r() * len(emojis))] for _ in range(n_emoji)])]
        for i in range(n_tags):
            pool = tags[i % 3]
            out.append(pool[int(r() * len(pool))])
        return " ".join(filter(None, out))
