"""Vocabulary (menu items, names, handle parts, devices) and stable author identities.

Authors are derived from an integer id so the same person keeps the same name, handle and
follower count across their posts without the generator storing a population.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from .templates_channels import alts


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
    "|butter croissant|cheese scone|lemon loaf|egg bite cup|avocado toast|morning bun"
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
DEVICES = alts(
    "iPhone 15|iPhone 13|iPhone SE|Pixel 8|Pixel 7a|Galaxy S24|Galaxy A54|iPad Air|OnePlus 12"
    "|Moto G"
)
# full_name() and handle() take 6-bit fields of the id: 64 entries each.
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


_NICKS = ("twitter", "instagram", "reddit", "tripadvisor", "app_store")
Person = tuple[str, str, str]
"""(author, reach, URL head for author-addressed posts)."""


@functools.lru_cache(maxsize=16)
def _skew(pool: int) -> list[int]:
    """Author ids by 14 random bits: id = pool * u**2, so low ids post far more often."""
    return [int(pool * (i / 16384) ** 2) for i in range(16384)]


class Authors:
    """Who writes on one channel: a skewed pool of ids (so some people post often) mapped
    to stable names or handles, cached because the same ids come back."""

    __slots__ = ("cache", "make", "offset", "skew", "stride")

    def __init__(self, group: str, source: str) -> None:
        self.offset, self.stride, pool = 0, 0, 20_000 if source in _NICKS else 4096
        self.cache: dict[int, Person] = {}
        self.make: Callable[[int], Person] = self._customer(source)
        if group == "pulse":  # ~30 staff per location answer the pulse
            self.stride = pool = 30
            self.make = lambda aid: (f"emp-{aid:04d}", "", "")
        elif group == "partner":  # one or two owners per franchise or account
            self.offset, self.stride, pool = 3001, 2, 2
            self.make = lambda aid: (full_name(aid), "", "")
        self.skew = _skew(pool)

    @staticmethod
    def _customer(source: str) -> Callable[[int], Person]:
        prefix = {"twitter": "@", "instagram": "@", "reddit": "u/"}.get(source)
        social = source in ("twitter", "instagram", "reddit", "facebook")

        def make(aid: int) -> Person:
            if source in _NICKS:
                nick = handle(aid)
                author = (prefix or "") + nick
            else:
                author = full_name(aid)
                if source in ("google_reviews", "yelp"):
                    author = author[: author.index(" ") + 2] + "."
            reach = url = ""
            if social:  # followers: log-uniform-ish, a few accounts with a big audience
                u = ((aid * 0x9E3779B1 + 0x7F4A7C15) & 0xFFFFFFFF) / 4294967296.0
                reach = str(int(10 ** (1.3 + 4.4 * u**2.5)) // (10 if source == "reddit" else 1))
            if source == "twitter":
                url = f"https://x.example.com/{nick}/status/"
            return author, reach, url

        return make
