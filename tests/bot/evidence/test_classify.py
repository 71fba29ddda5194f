from __future__ import annotations

import time

import pytest

from bot.evidence.classify import ThemeClassifier

# Written for these tests (not the dev set's words): two obvious entries per theme.
OBVIOUS = [
    ("Marked the Y9 essays with one comment each and gave them time to redraft", "feedback"),
    ("Peer assessment of the Y4 stories against our success criteria", "feedback"),
    ("Thought aloud while I planned the Y10 essay so they could hear my choices", "metacognition"),
    ("Y6 wrote a plan before the problem and checked it against their answer", "metacognition"),
    ("Low stakes quiz on last term's topics to start Y8 science", "retrieval"),
    ("Y11 did a brain dump from memory before revising the topic", "retrieval"),
    ("No hands up in Y7: everyone had thinking time, then I chose who answered", "questioning"),
    ("Mini whiteboards for a quick check of the whole Y3 class", "questioning"),
    ("Read the class novel aloud to Y5 just for pleasure", "reading"),
    ("Taught the Y8s five tier 2 words before they read the article", "reading"),
    ("New seating plan for 9B and a calm entry routine at the door", "behaviour"),
    ("Used the warning system consistently with Y10 and followed through", "behaviour"),
    ("Positive phone call home to a Y6 dad about his son's great week", "parents"),
    ("Parents' evening for Y2: showed each family their child's best work", "parents"),
    ("Y9 group work with roles: scribe, timekeeper, reporter", "collaboration"),
    ("Y10 peer tutors helped Y7 with fractions at lunchtime", "collaboration"),
    ("Pre-taught the key vocabulary to my SEND group before the lesson", "inclusion"),
    ("Visual timetable for an autistic Y1 pupil, much calmer transitions", "inclusion"),
    ("Breathing exercise with Y6 before the test, several said it calmed nerves", "wellbeing"),
    ("Took a proper lunch break away from my desk today", "wellbeing"),
    ("Set the Y8 homework on Google Classroom with a self-marking quiz", "technology"),
    ("Used the visualiser to show my working to Y5", "technology"),
    ("Planned the Y3 science unit once with my year partner and shared it", "workload"),
    ("SLT cut the weekly meeting and sent a bulletin instead of emails", "workload"),
]


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    return ThemeClassifier.default()


@pytest.mark.parametrize(("text", "theme"), OBVIOUS, ids=[t for _, t in OBVIOUS])
def test_an_obvious_entry_gets_its_theme(classifier, text, theme) -> None:
    assert classifier.classify(text)[0] == theme


def test_the_same_words_always_get_the_same_theme(classifier) -> None:
    text = "Started a worry box for Y3"
    first = classifier.classify(text)
    assert all(classifier.classify(text) == first for _ in range(3))
    assert 0.0 < first[1] <= 1.0


def test_training_is_deterministic(classifier) -> None:
    again = ThemeClassifier(classifier.examples)
    text = "Tried something new with my tutor group"
    ranked, ranked_again = classifier.ranked(text), again.ranked(text)
    assert [t for t, _ in ranked_again] == [t for t, _ in ranked]
    assert [p for _, p in ranked_again] == pytest.approx([p for _, p in ranked])


def test_ranked_gives_every_theme_once_likeliest_first(classifier) -> None:
    ranked = classifier.ranked("Kahoot quiz at the end of the Y7 lesson")
    assert sorted(t for t, _ in ranked) == sorted(classifier.themes)
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0)


def test_a_schools_corrections_change_its_classifier_only(classifier) -> None:
    text = "Lunchtime chess club for Y8"
    corrected = classifier.with_examples(
        [(text, "collaboration"), ("Chess club: Y9 teach the Y7s", "collaboration")]
    )

    assert classifier.classify(text)[0] == "wellbeing"
    assert corrected.classify(text) == ("collaboration", 1.0)
    assert corrected.classify("Started a chess club for Y10")[0] == "collaboration"
    assert ThemeClassifier.default().classify(text)[0] == "wellbeing"


def test_the_same_corrections_are_trained_once(classifier) -> None:
    corrections = [("Debate club after school for Y9", "questioning")]
    assert classifier.with_examples(corrections) is classifier.with_examples(corrections)


def test_a_school_can_correct_into_a_theme_of_its_own(classifier) -> None:
    corrected = classifier.with_examples(
        [("Eco-council litter pick", "sustainability"), ("Y4 recycling monitors", "sustainability")]
    )
    assert "sustainability" in corrected.themes
    assert corrected.classify("Eco-council litter pick")[0] == "sustainability"


def test_classifying_an_entry_takes_well_under_five_milliseconds(classifier) -> None:
    texts = [text for text, _ in OBVIOUS]
    classifier.classify(texts[0])
    started = time.perf_counter()
    for text in texts:
        classifier.classify(text)
    per_entry = (time.perf_counter() - started) / len(texts)
    assert per_entry < 0.02  # 5 ms is the target (bench: ~1 ms); slack for a busy CI machine
