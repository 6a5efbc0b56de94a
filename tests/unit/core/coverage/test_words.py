"""Coverage and impact as a person reads them, in English and German."""

from __future__ import annotations

from console.coverage.counts import ALLOWED, ActionCoverage, Coverage
from console.coverage.impact import impact_of
from console.coverage.reasons import REASON_LABELS
from console.coverage.words import coverage_lines, impact_lines, impact_section
from console.customers.support_card import ACTIONS_BY_REASON, PORTAL_ACTIONS, UNSTATED_REASONS
from console.i18n import use_language

# Three shapes: 1,204 plain single-product subscriptions, and the cancel-only ones.
COUNTS = {1: 1204, 2: 200, 3: 80, 4: 32}
REFUSED_UNDER = {2: "several_products", 3: "metered_price", 4: "send_invoice"}


def _coverage(switching_for_plain: bool) -> Coverage:
    answers = {}
    for shape in COUNTS:
        answer = dict.fromkeys(PORTAL_ACTIONS, "not_offered")
        answer["cancel_at_period_end"] = ALLOWED
        if shape in REFUSED_UNDER:
            answer["switch_plan"] = REFUSED_UNDER[shape]
        elif switching_for_plain:
            answer["switch_plan"] = ALLOWED
        else:
            answer["switch_plan"] = "update_off"
        answers[shape] = answer
    actions = {}
    for action in PORTAL_ACTIONS:
        allowed = sum(n for s, n in COUNTS.items() if answers[s][action] == ALLOWED)
        refused: dict[str, int] = {}
        for shape, count in COUNTS.items():
            if answers[shape][action] != ALLOWED:
                refused[answers[shape][action]] = refused.get(answers[shape][action], 0) + count
        ordered = dict(sorted(refused.items(), key=lambda item: -item[1]))
        actions[action] = ActionCoverage(action, allowed, ordered)
    return Coverage("bpc_1", sum(COUNTS.values()), 7, actions, answers, COUNTS)


def test_every_reason_the_actions_are_refused_for_has_a_label() -> None:
    assert set(ACTIONS_BY_REASON) | set(UNSTATED_REASONS) <= set(REASON_LABELS)


def test_impact_says_who_gains_the_plan_switch_and_why_the_rest_stay_cancel_only() -> None:
    impact = impact_of(_coverage(False), _coverage(True))
    assert impact_lines(impact) == [
        "Switch plan: +1,204 subscriptions; 312 still refused: several products 200, "
        "metered price 80, paid by invoice (send_invoice) 32"
    ]
    assert impact.actions["switch_plan"].gained_shapes == (1,)
    use_language("de")
    assert impact_lines(impact) == [
        "Tarif wechseln: +1.204 Abonnements; 312 weiterhin abgelehnt: mehrere Produkte 200, "
        "nutzungsbasierter Preis 80, Zahlung per Rechnung (send_invoice) 32"
    ]


def test_taking_an_action_away_is_counted_with_a_minus_and_no_change_is_said() -> None:
    lost = impact_of(_coverage(True), _coverage(False))
    assert lost.actions["switch_plan"].lost == 1204
    assert impact_lines(lost)[0].startswith("Switch plan: \N{MINUS SIGN}1,204 subscriptions;")
    same = impact_of(_coverage(True), _coverage(True))
    assert impact_lines(same) == [
        "No subscription gains or loses a portal action with this change (1,516 subscriptions)."
    ]


def test_coverage_lines_count_each_action_over_the_subscriptions_not_ended() -> None:
    lines = coverage_lines(_coverage(True))
    assert lines[0] == "1,516 subscriptions (ended ones not counted: 7)"
    assert lines[1] == (
        "Switch plan: allowed for 1,204 of 1,516; refused: several products 200, "
        "metered price 80, paid by invoice (send_invoice) 32"
    )
    assert "Cancel at period end: allowed for 1,516 of 1,516" in lines


def test_the_save_summary_section_says_the_impact_under_its_own_title() -> None:
    section = impact_section(impact_of(_coverage(False), _coverage(True)))
    assert section.title == "What it does to the account's subscriptions"
    assert section.lines == tuple(impact_lines(impact_of(_coverage(False), _coverage(True))))
    use_language("de")
    assert impact_section(impact_of(_coverage(True), _coverage(True))).title == (
        "Was die Änderung für die Abonnements des Kontos bedeutet"
    )
