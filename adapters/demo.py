"""A small, believable sample school, so a newcomer sees something real at once.

Loading is idempotent: running `tinysteps demo` twice leaves one demo school.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from adapters.directory import WEB, web_workspace
from bot.calendar.schoolcal import WeekdayCalendar
from bot.people import membership
from bot.ports import Clock, Consent, Improvement, Role, Store, Transaction

DEMO_SCHOOL = "Riverside Primary (demo)"
DEMO_TRUST = "Riverside Learning Trust (demo)"
WEEKS = 4

DEPARTMENTS = ("Early Years", "English", "Maths", "Science", "Humanities")

# (name, role, department, time zone): most staff in London, a partner team in New York.
STAFF = (
    ("Amira Haddad", Role.ADMIN, "English", "Europe/London"),
    ("Ben Okafor", Role.LEADER, "Maths", "Europe/London"),
    ("Chloe Williams", Role.STAFF, "Early Years", "Europe/London"),
    ("Dev Patel", Role.STAFF, "Science", "Europe/London"),
    ("Eilidh Campbell", Role.STAFF, "English", "Europe/London"),
    ("Femi Adeyemi", Role.STAFF, "Maths", "Europe/London"),
    ("Grace Liu", Role.LEADER, "Humanities", "Europe/London"),
    ("Hannah Schmidt", Role.STAFF, "Science", "Europe/London"),
    ("Isaac Cohen", Role.STAFF, "Early Years", "America/New_York"),
    ("Jess Moreno", Role.STAFF, "English", "America/New_York"),
    ("Kwame Mensah", Role.STAFF, "Maths", "America/New_York"),
    ("Layla Rahman", Role.STAFF, "Humanities", "America/New_York"),
)

IMPROVEMENTS = (
    "Started the lesson with a two-minute retrieval quiz; far calmer start.",
    "Moved the visualiser so the back row can finally see worked examples.",
    "Used mini whiteboards for hinge questions — spotted a misconception early.",
    "Gave feedback as three codes instead of long comments. Marking time halved.",
    "Put key vocabulary on the door so pupils rehearse it while lining up.",
    "Cold-called with names after the question, not before. Everyone thought.",
    "Shared my seating plan template with the department 📋",
    "Tried 'say it again, better' for oral answers — richer sentences.",
    "Pre-printed the knowledge organiser on the back of the exit ticket.",
    "Set up a quiet reading corner with cushions; Year 2 loved it 📚",
    "Modelled the experiment write-up live under the visualiser.",
    "Timed transitions with a visible countdown: saved 5 minutes a lesson.",
    "Asked pupils to explain a peer's answer before adding their own.",
    "Colour-coded the fractions resources so TAs can grab the right level.",
    "Recorded a 90-second video of the homework task for parents.",
    "Replaced the starter worksheet with a single 'odd one out' image.",
    "Used a hands-up-free week in Science — participation went up.",
    "Agreed one shared success criteria format with the English team.",
    "Labelled the maths manipulatives trays with pictures for EAL pupils.",
    "Ended with 'one thing I'm still unsure about' sticky notes.",
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    school_id: int
    people: int
    improvements: int
    created: bool

    def describe(self) -> str:
        if not self.created:
            return f"The demo school is already loaded ({self.people} people). Run `tinysteps serve` and open the web chat."
        return (
            f"Loaded {DEMO_SCHOOL}: {self.people} people and {self.improvements} improvements "
            f"over the last {WEEKS} weeks. Run `tinysteps serve` and pick someone in the web chat."
        )


async def load_demo(store: Store, clock: Clock, *, seed: int = 7) -> DemoResult:
    """Create the demo trust, school, departments, staff and a few weeks of improvements."""
    now = clock.now()
    rng = random.Random(seed)
    calendar = WeekdayCalendar()
    async with store.transaction() as tx:
        for school in await tx.schools.all():
            if school.name == DEMO_SCHOOL:
                people = await tx.people.in_school(school.id)
                return DemoResult(school.id, len(people), 0, created=False)
        trust = await tx.schools.add_organisation(DEMO_TRUST)
        school = await tx.schools.create(
            DEMO_SCHOOL, timezone="Europe/London", organisation_id=trust
        )
        await tx.schools.link_workspace(school.id, WEB, web_workspace(school.id))
        departments = {
            name: (await tx.schools.add_department(school.id, name)).id for name in DEPARTMENTS
        }
        logged = 0
        latest: list[Improvement] = []  # each person's newest entry
        for index, (name, role, department, tz) in enumerate(STAFF):
            person = await membership.join(
                tx,
                school,
                platform=WEB,
                workspace_id=web_workspace(school.id),
                user_id=f"demo-{index + 1:02d}",
                display_name=name,
                timezone=tz,
                at=now - timedelta(weeks=WEEKS),
                role=role,
                department_id=departments[department],
            )
            await tx.people.mark_welcomed(person.id, now - timedelta(weeks=WEEKS))
            today = now.astimezone(ZoneInfo(tz)).date()
            habit = rng.uniform(0.4, 0.95)  # some staff log nearly every day, some less
            entry: Improvement | None = None
            for back in range(WEEKS * 7, 0, -1):
                day = today - timedelta(days=back)
                if not calendar.is_school_day(day) or rng.random() > habit:
                    continue
                at = datetime.combine(day, time(15, 30), tzinfo=ZoneInfo(tz)) + timedelta(
                    minutes=rng.randint(0, 240)
                )
                entry = await tx.improvements.add(
                    person_id=person.id,
                    school_id=school.id,
                    text=rng.choice(IMPROVEMENTS),
                    local_date=day,
                    at=at,
                    department_id=departments[department],
                )
                logged += 1
            if entry is not None:
                latest.append(entry)
        await _standouts(tx, latest, now)
        await tx.audit.record("demo.loaded", at=now, school_id=school.id)
        return DemoResult(school.id, len(STAFF), logged, created=True)


async def _standouts(tx: Transaction, latest: list[Improvement], now: datetime) -> None:
    """Two standouts: one its author let travel, whose idea three colleagues said they'd try
    (one already has), and one still waiting for its author's answer."""
    if len(latest) < 5:
        return
    travelling, waiting, *others = latest
    for entry in (travelling, waiting):
        await tx.standouts.choose(
            entry.id, reason="votes", at=now, answer_by=now.date() + timedelta(days=7)
        )
    await tx.standouts.answer(travelling.id, Consent.NAMED, at=now)
    for colleague in others[:3]:
        await tx.adoptions.add(
            travelling.id, colleague.person_id, at=now, until=now.date() + timedelta(days=14)
        )
    [(first, _)] = (await tx.adoptions.open_for(others[0].person_id, now.date()))[:1]
    await tx.adoptions.take(first.id, others[0].id)
