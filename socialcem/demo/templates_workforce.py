"""Employee pulse and partner (franchisee, distributor) voice, keyed by the shared topics.

Topics keep their customer names so one taxonomy covers every constituency: for staff
``staff_service`` means staffing and teamwork, ``price_value`` pay and benefits,
``billing`` payroll, ``app_website`` the tools they use, ``delivery`` supply trucks.
"""

from __future__ import annotations

from .templates_customer import Phrases

EMPLOYEE_PHRASES: dict[str, Phrases] = {
    "staff_service": (
        (
            "our crew really has each other's backs on busy shifts",
            "new hires get proper shadowing before they work the bar alone",
            "{staff} as shift lead makes the whole team feel valued",
        ),
        (
            "the team is great but we are stretched thin on weekends",
            "staffing is okay most days, sick calls still hit hard",
        ),
        (
            "we are short-staffed every single shift and customers take it out on us",
            "two people quit this month and nobody was replaced",
            "I close alone most nights and it does not feel safe",
            "we keep training new people who leave after {weeks} weeks",
        ),
    ),
    "wait_time": (
        (
            "the new bar layout made the morning rush much smoother",
            "mobile orders finally print in the right order so the line moves",
        ),
        ("the rush is manageable when the schedule is right, about half the time",),
        (
            "we cannot keep up with mobile orders at peak and get blamed for the waits",
            "the drive-thru timer goals are impossible with two people on",
        ),
    ),
    "price_value": (
        (
            "the raise this spring was really appreciated",
            "tips and benefits feel fair for the industry",
        ),
        (
            "pay is okay but it has not kept up with rent",
            "benefits are decent, the tip split could be clearer",
        ),
        (
            "pay has not moved in {years} years while prices keep going up",
            "the tip split feels unfair to the morning crew",
        ),
    ),
    "product_quality": (
        (
            "the new espresso machines are a huge upgrade",
            "I am proud of what we serve, the {food} recipe change was great",
        ),
        ("equipment works most days but repairs take forever",),
        (
            "the oven has been broken for {days} days and we are told to make do",
            "we are asked to serve {food} past its hold time to cut waste",
        ),
    ),
    "cleanliness": (
        ("closing checklists keep the back of house in great shape",),
        ("cleaning is fine when we have enough hands",),
        (
            "there is no time to clean properly between rushes",
            "the dish area has been a mess since the sink broke",
        ),
    ),
    "delivery": (
        ("supply trucks arrive on time and the orders are accurate",),
        ("deliveries are mostly fine, the odd item goes missing",),
        (
            "the supply truck was late again and we ran out of {food} by ten",
            "half of this week's delivery was wrong and nobody answered the hotline",
        ),
    ),
    "billing": (
        ("payroll is always on time and the payslips are clear",),
        ("payroll is usually right, overtime sometimes shows up a cycle late",),
        (
            "my paycheck was short again and it took HR {days} days to fix",
            "overtime from last month still has not been paid",
        ),
    ),
    "app_website": (
        (
            "the scheduling app makes shift swaps easy",
            "the new register software is fast and simple to learn",
        ),
        ("the scheduling app is fine but posts shifts late",),
        (
            "the register freezes during the rush and we have to restart it",
            "the scheduling app keeps double-booking people",
        ),
    ),
    "communication": (
        (
            "our district manager visits often and actually listens",
            "weekly huddles keep everyone in the loop",
        ),
        ("communication is okay, big changes still come with little notice",),
        (
            "we hear about menu changes from customers before anyone tells us",
            "nobody answers when we raise problems with the district office",
        ),
    ),
}

PARTNER_PHRASES: dict[str, Phrases] = {
    "delivery": (
        (
            "every supply delivery this quarter hit its window",
            "the distribution center fixed our short shipments quickly",
        ),
        ("deliveries are mostly on time, substitutions are not always flagged",),
        (
            "our supply order arrived {days} days late and short on {food} again",
            "we had to buy milk at retail twice this month because the truck never came",
        ),
    ),
    "billing": (
        ("royalty statements are clear and arrive on time",),
        ("invoices are correct but hard to reconcile with our own books",),
        (
            "the royalty invoice double-counted our marketing fee",
            "we were billed for a shipment we rejected {days} days ago",
        ),
    ),
    "communication": (
        ("the partner team answers within a day and follows through",),
        ("the partner newsletter helps, the launch calendar comes too late",),
        (
            "head office rolled out the new menu with one week of notice",
            "nobody from the franchise team has returned our calls in {weeks} weeks",
        ),
    ),
    "app_website": (
        ("the new ordering portal saves us hours every week",),
        ("the ordering portal works, the reports are hard to find",),
        ("the franchise ordering portal goes down every Monday morning",),
    ),
    "price_value": (
        ("wholesale pricing is fair and the volume discount helps",),
        ("margins are tight but workable",),
        ("wholesale bean prices went up again with no explanation",),
    ),
    "product_quality": (
        ("the new pastry line sells out every day",),
        ("quality is consistent, the seasonal items vary a lot",),
        ("two pallets of beans arrived stale and the claim is still open",),
    ),
}

PULSE_OPENERS: tuple[str, ...] = (
    "",
    "",
    "",
    "Honestly,",
    "As a barista here,",
    "From the floor:",
    "Speaking for the morning crew,",
    "After {years} years here,",
    "Quick thought:",
)

PULSE_CLOSERS: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (
    ("", "", "Proud to work here.", "Thanks for asking.", "Best team I have worked with."),
    ("", "", "It could be a lot better with small fixes.", "Thanks for listening."),
    (
        "",
        "",
        "Please listen this time.",
        "Something has to change.",
        "I am looking for other jobs.",
        "Morale is at an all-time low.",
    ),
)

PARTNER_OPENERS: tuple[str, ...] = (
    "As the operator of {loc},",
    "From the {loc} team:",
    "Quarterly partner feedback:",
    "Owner of {loc} here.",
    "Partner note:",
)

PARTNER_CLOSERS: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (
    ("", "Thanks to the support team.", "Happy to share what worked for us."),
    ("", "Happy to discuss on the next partner call.", "Please advise."),
    (
        "",
        "This is costing us real sales.",
        "We need an answer before the next order.",
        "Please escalate.",
    ),
)
