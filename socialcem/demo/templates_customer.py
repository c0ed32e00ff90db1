"""Customer-voice core sentences, one table per topic and polarity.

Each sentence is a lower-case clause without final punctuation so that every channel
(survey, tweet, review, ticket) can wrap it in its own style.  Slots in braces are filled
per record (see ``templates.TextComposer``); most sentences carry one, because slots are
where a million items get their variety.  All text here is original demo material.
"""

from __future__ import annotations

Phrases = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""(positive, mixed, negative) sentences of one topic."""

CUSTOMER_PHRASES: dict[str, Phrases] = {
    "staff_service": (
        (
            "{staff} remembered my usual {drink} and had it started before I reached the till",
            "the baristas were genuinely warm and made my {drink} exactly the way I like it",
            "{staff} saw me juggling a stroller and carried my tray over to the table",
            "everyone behind the counter said hello to us, even in the middle of the {clock} rush",
            "the shift lead fixed a wrong order without any fuss and threw in a free {item2}",
            "the team was patient while I asked a dozen questions about the {item}",
            "{staff} walked me through the seasonal menu and talked me into the {item}",
            "{staff} noticed my {drink} was lukewarm and remade it without being asked",
            "the new barista, {staff} I think, was friendly and quick even with a long line",
        ),
        (
            "the staff were polite enough but too busy to really look at anyone around {clock}",
            "{staff} was lovely, the other barista barely looked up from the machine",
            "service was fine, nobody was rude and nobody was especially warm either",
            "the team was friendly but spelled my name wrong and forgot my extra shot",
            "helpful cashier, though I had to wave twice before anyone noticed me",
            "{staff} was nice, but the person at the register seemed to be having a rough day",
        ),
        (
            "the cashier sighed when I asked for oat milk in my {drink} and said nothing else",
            "two employees chatted behind the bar for {minutes} minutes while the line grew",
            "{staff} got defensive when I said my {item} was wrong and would not remake it",
            "nobody greeted us and the manager on duty just shrugged when I asked for help",
            "a barista snapped at an older gentleman in front of the whole line around {clock}",
            "I was made to feel stupid for asking what goes into the {item}",
            "the staff at {loc} act like every customer is an interruption",
            "I asked {staff} twice about my missing {food} and got an eye roll both times",
            "the person at the register was on their phone the whole time I was ordering",
        ),
    ),
    "wait_time": (
        (
            "in and out in about {quick} minutes even with a line at the door",
            "my mobile order was already on the pickup shelf when I walked in at {clock}",
            "the line moved fast and my {item} was ready almost immediately",
            "they opened a second register the moment the queue started to grow",
            "quickest {item} I have had on a weekday morning, barely {quick} minutes",
            "ordered ahead at {clock} and my {drink} was waiting for me when I arrived",
        ),
        (
            "waited about {minutes} minutes, not awful but longer than the app promised",
            "the line was slow but someone came out to tell us what was going on",
            "drinks came out quickly, the {food} took a good while longer",
            "waits are reasonable on weekdays, on a {weekday} morning it is a gamble",
            "my {drink} took {minutes} minutes, which is a lot for {a_drink}",
        ),
        (
            "waited {minutes} minutes for one {item} while mobile orders kept jumping ahead",
            "the queue barely moved and only one register was open at {clock}",
            "my order sat on the counter unmade for {minutes} minutes and I was late for work",
            "stood in line for {minutes} minutes and walked out before ordering",
            "the drive-thru took {minutes} minutes for two drinks and {a_food}",
            "the app said ready in {quick} minutes, the {drink} showed up after {minutes}",
        ),
    ),
    "price_value": (
        (
            "the loyalty points actually add up and I got a free {item} this week",
            "fair prices for the portion, the {food} easily fed two of us",
            "for {price} the {item} is a bargain compared to the other cafés nearby",
            "the afternoon pastry deal is great value, I got {a_food} for half price",
            "{price} for {a_drink} and {a_food} together felt more than fair",
        ),
        (
            "a little pricey at {price} for {a_item}, but the quality mostly justifies it",
            "prices went up again, the {food} is still fine as an occasional treat",
            "good coffee, though {price} for a small {drink} makes me think twice",
            "the rewards program is okay once you figure out the tiers",
            "the {food} is worth it, the {drink} at {price} not so much",
        ),
        (
            "paid {price} for {a_food} that is half the size it was last year",
            "prices keep climbing while the portions keep shrinking, {price} for {a_food} now",
            "{price} for a lukewarm {drink} is simply not worth it",
            "the extra charge for oat milk on top of {price} feels like a rip-off",
            "the new rewards rules made my points worth almost nothing",
            "I was charged {price} for a plain {drink} and nobody could explain why",
        ),
    ),
    "product_quality": (
        (
            "the {food} was fresh and still warm from the oven",
            "best {item} in town, rich flavor and perfectly balanced",
            "the new {item} is fantastic, I ordered it three days in a row",
            "the beans taste freshly roasted and the {drink} was spot on",
            "my {item} and the {item2} were both exactly as good as I hoped",
            "the {drink} had perfect latte art and tasted even better",
        ),
        (
            "the {food} was good but not as fresh as usual",
            "coffee is consistent, the {food} is hit or miss",
            "liked the {drink}, the {food} was a bit dry",
            "the {item} tasted fine, just not worth writing home about",
            "the {drink} was great, the {food} looked like it had been sitting out since {clock}",
        ),
        (
            "my {drink} tasted burnt and the {food} was stale",
            "found a hair in my {item} and completely lost my appetite",
            "the {drink} was watery and had clearly sat on the warmer for an hour",
            "the {food} was soggy and the {drink} had no flavor at all",
            "the {food} was still frozen in the middle",
            "my {drink} was made with the wrong milk for the second time this week",
        ),
    ),
    "cleanliness": (
        (
            "tables were spotless and the restroom was clean and stocked",
            "the café smells like fresh bread and looks immaculate, even at {clock}",
            "someone wiped down the seating area every few minutes",
            "the condiment bar was tidy and fully stocked for once",
            "the {food} display was spotless and every tray was labeled",
        ),
        (
            "counters were clean but the trash bins were overflowing",
            "the seating area was fine, the restroom needed some attention",
            "a bit cluttered during the {clock} rush but otherwise okay",
            "clean enough, though the milk station was sticky when I grabbed my {drink}",
        ),
        (
            "sticky tables and crumbs everywhere, nobody had wiped anything by {clock}",
            "the restroom was filthy and out of soap",
            "spilled milk sat on the counter for {minutes} minutes and nobody cleaned it",
            "dirty cups were piled up right next to the pickup shelf",
            "there was a fruit fly problem around the {food} display",
            "the floor by the {food} case was covered in sugar packets and napkins",
        ),
    ),
    "delivery": (
        (
            "delivery showed up in {minutes} minutes and everything was still hot",
            "the courier was friendly and the bag was sealed neatly",
            "ordered {a_item} for delivery and it arrived looking perfect",
            "the tracking map was accurate to the minute, it arrived at {clock} as promised",
            "my {drink} arrived with the lid taped and not a drop spilled",
        ),
        (
            "delivery was a bit late but the {food} was fine",
            "arrived on time, though the {drink} was lukewarm",
            "the order was complete, the packaging could be better",
            "the driver was nice but called three times to find the door",
            "the {food} arrived fine, the {drink} had leaked a little into the bag",
        ),
        (
            "delivery was {minutes} minutes late and the {food} was ice cold",
            "my order never came but the app says delivered at {clock}",
            "half the order was missing, no {item} and no {item2}",
            "the courier left the bag at the wrong building",
            "the drinks spilled all over the bag because nothing was sealed",
            "delivery got cancelled after I waited {minutes} minutes",
            "I got someone else's order, {a_item2} instead of my {item}",
        ),
    ),
    "billing": (
        (
            "the refund of {price} reached my card the same day",
            "the receipt was clear and the promo code applied automatically",
            "a billing mix-up was sorted with a single email",
            "gift card top-ups are instant and the balance is always right",
        ),
        (
            "I was charged the right amount in the end, it just took two tries",
            "the receipt was confusing but the total of {price} was correct",
            "the refund came through, it took {days} days though",
        ),
        (
            "I was charged twice for the same {item}",
            "I was billed {price} more than the menu price",
            "a refund was promised {days} days ago and I still have nothing",
            "the subscription renewed without any warning and took {price}",
            "my gift card balance vanished after a single {drink}",
            "a {price} charge showed up for an order I cancelled at {clock}",
        ),
    ),
    "app_website": (
        (
            "the app makes reordering my {drink} a two-tap job",
            "the new app update made checkout so much faster",
            "the website menu is easy to browse and shows allergens clearly",
            "scheduling a pickup in the app for {clock} works every single time",
            "the app remembered my {drink} customizations perfectly",
        ),
        (
            "the app works but logs me out every few days",
            "nice app, though the store hours in it are sometimes wrong",
            "ordering online was fine, the menu just loads slowly",
            "the app is handy but the {food} is always listed as sold out",
        ),
        (
            "the app crashed at checkout three times in a row",
            "the app charged me {price} and then lost my order",
            "I cannot log in at all since the last update",
            "the website lists {a_food} that is never actually available",
            "promo codes never work in the app",
            "the app keeps adding a second {item} to my cart",
        ),
    ),
    "communication": (
        (
            "they texted me right away when my order was delayed",
            "clear signs about the new hours and the menu changes",
            "support answered my question within the hour",
            "loved the heads-up message when my {item} was ready",
            "customer care followed up {days} days later to check everything was fine",
        ),
        (
            "got an answer eventually, it took a couple of days",
            "the newsletter is nice but arrives way too often",
            "the info on the website and in the store did not quite match",
            "support was polite but could not tell me when the {food} would be back",
        ),
        (
            "I sent three emails and never got a reply",
            "nobody told us the store would close early on {weekday}",
            "support keeps sending me copy-paste answers",
            "they changed the hours and never updated anything online",
            "I was promised a call back {days} days ago and nobody called",
            "the chat bot kept sending me the {drink} menu instead of an answer",
        ),
    ),
}
