"""Fills the demo people's goal forms and mentor profiles, so the site looks alive after seeding.

Mentor profiles come from the real anonymized Women Coding Community profiles (../shared/data):
their areas and programming languages become topics, and their years, capacity, spoken languages
and country (as a time zone) are kept. Everything goes through services.people, so demo data obeys
the same rules as what people type.
"""
import json
from datetime import date, timedelta
from pathlib import Path

from ..core import clock, reference
from ..extensions import db
from ..models import Membership, Program
from ..services.people import goal_forms, profiles, vocabulary
from .rows import members

# WCC "areas" folded into one readable topic each (the source has no synonym merging).
AREA_TOPICS = {
    "backend developer": "Backend development", "frontend developer": "Frontend development",
    "fullstack developer": "Full-stack development", "full-stack developer": "Full-stack development",
    "data science": "Data science", "data engineering": "Data engineering", "machine learning": "Machine learning",
    "distributed systems": "Distributed systems", "devops": "DevOps", "site reliability engineering": "Site reliability",
    "security": "Security", "qa": "QA and testing", "quality assurance": "QA and testing",
    "engineering management": "Engineering management", "project management": "Project management",
    "product management": "Product management", "business analysis": "Business analysis",
    "switch career to it": "Changing careers into tech", "grow from mid-level to senior-level": "Growing to senior",
    "grow from beginner to mid-level": "Your first years in tech", "change specialisation within it": "Changing specialisation",
}
EXTRA_TOPICS = ("Interviewing", "Public speaking", "Negotiating pay", "Open source")
GROUPS = ("Women in tech", "Non-binary people in tech", "First-generation professionals", "Career changers",
          "Parents and carers", "Returners after a break", "LGBTQ+", "Neurodivergent")
COUNTRY = {
    "GB": ("Europe/London", "United Kingdom"), "US": ("America/New_York", "United States"),
    "NL": ("Europe/Amsterdam", "Netherlands"), "ES": ("Europe/Madrid", "Spain"), "AL": ("Europe/Tirane", "Albania"),
    "DE": ("Europe/Berlin", "Germany"), "NG": ("Africa/Lagos", "Nigeria"), "TR": ("Europe/Istanbul", "Türkiye"),
    "IN": ("Asia/Kolkata", "India"), "IL": ("Asia/Jerusalem", "Israel"),
    "AR": ("America/Argentina/Buenos_Aires", "Argentina"), "BG": ("Europe/Sofia", "Bulgaria"),
    "RS": ("Europe/Belgrade", "Serbia"), "AU": ("Australia/Sydney", "Australia"), "RO": ("Europe/Bucharest", "Romania"),
}
INDUSTRIES = ("Fintech", "Healthcare", "E-commerce", "Public sector", "Media", "Education", "Consulting", "Energy")
BACKGROUNDS = ("Self-taught", "Bootcamp graduate", "Computer science degree", "Moved from teaching",
               "Moved from finance", "PhD in physics", "Apprenticeship", "Moved from design")

NEAR_GOALS = (
    "Lead my first feature end to end, from design doc to release, on the payments team.",
    "Pass the AWS Solutions Architect Associate exam by the end of the quarter.",
    "Get my first pull request merged into a well-known open source Python project.",
    "Move from manual QA to writing automated tests for our checkout flow in Playwright.",
    "Prepare for a promotion conversation to mid-level with concrete evidence of impact.",
    "Land a junior data analyst role after finishing my bootcamp in March.",
    "Give my first internal tech talk, on what we learned migrating to Kubernetes.",
    "Understand our team's distributed tracing well enough to be on call with confidence.",
    "Ship a small React Native app to the app stores as a portfolio piece.",
    "Learn to run effective one-to-ones now that I have my first direct report.",
    "Get comfortable with SQL window functions and dbt for our analytics models.",
    "Write a design doc that my staff engineer signs off without a full rewrite.",
)
LONG_GOALS = (
    "Become a staff engineer who shapes the architecture of a product people rely on.",
    "Lead a data team in the public sector.", "Start my own consultancy helping charities with their data.",
    "Move into engineering management and build an inclusive team.", "Become a recognised security specialist.",
    "Work as a machine learning engineer on healthcare products.", "",
    "Be the person others come to for hard frontend performance problems.",
)
QUESTIONS = (
    "Could you review my 2-page design doc for moving our cron jobs to a queue and tell me what a senior reviewer would push back on?",
    "I have offers from a fintech start-up and a large bank's platform team: which would you pick to grow fastest in backend work, and why?",
    "What evidence did you bring to your own promotion to mid-level, and how did you present it to your manager?",
    "How would you split a 6-week data migration into milestones a non-technical stakeholder can follow?",
    "Could you look at my CV's project section and tell me which two bullets a hiring manager would skip?",
    "When you first joined an on-call rota, what did you practise beforehand so the first incident felt manageable?",
    "Which three SQL exercises would you give someone moving from Excel to analytics engineering?",
    "How do you say no to a stakeholder's urgent request without damaging the relationship? Could we role-play one?",
    "What should my 10-minute talk on our Kubernetes migration leave out so it fits the time?",
    "How did you structure your first one-to-ones as a new manager, and what would you do differently?",
)


def shared_data_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def real_mentor_profiles() -> list[dict]:
    """Active Women Coding Community profiles (real, anonymized); empty if the folder is absent."""
    path = shared_data_dir() / "mentors-wcc.json"
    if not path.exists():
        return []
    return [m for m in json.loads(path.read_text()) if m.get("active")]


def fill(program, rng, real_profiles) -> None:
    today = clock.today()
    _terms(program)
    topics = {t.name: t.id for t in vocabulary.terms(program.id, "topic")}
    group_ids = [t.id for t in vocabulary.terms(program.id, "group")]
    mentors, mentees = members(program, "mentor"), members(program, "mentee")
    for i, membership in enumerate(mentors):
        real = real_profiles[i % len(real_profiles)] if real_profiles else {}
        profiles.save_profile(membership, _mentor_data(real, topics, group_ids, rng, today, i), today=today)
    topic_ids = list(topics.values())
    for membership in mentees:
        goal_forms.save_goal_form(membership, _mentee_data(topic_ids, group_ids, rng))


def _terms(program) -> None:
    names = list(dict.fromkeys(AREA_TOPICS.values())) + ["Python", "JavaScript", "Java", "C++", "C#", "Go", "Kotlin",
                                                          "Rust", "TypeScript"] + list(EXTRA_TOPICS)
    existing = {(t.kind, t.name) for kind in ("topic", "group") for t in vocabulary.terms(program.id, kind)}
    for kind, values in (("topic", names), ("group", GROUPS)):
        for name in values:
            if (kind, name) not in existing:
                vocabulary.add_term(program, kind, name)


def _level(years: int, rng) -> str:
    if years <= 4:
        return "mid"
    if years <= 7:
        return "senior"
    if years <= 10:
        return rng.choice(("senior", "lead"))
    return rng.choice(("lead", "manager", "executive"))


def _mentor_data(real: dict, topics: dict, group_ids: list, rng, today: date, i: int) -> dict:
    wanted = [AREA_TOPICS.get(a) for a in real.get("areas", [])]
    wanted += [{"c++": "C++", "c#": "C#", "javascript": "JavaScript", "typescript": "TypeScript"}.get(p, p.title())
               for p in real.get("programming_languages", [])]
    ids = list(dict.fromkeys(topics[n] for n in wanted if n in topics))[:profiles.MAX_TOPICS_MENTOR]
    if not ids:
        ids = rng.sample(list(topics.values()), 3)
    years = max(0, min(int(real.get("years") or rng.randint(3, 15)), 60))
    zone, country = COUNTRY.get(real.get("country", "GB"), ("Europe/London", "United Kingdom"))
    capacity = real.get("capacity")
    title = real.get("title") or "Software engineer"
    return {
        "topics": ids, "years": years, "role_level": _level(years, rng),
        "industry": rng.choice(INDUSTRIES), "groups": rng.sample(group_ids, rng.randint(0, 2)),
        "background": rng.choice(BACKGROUNDS), "location": country,
        "languages": [c for c in real.get("languages", ["en"]) if c in reference.LANGUAGE_CODES] or ["en"],
        "timezone": zone,
        "capacity_round": min(capacity if capacity is not None else rng.choice((1, 2, 2, 3)), 20),
        "capacity_micro": min(int(real.get("hours_per_month") or 2) + 1, 20),
        # A few mentors show the other availability states: one switched off, two away for a while.
        "available": i % 9 != 4,
        "away_until": today + timedelta(days=10 + 7 * i) if i % 7 == 3 else None,
        "prefers_stages": ["ahead", "senior"] if years >= 10 else ["peer", "ahead"],
        "prefers_topics": ids[:2],
        "bio": f"{title}. Happy to help with {', '.join(n for n in wanted[:2] if n) or 'career questions'}.",
    }


def _mentee_data(topic_ids: list, group_ids: list, rng) -> dict:
    years = rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 5, 7))
    return {
        "near_term_goal": rng.choice(NEAR_GOALS), "long_term_goal": rng.choice(LONG_GOALS),
        "topics": rng.sample(topic_ids, rng.randint(2, 4)), "years": years,
        "role_level": "student" if years == 0 else "junior" if years < 3 else "mid",
        "industry": rng.choice(INDUSTRIES + ("",)), "groups": rng.sample(group_ids, rng.randint(0, 2)),
        "background": rng.choice(BACKGROUNDS), "location": rng.choice([c for _, c in COUNTRY.values()][:8]),
        "context_matters": rng.sample(("industry", "groups", "background", "location"), rng.randint(0, 3)),
        "preference": rng.choice(("ahead", "ahead", "ahead", "peer", "senior")),
        "languages": ["en"] + rng.sample(["es", "pt", "fr", "hi", "ru", "tr"], rng.randint(0, 1)),
        "timezone": rng.choice(("Europe/London", "Europe/London", "Europe/Amsterdam", "Europe/Madrid",
                                "America/New_York", "Africa/Lagos", "Asia/Kolkata")),
        "power_question": rng.choice(QUESTIONS), "wants": rng.choice(("both", "both", "cohort", "micro")),
    }


def require_approval(program: Program) -> None:
    """The program requires mentor approval; everyone is approved but one new mentor, who waits."""
    program.requires_mentor_approval = True
    pending = members(program, "mentor")[10]
    db.session.execute(db.update(Membership).where(Membership.program_id == program.id, Membership.id != pending.id)
                       .values(approved_at=clock.now() - timedelta(days=30)))
