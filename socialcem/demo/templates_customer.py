"""Customer-voice core sentences, one table per topic and polarity.

Each sentence is a lower-case clause without final punctuation so that every channel
(survey, tweet, review, ticket) can wrap it in its own style.  Slots in braces are
filled per record (see ``templates.Slots``), which is where most variety comes from.
All text here is original demo material.
"""

from __future__ import annotations

Phrases = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""(positive, mixed, negative) sentences of one topic."""

CUSTOMER_PHRASES: dict[str, Phrases] = {
    "staff_service": (
        (
            "{staff} remembered my usual {item} and had it started before I reached the till",
            "the baristas were genuinely warm and made my {item} exactly the way I like it",
            "{staff} saw me juggling a stroller and carried my tray over to the table",
            "everyone behind the counter said hello and smiled, even in the middle of the rush",
            "the shift lead fixed a wrong order without any fuss and threw in a free {item2}",
            "the team was patient while I asked a dozen questions about the {item}",
            "{staff} walked me through the seasonal menu and talked me into the {item}",
        ),
        (
            "the staff were polite enough but too busy to really look at anyone",
            "{staff} was lovely, the other barista barely looked up from the machine",
            "service was fine, nobody was rude and nobody was especially warm either",
            "the team was friendly but spelled my name wrong and forgot the extra shot",
            "helpful cashier, though I had to wave twice before anyone noticed me",
        ),
        (
            "the cashier sighed when I asked for oat milk and did not say another word",
            "two employees chatted behind the bar for {minutes} minutes while the line grew",
            "{staff} got defensive when I said my {item} was wrong and would not remake it",
            "nobody greeted us and the manager on duty just shrugged when I asked for help",
            "a barista snapped at an older gentleman in front of the whole line",
            "I was made to feel stupid for asking what goes into the {item}",
            "the staff at {loc} act like every customer is an interruption",
        ),
    ),
    "wait_time": (
        (
            "in and out in about {quick} minutes even with a line at the door",
            "my mobile order was already on the pickup shelf when I walked in",
            "the line moved fast and my {item} was ready almost immediately",
            "they opened a second register the moment the queue started to grow",
            "quickest {item} I have had on a weekday morning, barely {quick} minutes",
        ),
        (
            "waited about {minutes} minutes, not awful but longer than the app promised",
            "the line was slow but someone came out to tell us what was going on",
            "drinks came out quickly, the {food} took a good while longer",
            "waits are reasonable on weekdays, weekends are a gamble",
        ),
        (
            "waited {minutes} minutes for one {item} while mobile orders kept jumping ahead",
            "the queue barely moved and only one register was open at peak time",
            "my order sat on the counter unmade for {minutes} minutes and I was late for work",
            "stood in line for {minutes} minutes and walked out before ordering",
            "the drive-thru took {minutes} minutes for two drinks and a {food}",
        ),
    ),
    "price_value": (
        (
            "the loyalty points actually add up and I got a free {item} this week",
            "fair prices for the portion, the {food} easily fed two of us",
            "for {price} the {item} is a bargain compared to the other cafés nearby",
            "the afternoon pastry deal is great value, I got a {food} for half price",
        ),
        (
            "a little pricey at {price} for a {item}, but the quality mostly justifies it",
            "prices went up again, still fine for an occasional treat",
            "good coffee, though {price} for a small size makes me think twice",
            "the rewards program is okay once you figure out the tiers",
        ),
        (
            "paid {price} for a {food} that is half the size it was last year",
            "prices keep climbing while the portions keep shrinking",
            "{price} for a lukewarm {drink} is simply not worth it",
            "the extra charge for oat milk on top of {price} feels like a rip-off",
            "the new rewards rules made my points worth almost nothing",
        ),
    ),
    "product_quality": (
        (
            "the {food} was fresh, flaky and still warm from the oven",
            "best {item} in town, rich flavor and perfectly balanced",
            "the new {item} is fantastic, I ordered it three days in a row",
            "the beans taste freshly roasted and the {drink} was spot on",
            "my {item} and the {item2} were both exactly as good as I hoped",
        ),
        (
            "the {food} was good but not as fresh as usual",
            "coffee is consistent, the pastries are hit or miss",
            "liked the {drink}, the {food} was a bit dry",
            "the {item} tasted fine, just not worth writing home about",
        ),
        (
            "my {drink} tasted burnt and the {food} was stale",
            "found a hair in my {item} and completely lost my appetite",
            "the {drink} was watery and had clearly sat on the warmer for an hour",
            "the {food} was soggy and the {drink} had no flavor at all",
            "the {food} was still frozen in the middle",
        ),
    ),
    "cleanliness": (
        (
            "tables were spotless and the restroom was clean and stocked",
            "the café smells like fresh bread and looks immaculate",
            "someone wiped down the seating area every few minutes",
            "the condiment bar was tidy and fully stocked for once",
        ),
        (
            "counters were clean but the trash bins were overflowing",
            "the seating area was fine, the restroom needed some attention",
            "a bit cluttered during the lunch rush but otherwise okay",
        ),
        (
            "sticky tables and crumbs everywhere, nobody had wiped anything",
            "the restroom was filthy and out of soap",
            "spilled milk sat on the counter for {minutes} minutes and nobody cleaned it",
            "dirty cups were piled up right next to the pickup shelf",
            "there was a fruit fly problem around the {food} display",
        ),
    ),
    "delivery": (
        (
            "delivery showed up in {minutes} minutes and everything was still hot",
            "the courier was friendly and the bag was sealed neatly",
            "ordered a {item} for delivery and it arrived looking perfect",
            "the tracking map was accurate to the minute",
        ),
        (
            "delivery was a bit late but the food was fine",
            "arrived on time, though the {drink} was lukewarm",
            "the order was complete, the packaging could be better",
            "the driver was nice but called three times to find the door",
        ),
        (
            "delivery was {minutes} minutes late and the {food} was ice cold",
            "my order never came but the app says delivered",
            "half the order was missing, no {item} and no {item2}",
            "the courier left the bag at the wrong building",
            "the drinks spilled all over the bag because nothing was sealed",
            "delivery got cancelled after I waited {minutes} minutes",
        ),
    ),
    "billing": (
        (
            "the refund reached my card the same day",
            "the receipt was clear and the promo code applied automatically",
            "a billing mix-up was sorted with a single email",
            "gift card top-ups are instant and the balance is always right",
        ),
        (
            "I was charged the right amount in the end, it just took two tries",
            "the receipt was confusing but the total was correct",
            "the refund came through, it took {days} days though",
        ),
        (
            "I was charged twice for the same {item}",
            "I was billed {price} more than the menu price",
            "a refund was promised {days} days ago and I still have nothing",
            "the subscription renewed without any warning",
            "my gift card balance vanished after a single purchase",
        ),
    ),
    "app_website": (
        (
            "the app makes reordering my {item} a two-tap job",
            "the new app update made checkout so much faster",
            "the website menu is easy to browse and shows allergens clearly",
            "scheduling a pickup in the app works every single time",
        ),
        (
            "the app works but logs me out every few days",
            "nice app, though the store hours in it are sometimes wrong",
            "ordering online was fine, the menu just loads slowly",
        ),
        (
            "the app crashed at checkout three times in a row",
            "the app charged me and then lost my order",
            "I cannot log in at all since the last update",
            "the website lists items that are never actually available",
            "promo codes never work in the app",
        ),
    ),
    "communication": (
        (
            "they texted me right away when my order was delayed",
            "clear signs about the new hours and the menu changes",
            "support answered my question within the hour",
            "loved the heads-up message when my {item} was ready",
        ),
        (
            "got an answer eventually, it took a couple of days",
            "the newsletter is nice but arrives way too often",
            "the info on the website and in the store did not quite match",
        ),
        (
            "I sent three emails and never got a reply",
            "nobody told us the store would close early on {weekday}",
            "support keeps sending me copy-paste answers",
            "they changed the hours and never updated anything online",
            "I was promised a call back {days} days ago and nobody called",
        ),
    ),
}
