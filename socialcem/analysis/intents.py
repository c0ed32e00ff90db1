"""Intents of customer text: complaint, praise, question, suggestion, purchase intent, churn risk.

Public labelled data exists for complaints and suggestions; none for praise, questions or
churn, and for purchase intent only a small set whose labels mark brand enthusiasm rather than
sales leads (a head trained on it scored F1 0.33 on its own held-out tweets). So trained heads
score complaint and suggestion, and transparent phrase rules cover the rest (and add the
suggestion phrasings of customer feedback that the forum-sentence training set lacks).
Every score is in [0, 1] and an intent is tagged at 0.5: a model probability is rescaled
piecewise-linearly so that its tuned threshold lands on 0.5; a rule scores 1.0 when it
fires, a weak rule 0.75 (0.25 where the text is not negative).
English only: other languages mostly get no tag, or "question" from a question mark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from socialcem.analysis.base import MAX_ANALYSED_CHARS
from socialcem.analysis.linear_model import LinearModel, load_model
from socialcem.analysis.vader_fast import FastVader

INTENTS = ("complaint", "praise", "question", "suggestion", "purchase_intent", "churn_risk")
MODEL_HEADS = ("complaint", "suggestion")
MODEL_DIR = Path(__file__).with_name("models") / "intents"
TAGGED = 0.5
WEAK = 0.75
# Praise needs a clause at least this positive (VADER compound): "good" alone scores 0.44.
PRAISE_CLAUSE = 0.3
PRAISE_TEXT = 0.6
NEGATIVE_TEXT = -0.3


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


_URL_OR_MENTION = re.compile(r"https?://\S+|www\.\S+|@\w+")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_CLAUSE = re.compile(r"[,;:]|\s[-–]\s|\b(?:but|however|although|though|except)\b")
_LEAD = re.compile(r"^(?:(?:hi|hello|hey|dear|ok|okay|so|and|also|q|quick question)\b\W*)+")
_SIGNOFF = re.compile(r"\b(?:(?:kind|best|warm) (?:regards|wishes)|all the best)\b")
_AUX = r"(?:is|are|can|could|will|would|should|shall|may|might)"
_DO_AUX = r"(?:do|does|did|has|have)"
_WH_AUX = r"(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have)"
_PRONOUN = r"(?:i|you|u|we|they|he|she|it|there|anyone|anybody)"
_SUBJ = rf"(?:{_PRONOUN}|this|that|these|those|the|my|your|our)"
_OPENER = re.compile(
    rf"^(?:(?:what|when|where|which|who|why|how)(?:\s+{_WH_AUX}|'s|'re)\b(?<!which is)"
    rf"|(?:what|which)\s+\w+\s+(?:{_WH_AUX}|includes?|comes?|offers?|costs?)\b"
    r"|how\s+(?:much|many|long|far|often|soon|come)\b"
    rf"|{_AUX}(?:n't)?\s+{_SUBJ}\b|{_DO_AUX}(?:n't)?\s+{_PRONOUN}\b)"
)
_ASKS = _rx(
    r"\b(?:wonder(?:ing)?|(?:want|wanted|need|like|love) to know|any ?(?:one|body) know)\b",
    r"\bany idea\b|\bcan (?:you|u|someone) (?:tell|let) me\b|\bis there (?:a|any) way\b",
    r"\blet me know (?:if|when|how|what|whether|where|why)\b",
    r"\bnot sure (?:if|whether|how|what|where|when)\b",
)
_RHETORICAL = _rx(
    r"\?!|!\?|\b(?:how dare|who cares|what the (?:hell|heck|f\w*)|are you (?:kidding|serious))\b",
    r"\bis this (?:a|some kind of) joke\b|^(?:really|seriously)\W*$",
)
_DO = r"(?:add|make(?! sure)|bring|offer|consider|introduce|include|allow|open|extend|stock|start|"
_DO += r"hire|create|improve|support|sell|build|implement|enable|let (?:us|users|customers|people))"
_SUGGEST = _rx(
    r"\b(?:would|could|'d) (?:really |definitely )?be (?:so |really |very )?(?:nice|great|good|"
    r"better|helpful|awesome|ideal|useful|cool|amazing|lovely|handy)\b",
    r"\b(?:would|could|'d) (?:really )?help\b|\b(?:would|'d) love (?:to see|it if|if|for)\b",
    r"\bi wish\b|\bif only\b",
    rf"\b(?:you|they|we|u|y'all|you guys) (?:really |seriously |definitely )?"
    rf"(?:should|could|ought to|need to|needs to|must) (?:also |really |just )?{_DO}\b",
    r"\b(?:you|they|u|y'all|you guys) (?:really )?need (?:a|an|more|better|proper|some)\b",
    rf"\b(?:please|pls|plz|kindly) (?:also )?(?:{_DO}|bring back)\b",
    rf"^(?:please )?(?:{_DO}|bring back) (?:a|an|more|some|the|back|in|support|option)\b",
    r"^more \w+(?: \w+)? (?:please|pls|plz)\b",
    r"\b(?:i|we|i'd|we'd|my|a|one|small|quick) suggest(?:ion|ions)?\b|^suggestions?\b",
    r"\brecommend (?:that you|adding|putting|having|making|offering|using)\b",
    r"^(?:why not|why don't you|how about|what about (?:adding|having|a|an|some))\b",
    rf"\b(?:could|can|would|will) (?:you|u|they) (?:please )?(?:{_DO}|bring back)\b",
    r"\bshould be (?:moved|added|made|offered|extended|included|allowed|easier|cheaper|longer|"
    r"clearer|bigger|faster|optional)\b",
    r"\b(?:maybe|perhaps) (?:you could |you should )?(?:use|try|add|offer|open|make|get|hire)\b",
    r"\bconsider (?:adding|offering|opening|making|having|using|a|an|more|some)\b",
)
_BUY = r"(?:buy|purchase|order|pre-?order|book|reserve|upgrade|subscribe|sign up|get one|get these)"
_PURCHASE = _rx(
    r"\bwhere (?:can|could|do|should) (?:i|we|you|one) (?:buy|get|purchase|order|pick up)\b",
    rf"\b(?:want|wanna|would like|'d like|looking|planning|plan|going|gonna|ready|hoping|about|"
    rf"keen|trying|intend|intending) to {_BUY}\b",
    r"\b(?:thinking|considering|thought) (?:of |about )?(?:buying|getting|ordering|purchasing|"
    r"upgrading|booking|subscribing|signing up)\b",
    r"\binterested in (?:buying|getting|ordering|purchasing|booking|upgrading|signing|the|your|"
    r"a|an|this|these)\b",
    r"\bhow much (?:is|are|does|do|for|would|will|to)\b",
    r"\bwhat(?:'s| is| are) the (?:price|prices|cost|rate|rates)\b|\bquote for\b|\ba quote\b",
    r"\b(?:do|does|can|will) (?:you|u|it|they) (?:ship|deliver|post) (?:to|internationally|"
    r"overseas|abroad)\b|\b(?:do|does) (?:you|u|they) (?:sell|stock|carry)\b",
    r"\b(?:do|does) (?:you|u|they) (?:have|got) [^.?!]{0,40}\bin (?:size|small|medium|large|"
    r"xs|xl|xxl|black|white|blue|red|green|gr[ae]y|pink|navy)\b",
    r"\b(?:back in|in) stock\b|\brestock|\bpre-?order",
    r"\b(?:any|got any|are there any|is there a|is there any) (?:deals?|discounts?|offers?|"
    r"promos?|promo codes?|coupons?)\b|\bbulk (?:price|pricing|discount|order|rate)\b",
    rf"\b(?:can|could|may) (?:i|we) (?:still )?{_BUY}\b|\bhow (?:do|can|could) (?:i|we) {_BUY}\b",
    r"\btake my money\b|\bneed (?:this|these|that|those|one|it|them) (?:in my life|asap|so bad)",
    r"\b(?:go on sale|be released|launch|release date)\b.*\?",
)
_CHURN = _rx(
    r"\bcancel(?:l?ing|l?ed|s)? (?:my|our|the|this) (?:subscription|sub|account|membership|"
    r"contract|plan|service|policy|direct debit|line)\b",
    r"\b(?:close|closing|closed|delete|deleting|deleted|terminate|terminating|end|ending) "
    r"(?:my|our) (?:account|subscription|membership|contract|profile|policy)\b",
    r"\bnever\b(?:\W+\w+){0,5}?\W+again\b",
    r"\b(?:won't|will not|wont|not going to|never going to) (?:be )?(?:back|coming back|"
    r"returning|return|renewing|renew|come back|using (?:you|this|your)|recommending)\b",
    r"\b(?:not|no longer) (?:be )?(?:renewing|extending|continuing)\b",
    r"\b(?:taking|take|took) (?:my|our) (?:business|money|custom) (?:elsewhere|somewhere else)\b",
    r"\b(?:lost|lose|losing) (?:a|another|one|your|me as a|us as) (?:loyal )?customers?\b",
    r"\b(?:switch|switching|switched|move|moving|moved|go|going|went|take|taking|transfer|"
    r"transferring)(?: my \w+| our \w+)? (?:to|over to|with) (?:another|a different|a new|"
    r"other|a competitor|your competitor|the competition)\b",
    r"\bport(?:ing|ed)? (?:my|our) (?:number|numbers|line)\b",
    r"\b(?:uninstall|uninstalled|uninstalling|delete|deleted|deleting) (?:the|this|your) app\b",
    r"\b(?:looking|shopping|look) (?:at|for|around for|into) (?:alternatives|other (?:providers|"
    r"banks|options|companies)|another (?:provider|bank|company|carrier|airline|supplier))\b",
    r"\b(?:bought|buying|went with|going with|chose) (?:a |another )?(?:different|other) "
    r"(?:brand|provider|company|bank|airline)\b",
    r"\b(?:last|final) time (?:i|we)(?:'ll| will)? (?:use|used|buy|bought|order|ordered|fly|"
    r"flew|shop|shopped|stay|stayed|eat|ate|book|booked)\b",
    r"\bhow (?:do|can) i cancel\b(?! (?:my|the|an|this) (?:order|booking|flight|reservation))",
)
_CHURN_WEAK = _rx(
    r"\bswitch(?:ing|ed)? (?:to|over)\b|\b(?:leav|quit|ditch|dump)\w* (?:you|u|this|your|them)\b",
    r"\b(?:goodbye|farewell|unsubscrib\w*|done with|i'?m done)\b",
    r"\b(?:i'?m|i am|we're|i'll|gonna|going to|about to|want to|wanna) cancel(?:l?ing)?\b"
    r"(?! (?:my|the|our|this|an) (?:order|booking|flight|reservation|appointment))",
)
_THANKED = re.compile(
    r"\b(?:thank(?:s| you| u)|thx|ty)\b\W*(?:for(?! nothing)|so|a lot|a million|to|!)"
)
_PRAISE = _rx(
    r"\b(?:love[ds]?|loving|amazing|awesome|excellent|fantastic|brilliant|outstanding|superb|"
    r"wonderful|impressed|impressive|delicious|perfect|perfectly|great|best|lovely|friendly|"
    r"helpful|kind(?! of)|grateful|gratitude|appreciated|well done|good job|above and beyond|"
    r"recommend|highly recommend|spotless|flawless|top notch|legends?|kudos|props to|hats off|"
    r"shout ?-?out|5 stars|five stars|10/10)\b"
)
# Praise markers that VADER does not score ("spotless", "5 stars") need no positive compound.
_UNSCORED = re.compile(
    r"\b(?:spotless|flawless|top notch|legends?|kudos|props to|hats off|"
    r"shout ?-?out|above and beyond|5 stars|five stars|10/10)\b"
)
# Well-wishes are courtesy, not praise: "hope you have a great weekend".
_WELL_WISH = re.compile(r"\b(?:hope|hoping|have a|enjoy (?:your|the))\b")
_NEGATORS = frozenset(
    ["not", "no", "never", "dont", "don't", "won't", "wont", "isn't", "cannot", "can't", "aren't"]
)
_WORD = re.compile(r"[\w']+")


def _negated(text: str, start: int) -> bool:
    """A negator among the two words before ``start``: "not planning to buy"."""
    return any(w in _NEGATORS for w in _WORD.findall(text[:start])[-2:])


def _found(pattern: re.Pattern[str], text: str) -> bool:
    return any(not _negated(text, m.start()) for m in pattern.finditer(text))


def sentences(text: str) -> list[str]:
    """Lower-cased sentences without URLs, @mentions or leading greetings."""
    folded = _URL_OR_MENTION.sub(" ", text[:MAX_ANALYSED_CHARS].lower().replace("’", "'"))
    return [_LEAD.sub("", s.strip()) for s in _SENTENCE.findall(folded) if s.strip()]


def is_question(sentence: str) -> bool:
    """Asks for an answer; rhetorical and suggestion-phrased questions do not count."""
    if _RHETORICAL.search(sentence) or _SUGGEST.search(sentence):
        return False
    asks = _OPENER.search(sentence) or _ASKS.search(sentence)
    return sentence.rstrip().endswith("?") or asks is not None


def is_praise(clause: str, vader: FastVader) -> bool:
    """A clause that thanks or praises, is positive, and is neither a question nor a wish."""
    clause = _SIGNOFF.sub(" ", clause)
    if is_question(clause) or _SUGGEST.search(clause) or _WELL_WISH.search(clause):
        return False
    if _UNSCORED.search(clause):
        return vader.compound(clause) >= 0
    marked = _THANKED.search(clause) or _PRAISE.search(clause)
    return marked is not None and vader.compound(clause) >= PRAISE_CLAUSE


def rule_scores(text: str, complaint: float, vader: FastVader) -> dict[str, float]:
    """Scores of the rule-based intents for one text, given its complaint score."""
    parts = sentences(text)
    question = any(is_question(s) for s in parts)
    suggestion = any(_found(_SUGGEST, s) for s in parts)
    purchase = any(_found(_PURCHASE, s) for s in parts)
    negative = complaint >= TAGGED or vader.compound(" ".join(parts)) <= NEGATIVE_TEXT
    churn = 1.0 if any(_found(_CHURN, s) for s in parts) else 0.0
    if not churn and any(_found(_CHURN_WEAK, s) for s in parts):
        churn = WEAK if negative else 1 - WEAK
    praise = 0.0
    if any(is_praise(c, vader) for s in parts for c in _CLAUSE.split(s) if c.strip()):
        praise = 1.0
    elif parts and not (question or suggestion or purchase or negative):
        praise = WEAK if vader.compound(" ".join(parts)) >= PRAISE_TEXT else 0.0
    return {
        "praise": praise,
        "question": float(question),
        "suggestion": float(suggestion),
        "purchase_intent": float(purchase),
        "churn_risk": churn,
    }


def stored_intents(text: str) -> list[str]:
    """The intents cheap enough to tag at ingest, from the rules alone: sales leads and
    churn risk lists need them per item, and the learned heads would cost a second pass."""
    folded = text[:MAX_ANALYSED_CHARS].lower().replace("’", "'")
    if not (_PURCHASE.search(folded) or _CHURN.search(folded)):
        return []  # most texts: one scan each, no sentence split (a superset of the checks)
    parts = sentences(text)
    found = []
    if any(_found(_PURCHASE, s) for s in parts):
        found.append("purchase_intent")
    if any(_found(_CHURN, s) for s in parts):
        found.append("churn_risk")
    return found


def rescale(p: NDArray[np.float64], threshold: float) -> NDArray[np.float64]:
    """Probabilities mapped piecewise-linearly so that ``threshold`` lands on 0.5."""
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    out: NDArray[np.float64] = np.where(p < t, 0.5 * p / t, 0.5 + 0.5 * (p - t) / (1 - t))
    return out


@lru_cache(maxsize=1)
def _shipped() -> LinearModel:
    return load_model(MODEL_DIR)


@lru_cache(maxsize=1)
def _vader() -> FastVader:
    return FastVader()


def intent_scores(texts: Sequence[str], model: LinearModel | None = None) -> list[dict[str, float]]:
    """Per text, a score in [0, 1] for each of ``INTENTS``; tagged from 0.5 up."""
    if not texts:
        return []
    model = model or _shipped()
    cut = [text[:MAX_ANALYSED_CHARS] for text in texts]
    probs = model.predict(cut)
    thresholds = model.meta["thresholds"]
    heads = {h: rescale(probs[h][:, 1], thresholds[h]) for h in MODEL_HEADS}
    out = []
    for i, text in enumerate(cut):
        if not any(ch.isalpha() for ch in text):
            out.append(dict.fromkeys(INTENTS, 0.0))
            continue
        learned = {h: float(heads[h][i]) for h in MODEL_HEADS}
        rules = rule_scores(text, learned["complaint"], _vader())
        scores = {**rules, "complaint": learned["complaint"]}
        scores["suggestion"] = max(rules["suggestion"], learned["suggestion"])
        out.append({name: round(scores[name], 4) for name in INTENTS})
    return out


def detect_intents(texts: Sequence[str]) -> list[list[str]]:
    """The intents tagged per text, in the order of ``INTENTS``; empty when none."""
    return [[n for n in INTENTS if s[n] >= TAGGED] for s in intent_scores(texts)]
