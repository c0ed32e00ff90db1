"""Channel wrappers: openers, closers, asks and social decorations around a core sentence.

Fragment lists are written as ``|``-separated strings to keep the tables readable; an
empty alternative (``||`` or a leading ``|``) makes that part optional without an extra
random draw.  ``Tri`` tables are ``(positive, mixed, negative)``.  Openers ending in
``,`` or ``:`` (or a bare word) keep the next clause lower-case; ``.!?`` starts a sentence.
"""

from __future__ import annotations

Tri = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def alts(spec: str) -> tuple[str, ...]:
    """Split a ``|``-separated fragment list."""
    return tuple(spec.split("|"))


def tri(positive: str, mixed: str, negative: str) -> Tri:
    """Three fragment lists, one per polarity."""
    return alts(positive), alts(mixed), alts(negative)


# Where the visit happened, indexed by venue: physical store, online shop, wholesale.
CONTEXTS = tri(
    "Visited the {loc} store {daypart}.|Stopped by {loc} on {weekday} with the kids."
    "|I come to {loc} most mornings before work.|First time trying the {loc} location."
    "|Grabbed {a_drink} there on my way to the office.|Met a friend at {loc} on {weekday}."
    "|Popped in {daypart} for a quick {drink}.|Ordered {a_drink} and {a_food} {daypart}."
    "|I have been a regular here for about {years} years.|Came in on a busy {weekday}."
    "|Worked from the {loc} café {daypart}.|Picked up breakfast for the team on {weekday}."
    "|Took my parents to {loc} on {weekday}.|Stopped in around {clock} before a meeting."
    "|Ordered {a_food} to go {daypart}.|Brought my laptop to {loc} on {weekday}."
    "|Where can I buy the beans they brew at {loc}? I want them at home.",
    "Ordered through the app {daypart}.|Placed an online order on {weekday}."
    "|Used the website to order {a_food} and {a_drink}."
    "|Ordered a bag of beans from the online shop.|Sent a gift card to a friend on {weekday}."
    "|Scheduled a pickup online {daypart}.|Ordered on the website around {clock}."
    "|Got {a_drink} kit delivered on {weekday}."
    "|Tried the online shop for the first time {daypart}."
    "|Planning to order a catering box for our team next week.",
    "Our office buys wholesale beans through {loc}."
    "|We stock your pastries at our deli via {loc}."
    "|Our café has had an account with {loc} for {years} years."
    "|Placed our weekly wholesale order on {weekday}.",
)

SURVEY_OPENERS = tri(
    "|Honestly,|Great visit.|Really happy today.|Love this place.|As always,"
    "|No complaints at all.|Another good one.|Solid experience.|Short version: great."
    "|Best café on my commute.|Happy customer here.|So good.|What a nice surprise.|Lovely.",
    "|Mixed feelings.|It was okay.|Hmm.|Decent visit overall.|Not bad, not great."
    "|So-so today.|Some good, some bad.|Average visit.|Fine, I guess.|Could go either way.",
    "|Really disappointed.|Not happy.|Frustrating visit.|Honestly,|Sorry, but"
    "|This needs attention.|Worst visit in a while.|Ugh.|Not impressed.|Very frustrating."
    "|I rarely complain, but|Disappointing.",
)

SURVEY_CLOSERS = tri(
    "|Keep it up!|Thank you!|Will be back tomorrow.|You have a regular for life."
    "|Thanks, {staff}!|Already planning my next visit.|Ten stars if I could.|Love you guys."
    "|Please tell {staff} thanks.|Ten out of ten.|Best part of my morning."
    "|Recommending you to everyone.|See you next week.|Made my day.",
    "|Could be better.|Room for improvement.|Still coming back, for now.|Mostly fine."
    "|Not sure I would recommend it yet.|A few small fixes would go a long way."
    "|Hope it gets better.|Fine for a quick stop.|Would be a 10 with a bit more care."
    "|Okay overall.|We will see next time.",
    "|Please fix this.|Very disappointed.|Not coming back until this changes."
    "|Do better, {brand}.|Someone please call me.|Lost a customer today.|Two visits, two fails."
    "|Expected better from {brand}.|Someone should look into this."
    "|This used to be my favorite spot.|Not acceptable.|Would not recommend right now."
    "|I have already switched to the place across the street.",
)

SAME_CONNECTORS = alts("Also,|And|Plus,|On top of that,|Oh and|Besides that,|")
CONTRAST_CONNECTORS = alts("That said,|On the other hand,|Still,|But|However,")

TWEET_PREFIXES = tri(
    "{handle}|{handle}|shoutout to {handle}:|{handle} you never miss.|big love to {handle},"
    "|ok {handle}|not me at {brand} again,|{handle} thank you!!|{handle} y'all are the best,"
    "|happy {weekday}:|",
    "{handle}|{handle}|hey {handle},|{handle} hmm.|so {handle},|{handle} mixed feelings:"
    "|eh.|{handle} quick feedback:|",
    "{handle}|{handle}|{handle} seriously?|hey {handle},|dear {handle},"
    "|{handle} what is going on?|ugh {handle}|{handle} fix this.|come on {handle},"
    "|{handle} not again.|",
)

TWEET_SUFFIXES = tri(
    "|10/10|never change|obsessed|love it|thank u|made my morning|chef's kiss|no notes"
    "|best {weekday} ever|yes!!|big fan|the {food} though|instant mood boost",
    "|idk|kinda meh|we'll see|just saying|could be worse|sigh|hmm|it's fine I guess",
    "|never again|unbelievable|so done|not ok|do better|smh|again??|every single time"
    "|seriously|why|this is a joke|{minutes} minutes of my life|what happened",
)

EMOJIS = tri("☕|😍|🙌|💛|🥐|✨|👏|😊|🔥|🥰", "🤷|😐|🤔|😕|🙃|😶", "😤|😡|🙄|👎|😒|🤦|💀|😩|😠")

HASHTAGS = tri(
    "#coffeetime|#morningfuel|#latteart|#bakerylove|#treatyourself|#caffeinated"
    "|#localfavorite|#breakfastgoals|#happyplace|#coffeelover",
    "#coffee|#mondaymood|#caffeine|#justsaying|#coffeebreak|#worklife|#meh",
    "#customerservice|#fail|#disappointed|#neveragain|#badservice|#waitingforever"
    "|#refundplease|#notimpressed",
)

TOPIC_TAGS: dict[str, tuple[str, ...]] = {
    "staff_service": alts("#service|#baristalife|#kindness"),
    "wait_time": alts("#longline|#inahurry|#mobileorder"),
    "price_value": alts("#prices|#rewards|#deals"),
    "product_quality": alts("#pastry|#espresso|#fresh"),
    "cleanliness": alts("#clean|#hygiene|#cafe"),
    "delivery": alts("#delivery|#fooddelivery|#whereismyorder"),
    "billing": alts("#refund|#charges|#giftcard"),
    "app_website": alts("#app|#appupdate|#onlineorder"),
    "communication": alts("#support|#noreply|#updates"),
}

INSTAGRAM_PREFIXES = tri(
    "||today's vibe:|weekend ritual:|current status:|POV:|morning mood:",
    "||honest review:|thoughts:|hmm:",
    "||not the vibe:|honest review:|rant:|PSA:",
)

FACEBOOK_OPENERS = tri(
    "||Just want to give a shout out to {brand} {loc}!|Five stars to the {loc} team."
    "|Had to share this.|Quick review for my friends here:",
    "||Mixed experience at {brand} today.|Quick review:|Has anyone else noticed this?",
    "||Warning to anyone going to {brand} {loc}.|Has anyone else had this problem?"
    "|Really disappointed in {brand} today.|Posting this because nobody answers my emails.",
)

REDDIT_OPENERS = tri(
    "Appreciation post:|Small win today:|Not sponsored, but|Gotta say,"
    "|Credit where it's due:|Hot take:",
    "Honest opinion:|Mixed bag today:|Genuine question.|Update:|Unpopular opinion:",
    "PSA:|Small rant:|Update:|Is this normal?|Warning:|Rant incoming.",
)

REDDIT_CLOSERS = tri(
    "|YMMV.|Highly recommend.|Ask for {staff}.|Edit: typo.|10/10 would return.",
    "|YMMV.|Curious what others think.|Anyone else?|Edit: formatting.",
    "|/rant|Anyone else dealing with this?|Edit: still no response.|Avoid for now."
    "|Edit: support finally replied with a template.",
)

TRAVEL_CONTEXTS = alts(
    "We stopped here during a weekend trip.|Popped in while sightseeing downtown."
    "|Our hotel was around the corner so we came twice."
    "|Visiting from out of town and a local recommended this spot."
    "|Needed a coffee break between museums.|Came here before our early flight on {weekday}."
)

REVIEW_CLOSERS = tri(
    "||Five stars.|Highly recommend.|Will definitely be back.|Worth the trip."
    "|Pro tip: get the {food}.|My new favorite spot.|Go early for the best pastries.",
    "||Three stars for now.|Worth a try, manage expectations.|Might give it another chance."
    "|Okay if you are nearby.",
    "||Avoid.|One star is generous.|Save your money.|Management needs to step in."
    "|Will not return.|Go somewhere else.",
)

APP_OPENERS = tri(
    "|Updated review:|Use this app daily.|Five stars for the new version."
    "|Finally a coffee app that works.",
    "|Decent app.|Updated review:|Almost there.",
    "|Latest update is a mess.|Deleted and reinstalled twice.|Frustrating app."
    "|One star until fixed.",
)

APP_CLOSERS = tri(
    "|Keep the updates coming.|Best coffee app I have used.|Love it.",
    "|Will update my rating if fixed.|Good idea, needs polish.",
    "|Please fix.|Back to ordering at the counter.|Uninstalling.|Devs, please test before release.",
)

TICKET_OPENERS = tri(
    "Compliment:|Feedback on order {order}:|Just a note about my visit on {weekday}:"
    "|Positive feedback, {loc}:|Kudos for order {order}:",
    "Order {order}:|Question about order {order}.|Feedback on my visit on {weekday}:"
    "|Re: order {order}.|Visit to {loc}, {weekday}:",
    "Order {order}:|Re: order {order}.|Complaint about order {order}."
    "|Second request, order {order}.|Regarding my visit on {weekday}:|URGENT: order {order}.",
)

SUPPORT_ASKS = tri(
    "No action needed, just wanted to say thanks.|Please pass this on to the team."
    "|Thanks again for the quick help.",
    "Can you confirm this will not happen again?|Could someone look into it?"
    "|Not urgent, but please check.|Is there anything you can do?",
    "Please refund the charge.|I would like a replacement or a refund."
    "|Please have a manager call me back.|Please escalate this."
    "|What are you going to do about it?|This is my second message about this.",
)

CHAT_OPENERS = tri(
    "hi!|hello,|hey there,|hi, quick note:|hi, order {order}:|hello, just wanted to say",
    "hi,|hello,|hi, quick question:|hey,|hi, order {order}:|hello, about order {order}:",
    "hi,|hello?|hi, I need help:|hey, still waiting on this:|hello, problem here:"
    "|hi, order {order}:|hello, order {order} again:|hi, it's about order {order}:",
)

CHAT_ASKS = tri(
    "thanks so much!|you guys rock|that's all, have a good one|tell {staff} thanks",
    "can you check?|what are my options?|pls advise|can someone look at it today?",
    "can u help|what can you do about it?|i want a refund|is anyone there?"
    "|this is the second time i'm asking",
)

# Short factual add-ons with slots, by venue; they follow the core sentence.
DETAILS = tri(
    "I ordered {a_drink} and {a_food}.|This was around {clock}.|Total was {price}."
    "|It was a {weekday}, around {clock}.|We were a group of {quick}.|Paid {price} at the till.",
    "Order {order}, placed around {clock}.|Total was {price}.|Placed it on a {weekday}."
    "|Order {order}.",
    "Invoice {order}.|Our delivery window was {clock}.|Account order {order}.",
)

# App store reviews often say which build they are on.
APP_CONTEXTS = alts(
    "On version {version}.|Using {version} on {device}.|{device}, latest update.|On {device}."
    "|Version {version} here."
)

EMAIL_GREETINGS = alts(
    "Hello {brand} team,|Hi there,|Dear customer care,|To whom it may concern,|Hello,"
)
EMAIL_SIGNOFFS = alts(
    "Thanks, {first}|Regards, {first}|Best, {first}|{first}|Kind regards, {first}"
)
