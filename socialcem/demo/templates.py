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


def _lead(opener: str, clause: str) -> str:
    """Join opener and clause, starting a new sentence unless the opener runs on."""
    if not opener:
        return clause[0].upper() + clause[1:]
    if opener[-1] in ".!?":
        return f"{opener} {clause[0].upper()}{clause[1:]}"
    return f"{opener} {clause}"


class TextComposer:
    """Builds one comment per call from the tables, drawing only from ``rng``.

    The composer owns no state besides the random source, so the same draw sequence gives
    the same text; slot values are created lazily so unused slots cost no randomness.
    """

    def __init__(self, rng: Callable[[], float], brand: str) -> None:
        self._r = rng
        words = brand.split()
        short = words[0]
        self._brand_tags = (f"#{short}", f"#{''.join(words[:2])}", f"#{short}Love")
        handles = (f"@{''.join(words[:2])}", f"@{short.lower()}cafe", f"@{short}Help")
        r = rng

        def pick(seq: Sequence[str]) -> Callable[[], str]:
            return lambda: seq[int(r() * len(seq))]

        makers: dict[str, Callable[[], str]] = {
            "item": pick(ITEMS),
            "drink": pick(DRINKS),
            "food": pick(FOODS),
            "staff": pick(STAFF_NAMES),
            "handle": pick(handles),
            "brand": lambda: short,
            "minutes": lambda: str(8 + int(r() * 38)),
            "quick": lambda: str(2 + int(r() * 4)),
            "days": lambda: str(3 + int(r() * 19)),
            "weeks": lambda: str(2 + int(r() * 7)),
            "years": lambda: str(2 + int(r() * 9)),
            "order": lambda: f"#{100000 + int(r() * 900000)}",
            "price": lambda: "${}.{:02d}".format(*divmod(300 + int(r() * 900), 100)),
            "first": pick(FIRST_NAMES),
        }

        class Slots(dict[str, str]):
            """Slot values for one text, drawn on first use and then kept."""

            def __missing__(self, key: str) -> str:
                if key == "item2":  # a second item, never the same as ``item``
                    value = ITEMS[int(r() * len(ITEMS))]
                    if value == self.get("item"):
                        value = ITEMS[(ITEMS.index(value) + 1) % len(ITEMS)]
                else:
                    value = makers[key]()
                self[key] = value
                return value

        self.new_slots: type[dict[str, str]] = Slots
        """Call with the record's fixed slots (``loc``, ``weekday``, ``daypart``, ...)."""

    def _pick(self, seq: Sequence[str]) -> str:
        return seq[int(self._r() * len(seq))]

    def _second(self, pol: int, table: dict[str, Phrases], topics: Sequence[str]) -> str:
        """A follow-up sentence on another topic, usually with the same polarity."""
        r = self._r
        p2 = pol if r() < 0.6 else int(r() * 3)
        conn = self._pick(ch.SAME_CONNECTORS if p2 == pol else ch.CONTRAST_CONNECTORS)
        return _lead(conn, self._pick(table[self._pick(topics)][p2])) + "."

    def _social_bits(self, pol: int, topic: str, emojis: int, tags: int) -> list[str]:
        bits = ["".join(self._pick(ch.EMOJIS[pol]) for _ in range(emojis))]
        pools = (ch.HASHTAGS[pol], ch.TOPIC_TAGS[topic], self._brand_tags)
        bits.extend(self._pick(pools[i % 3]) for i in range(tags))
        return bits

    def _workforce(
        self,
        table: dict[str, Phrases],
        topics: Sequence[str],
        openers: Sequence[str],
        closers: ch.Tri,
        topic: str,
        pol: int,
        slots: dict[str, str],
    ) -> str:
        pick = self._pick
        parts = [_lead(pick(openers), pick(table[topic][pol])) + "."]
        if self._r() < 0.35:
            parts.append(self._second(pol, table, topics))
        parts.append(pick(closers[pol]))
        return " ".join(p for p in parts if p).format_map(slots)

    def compose(
        self,
        kind: str,
        topic: str,
        pol: int,
        venue: int,
        topics: Sequence[str],
        slots: dict[str, str],
    ) -> str:
        """Text for one item; ``kind`` is a source name, ``"pulse"`` or ``"partner"``."""
        r, pick = self._r, self._pick
        if kind == "pulse":
            table, openers, closers = EMPLOYEE_PHRASES, PULSE_OPENERS, PULSE_CLOSERS
            return self._workforce(table, EMPLOYEE_TOPICS, openers, closers, topic, pol, slots)
        if kind == "partner":
            table, openers, closers = PARTNER_PHRASES, PARTNER_OPENERS, PARTNER_CLOSERS
            return self._workforce(table, PARTNER_TOPICS, openers, closers, topic, pol, slots)
        core = pick(CUSTOMER_PHRASES[topic][pol])
        long_form = kind not in ("twitter", "instagram", "chat", "support_ticket")
        lead_in = pick(ch.CONTEXTS[venue]) if r() < 0.35 else ""
        second = self._second(pol, CUSTOMER_PHRASES, topics) if long_form and r() < 0.4 else ""
        if kind == "twitter":
            where = " at {loc}" if venue == PHYSICAL and r() < 0.25 else ""
            parts = [
                _lead(pick(ch.TWEET_PREFIXES[pol]), core) + where,
                pick(ch.TWEET_SUFFIXES[pol]),
                *self._social_bits(pol, topic, int(r() * 3), int(r() * 3)),
            ]
        elif kind == "instagram":
            parts = [
                _lead(pick(ch.INSTAGRAM_PREFIXES[pol]), core),
                *self._social_bits(pol, topic, 1 + int(r() * 3), 2 + int(r() * 3)),
            ]
        elif kind == "facebook":
            emoji = pick(ch.EMOJIS[pol]) if r() < 0.4 else ""
            parts = [
                pick(ch.FACEBOOK_OPENERS[pol]),
                lead_in,
                _lead("", core) + ".",
                second,
                pick(ch.SURVEY_CLOSERS[pol]),
                emoji,
            ]
        elif kind == "reddit":
            where = " at the {loc} location" if venue == PHYSICAL and r() < 0.5 else ""
            parts = [
                _lead(pick(ch.REDDIT_OPENERS[pol]), core) + where + ".",
                lead_in,
                second,
                pick(ch.REDDIT_CLOSERS[pol]),
            ]
        elif kind == "app_store":
            parts = [
                _lead(pick(ch.APP_OPENERS[pol]), core) + ".",
                second,
                pick(ch.APP_CLOSERS[pol]),
            ]
        elif kind in ("google_reviews", "yelp", "tripadvisor"):
            if kind == "tripadvisor" and r() < 0.7:
                lead_in = pick(ch.TRAVEL_CONTEXTS)
            parts = [
                lead_in or (pick(ch.CONTEXTS[venue]) if r() < 0.4 else ""),
                _lead("", core) + ".",
                second,
                pick(ch.REVIEW_CLOSERS[pol]),
            ]
        elif kind == "support_ticket":
            parts = [
                _lead(pick(ch.TICKET_OPENERS[pol]), core) + ".",
                lead_in,
                pick(ch.SUPPORT_ASKS[pol]),
            ]
        elif kind == "chat":
            parts = [pick(ch.CHAT_OPENERS[pol]), core + ".", pick(ch.CHAT_ASKS[pol])]
        elif kind == "email":
            parts = [
                pick(ch.EMAIL_GREETINGS),
                lead_in,
                _lead("", core) + ".",
                second,
                pick(ch.SUPPORT_ASKS[pol]),
                pick(ch.EMAIL_SIGNOFFS),
            ]
        else:  # survey comment
            parts = [
                lead_in,
                _lead(pick(ch.SURVEY_OPENERS[pol]), core) + ".",
                second,
                pick(ch.SURVEY_CLOSERS[pol]),
            ]
        return " ".join(p for p in parts if p).format_map(slots)
