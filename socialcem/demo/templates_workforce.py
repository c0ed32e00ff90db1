"""Employee pulse and partner (franchisee, distributor) voice, keyed by the shared topics.

Topics keep their customer names so one taxonomy covers every constituency: for staff
``staff_service`` means staffing and teamwork, ``price_value`` pay and benefits,
``billing`` payroll, ``app_website`` the tools they use, ``delivery`` supply trucks.
"""

from __future__ import annotations

from .templates_channels import alts, tri
from .templates_customer import Phrases

EMPLOYEE_PHRASES: dict[str, Phrases] = {
    "staff_service": tri(
        "our crew really has each other's backs on busy shifts"
        "|new hires get proper shadowing before they work the bar alone"
        "|{staff} as shift lead makes the whole team feel valued"
        "|we finally have enough people on {weekday} mornings",
        "the team is great but we are stretched thin on weekends"
        "|staffing is okay most days, sick calls still hit hard"
        "|we are fine until someone calls out, then it is {staff} and me alone",
        "we are short-staffed every single shift and customers take it out on us"
        "|two people quit this month and nobody was replaced"
        "|I close alone most nights and it does not feel safe"
        "|we keep training new people who leave after {weeks} weeks"
        "|the {clock} rush is run by two people and a trainee",
    ),
    "wait_time": tri(
        "the new bar layout made the morning rush much smoother"
        "|mobile orders finally print in the right order so the line moves",
        "the rush is manageable when the schedule is right, about half the time"
        "|mobile orders pile up around {clock} but we usually catch up",
        "we cannot keep up with mobile orders at peak and get blamed for the waits"
        "|the drive-thru timer goals are impossible with two people on"
        "|customers wait {minutes} minutes at {clock} because we are one person short",
    ),
    "price_value": tri(
        "the raise this spring was really appreciated|tips and benefits feel fair for the industry"
        "|the free {drink} every shift is a small thing that means a lot",
        "pay is okay but it has not kept up with rent"
        "|benefits are decent, the tip split could be clearer",
        "pay has not moved in {years} years while prices keep going up"
        "|the tip split feels unfair to the morning crew"
        "|I pick up extra shifts just to cover rent",
    ),
    "product_quality": tri(
        "the new espresso machines are a huge upgrade"
        "|I am proud of what we serve, the {food} recipe change was great",
        "equipment works most days but repairs take forever"
        "|the new {drink} recipe is good but slow to make at rush",
        "the oven has been broken for {days} days and we are told to make do"
        "|we are asked to serve {food} past its hold time to cut waste"
        "|the grinder jams every {weekday} and nobody comes to fix it",
    ),
    "cleanliness": tri(
        "closing checklists keep the back of house in great shape"
        "|the new cleaning rota on {weekday} nights works well",
        "cleaning is fine when we have enough hands|the deep clean keeps getting pushed back",
        "there is no time to clean properly between rushes"
        "|the dish area has been a mess since the sink broke {days} days ago",
    ),
    "delivery": tri(
        "supply trucks arrive on time and the orders are accurate"
        "|the {weekday} delivery is always complete now",
        "deliveries are mostly fine, the odd item goes missing"
        "|the truck is reliable but comes at {clock}, right in the rush",
        "the supply truck was late again and we ran out of {food} by ten"
        "|half of this week's delivery was wrong and nobody answered the hotline"
        "|we were out of oat milk for {days} days",
    ),
    "billing": tri(
        "payroll is always on time and the payslips are clear|HR fixed my tax form in a day",
        "payroll is usually right, overtime sometimes shows up a cycle late",
        "my paycheck was short again and it took HR {days} days to fix"
        "|overtime from last month still has not been paid",
    ),
    "app_website": tri(
        "the scheduling app makes shift swaps easy"
        "|the new register software is fast and simple to learn",
        "the scheduling app is fine but posts shifts late"
        "|the register is okay, the {food} button is still missing",
        "the register freezes during the rush and we have to restart it"
        "|the scheduling app keeps double-booking people"
        "|the mobile order tablet crashed {quick} times on {weekday}",
    ),
    "communication": tri(
        "our district manager visits often and actually listens"
        "|weekly huddles keep everyone in the loop|{staff} explains every change before it lands",
        "communication is okay, big changes still come with little notice"
        "|we get the memos, just never the reasons",
        "we hear about menu changes from customers before anyone tells us"
        "|nobody answers when we raise problems with the district office"
        "|the schedule for next week came out {weekday} night",
    ),
}

PARTNER_PHRASES: dict[str, Phrases] = {
    "delivery": tri(
        "every supply delivery this quarter hit its window"
        "|the distribution center fixed our short shipments quickly",
        "deliveries are mostly on time, substitutions are not always flagged",
        "our supply order arrived {days} days late and short on {food} again"
        "|we had to buy milk at retail twice this month because the truck never came",
    ),
    "billing": tri(
        "royalty statements are clear and arrive on time",
        "invoices are correct but hard to reconcile with our own books",
        "the royalty invoice double-counted our marketing fee"
        "|we were billed for a shipment we rejected {days} days ago",
    ),
    "communication": tri(
        "the partner team answers within a day and follows through",
        "the partner newsletter helps, the launch calendar comes too late",
        "head office rolled out the new menu with one week of notice"
        "|nobody from the franchise team has returned our calls in {weeks} weeks",
    ),
    "app_website": tri(
        "the new ordering portal saves us hours every week",
        "the ordering portal works, the reports are hard to find",
        "the franchise ordering portal goes down every {weekday} morning",
    ),
    "price_value": tri(
        "wholesale pricing is fair and the volume discount helps",
        "margins are tight but workable",
        "wholesale bean prices went up again with no explanation",
    ),
    "product_quality": tri(
        "the new {food} line sells out every day",
        "quality is consistent, the seasonal items vary a lot",
        "two pallets of beans arrived stale and the claim is still open",
    ),
}

PULSE_OPENERS = alts(
    "|Honestly,|As a barista here,|From the floor:|Speaking for the morning crew,"
    "|After {years} years here,|Quick thought:|Shift lead here.|Part-timer here."
)
PULSE_CONTEXTS = tri(  # by venue: store, online shop, warehouse
    "I work mornings at {loc}.|I mostly close on weekends.|I cover the drive-thru at {loc}."
    "|I have been on the team for {years} years.|I started {weeks} weeks ago."
    "|I train new hires at {loc}.|I work {quick} shifts a week.",
    "I pack online orders.|I work in online customer care.|I started {weeks} weeks ago."
    "|I have been on the online team for {years} years.|I work {quick} shifts a week.",
    "I work in the {loc} warehouse.|I drive one of the delivery routes."
    "|I have been with {loc} for {years} years.|I started {weeks} weeks ago.",
)
PULSE_CLOSERS = tri(
    "|Proud to work here.|Thanks for asking.|Best team I have worked with.|Keep it up.",
    "|It could be a lot better with small fixes.|Thanks for listening.|We will see.",
    "|Please listen this time.|Something has to change.|I am looking for other jobs."
    "|Morale is at an all-time low.",
)

PARTNER_OPENERS = alts(
    "As the operator of {loc},|From the {loc} team:|Quarterly partner feedback:"
    "|Owner of {loc} here.|Partner note:"
)
PARTNER_CONTEXTS = alts(
    "We have run {loc} for {years} years.|Our last order went in on {weekday}."
    "|We order twice a week.|Our invoice is {order}."
)
PARTNER_CLOSERS = tri(
    "|Thanks to the support team.|Happy to share what worked for us.",
    "|Happy to discuss on the next partner call.|Please advise.",
    "|This is costing us real sales.|We need an answer before the next order.|Please escalate.",
)
