"""Vocabulary and the text composer that turns (channel, topic, polarity) into a comment.

Texts are assembled from fragments (context, opener, core sentence, optional second
sentence, closer, emojis, hashtags) and lazily filled slots, so a million items are
mostly distinct strings while each one still reads like a single plausible comment.
The phrase tables live in ``templates_customer``, ``templates_channels`` and
``templates_workforce``; everything is original demo text.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

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
_FOLLOW = {  # follow-up sentences: (same polarity, contrasting polarity)
    name: (_frames(ch.SAME_CONNECTORS, table, "."), _frames(ch.CONTRAST_CONNECTORS, table, "."))
    for name, table in (("customer", _C), ("pulse", _E), ("partner", _P))
}
_NO_CLOSER: ch.Tri = (("",), ("",), ("",))
PLAIN, TWEET, INSTAGRAM, REDDIT, FACEBOOK, EMAIL, TRAVEL = range(7)
Kind = tuple[Frames, float, float, ch.Tri, int, tuple[Frames, Frames], tuple[str, ...]]
"""Frames, P(context sentence), P(follow-up), closers, mode, follow-ups, follow-up topics
(empty: the caller's)."""


def _kind(
    frames: Frames, context: float, follow: float, closers: ch.Tri, mode: int = PLAIN
) -> Kind:
    return frames, context, follow, closers, mode, _FOLLOW["customer"], ()


_KINDS: dict[str, Kind] = {
    "survey": _kind(_frames(ch.SURVEY_OPENERS, _C, "."), 0.35, 0.4, ch.SURVEY_CLOSERS),
    "twitter": _kind(_frames(ch.TWEET_PREFIXES, _C, ""), 0, 0, ch.TWEET_SUFFIXES, TWEET),
    "instagram": _kind(_frames(ch.INSTAGRAM_PREFIXES, _C, ""), 0, 0, _NO_CLOSER, INSTAGRAM),
    "facebook": _kind(_PLAIN, 0.35, 0.4, ch.SURVEY_CLOSERS, FACEBOOK),
    "reddit": _kind(_frames(ch.REDDIT_OPENERS, _C, ""), 0.35, 0.5, ch.REDDIT_CLOSERS, REDDIT),
    "google_reviews": _kind(_PLAIN, 0.6, 0.45, ch.REVIEW_CLOSERS),
    "yelp": _kind(_PLAIN, 0.6, 0.45, ch.REVIEW_CLOSERS),
    "tripadvisor": _kind(_PLAIN, 0.75, 0.45, ch.REVIEW_CLOSERS, TRAVEL),
    "app_store": _kind(_frames(ch.APP_OPENERS, _C, "."), 0, 0.4, ch.APP_CLOSERS),
    "support_ticket": _kind(_frames(ch.TICKET_OPENERS, _C, "."), 0.35, 0, ch.SUPPORT_ASKS),
    "chat": _kind(_frames(ch.CHAT_OPENERS, _C, "."), 0, 0, ch.CHAT_ASKS),
    "email": _kind(_PLAIN, 0.35, 0.4, ch.SUPPORT_ASKS, EMAIL),
    "pulse": (_frames(PULSE_OPENERS, _E, "."), 0, 0.35, PULSE_CLOSERS, PLAIN, _FOLLOW["pulse"],
              EMPLOYEE_TOPICS),
    "partner": (_frames(PARTNER_OPENERS, _P, "."), 0, 0.3, PARTNER_CLOSERS, PLAIN,
                _FOLLOW["partner"], PARTNER_TOPICS),
}  # fmt: skip
_RANGES = {
    "minutes": (8, 38), "quick": (2, 4), "days": (3, 19), "weeks": (2, 7), "years": (2, 9),
}  # fmt: skip
_CONTEXT_SLOTS = {"loc": 0, "weekday": 1, "daypart": 2, "first": 3}


class TextComposer:
    """Builds one comment per call from precomputed frames, drawing only from ``rng``.

    Same draw sequence, same text.  The hot path is one method with inline draws because
    it runs millions of times; slot values are drawn lazily, so a fragment without
    placeholders costs no randomness.
    """

    def __init__(self, rng: random.Random, brand: str) -> None:
        self._r, self._g = rng.random, rng.getrandbits
        words = brand.split()
        short = words[0]
        self._decorations = self._decorate((f"#{short}", f"#{''.join(words[:2])}", f"#{short}Love"))
        handles = (f"@{''.join(words[:2])}", f"@{short.lower()}cafe", f"@{short}Help")
        g = rng.getrandbits

        class Bank(dict[str, str]):
            """One joint draw of every slot; order numbers stay fresh per text."""

            def __missing__(self, key: str) -> str:
                if key != "order":
                    raise KeyError(key)
                return f"#{100000 + g(24) % 900000}"

        def bank() -> Bank:
            item, cents = g(24) % 40, 300 + g(24) % 900
            ranges = {key: str(low + g(24) % span) for key, (low, span) in _RANGES.items()}
            return Bank(
                item=ITEMS[item],
                item2=ITEMS[(item + 1 + g(24) % 39) % 40],  # never the same as item
                food=FOODS[g(24) % len(FOODS)],
                drink=DRINKS[g(24) % len(DRINKS)],
                staff=STAFF_NAMES[g(24) % len(STAFF_NAMES)],
                handle=handles[g(24) % 3],
                price=f"${cents // 100}.{cents % 100:02d}",
                brand=short,
                **ranges,
                **{key: f"{{{key}}}" for key in _CONTEXT_SLOTS},  # filled per record later
            )

        self._banks = [bank() for _ in range(4096)]

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
        follow-up sentence may use.  ``loc``, ``when`` (weekday, daypart) and ``first`` (the
        author's first name, or "" for a random one) fill the matching slots.
        """
        r, g = self._r, self._g  # g(24) % len(seq): a uniform pick, bias below 1e-5
        frames, p_context, p_follow, closers, mode, follow, follow_topics = _KINDS[kind]
        seq = frames[topic][pol]
        frame = seq[g(24) % len(seq)]
        lead = second = ""
        if p_context:
            x = r()
            if x < p_context:
                seq = ch.TRAVEL_CONTEXTS if mode == TRAVEL else ch.CONTEXTS[venue]
                lead = seq[int(x / p_context * len(seq))]
        if p_follow:
            x = r()
            if x < p_follow:  # another topic, same polarity 60% of the time
                u = x / p_follow
                other = pol if u < 0.6 else int((u - 0.6) * 7.5)
                pool = follow_topics or topics
                seq = follow[other != pol][pool[g(24) % len(pool)]][other]
                second = seq[g(24) % len(seq)]
        seq = closers[pol]
        closer = seq[g(24) % len(seq)]
        if mode:
            if mode <= INSTAGRAM:  # TWEET or INSTAGRAM
                x = r()
                if venue == PHYSICAL and x < 0.3:
                    frame += " at {loc}"
                seq = self._decorations[mode == INSTAGRAM][pol][topic]
                tail = seq[g(24) % len(seq)]
                closer = f"{closer} {tail}" if closer and tail else closer or tail
            elif mode == REDDIT:
                frame += " at the {loc} location." if venue == PHYSICAL and r() < 0.5 else "."
            elif mode == FACEBOOK:
                if r() < 0.4:
                    seq = ch.EMOJIS[pol]
                    closer = f"{closer} {seq[g(24) % len(seq)]}" if closer else seq[0]
            elif mode == EMAIL:
                greeting, signoff = ch.EMAIL_GREETINGS, ch.EMAIL_SIGNOFFS
                lead = f"{greeting[g(24) % len(greeting)]} {lead}"
                closer = f"{closer} {signoff[g(24) % len(signoff)]}"
        text = " ".join(filter(None, (lead, frame, second, closer)))
        if "{" not in text:
            return text
        # Slots are filled from one of 4,096 prebuilt joint draws (a dict lookup per slot in
        # C, no Python call); the record's own context goes in a second, rarer pass.
        text = text.format_map(self._banks[self._g(12)])
        if "{" not in text:
            return text
        first = first or FIRST_NAMES[self._g(6)]
        return text.format_map({"loc": loc, "weekday": when[0], "daypart": when[1], "first": first})

    @staticmethod
    def _decorate(brand_tags: tuple[str, ...]) -> list[list[dict[str, tuple[str, ...]]]]:
        """Emoji-and-hashtag tails per (instagram?, polarity, topic), drawn once from a fixed
        seed: 64 variants each is plenty next to the other fragments."""
        rng = random.Random("socialcem-demo-decorations")
        out: list[list[dict[str, tuple[str, ...]]]] = []
        for more in (0, 1):
            per_pol = []
            for pol in range(3):
                emojis, per_topic = ch.EMOJIS[pol], {}
                for topic, tags in ch.TOPIC_TAGS.items():
                    pools = (ch.HASHTAGS[pol], tags, brand_tags)
                    variants = []
                    for _ in range(64):
                        bits = ["".join(rng.choice(emojis) for _ in range(more + rng.randrange(3)))]
                        bits += [
                            rng.choice(pools[i % 3]) for i in range(2 * more + rng.randrange(3))
                        ]
                        variants.append(" ".join(filter(None, bits)))
                    per_topic[topic] = tuple(variants)
                per_pol.append(per_topic)
            out.append(per_pol)
        return out
